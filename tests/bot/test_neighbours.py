"""The closeness of a message to the dangerous training messages (bot/neighbours.py)."""

from __future__ import annotations

import numpy as np

from bot.danger_model import training_texts
from bot.meaning import meaning
from bot.neighbours import NEAREST, Neighbours, build, neighbours


def _index(dangerous: list[list[float]], harmless: list[list[float]]) -> Neighbours:
    rows = np.array(dangerous + harmless, dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return Neighbours(rows, np.array([True] * len(dangerous) + [False] * len(harmless)))


def test_closeness_is_likeness_to_the_nearest_dangerous_less_to_the_nearest_harmless() -> None:
    danger = [[1.0, 0.0, 0.0]] * NEAREST
    harmless = [[0.0, 1.0, 0.0]] * NEAREST
    index = _index(danger, harmless)
    assert index.closeness(np.array([1.0, 0.0, 0.0])) == 1.0
    assert index.closeness(np.array([0.0, 1.0, 0.0])) == -1.0
    assert index.closeness(np.array([0.0, 0.0, 1.0])) == 0.0


def test_a_training_message_is_not_its_own_neighbour() -> None:
    danger = [[1.0, 0.0, 0.0]] + [[0.0, 0.0, 1.0]] * NEAREST
    harmless = [[0.0, 1.0, 0.0]] * (NEAREST + 1)
    index = _index(danger, harmless)
    row = index.vectors[:1]
    with_itself = index.closeness_of(row)[0]
    without = index.closeness_of(row, np.array([0]))[0]
    assert with_itself > without
    assert index.closeness_of(row, np.array([-1]))[0] == with_itself


def test_the_shipped_index_holds_every_training_message_once() -> None:
    texts = training_texts()
    shipped = neighbours()
    assert len(shipped.vectors) == len({text for text, _ in texts})
    assert shipped.dangerous.sum() == len({text for text, dangerous in texts if dangerous})
    assert np.allclose(np.linalg.norm(shipped.vectors, axis=1), 1.0, atol=1e-5)


def test_a_text_given_twice_is_one_row_and_dangerous_if_either_says_so() -> None:
    index, row_of = build([("hij heeft een mes gekocht", False), ("hij heeft een mes gekocht", True)])
    assert len(index.vectors) == 1 and bool(index.dangerous[0]) and row_of == {"hij heeft een mes gekocht": 0}


def test_messages_told_like_danger_lie_closer_to_it() -> None:
    shipped = neighbours()
    alarming = meaning(
        "ze heeft afscheidsbrieven geschreven en haar deur zit op slot, ze antwoordt niet meer"
    )
    ordinary = meaning("waar kan ik terecht met vragen over de opvoeding van mijn puber?")
    assert shipped.closeness(alarming) > shipped.closeness(ordinary)
