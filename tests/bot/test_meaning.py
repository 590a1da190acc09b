"""The sentence vector the danger classifier weighs (bot/meaning.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.meaning import DIMENSIONS, LONGEST, meaning, meanings


def test_a_message_is_one_vector_of_length_one() -> None:
    vector = meaning("Mijn zoon zegt dat hij er vannacht een einde aan maakt.")
    assert vector.shape == (DIMENSIONS,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_the_same_meaning_in_two_languages_lies_closer_than_another_meaning() -> None:
    dutch = meaning("Mijn dochter wil niet meer leven.")
    english = meaning("My daughter does not want to live anymore.")
    other = meaning("My daughter is fasting during Ramadan.")
    assert float(dutch @ english) > float(dutch @ other)


def test_bad_input_still_gets_a_vector() -> None:
    for text in ("", "\ud800 lone surrogate", "\u200b\u202e", "x" * (LONGEST * 25), "🙂🙂🙂"):
        vector = meaning(text)
        assert vector.shape == (DIMENSIONS,) and np.isfinite(vector).all()


def test_vectors_are_kept_and_read_back(tmp_path: Path) -> None:
    cache = tmp_path / "meaning.npz"
    texts = ["ze is weg sinds gisteren", "il a acheté un couteau", "ze is weg sinds gisteren"]
    first = meanings(texts, cache)
    assert first.shape == (3, DIMENSIONS) and cache.exists()
    assert np.allclose(first[0], first[2])
    again = meanings(texts[:2], cache)
    assert np.allclose(again, first[:2], atol=1e-6)
    cache.write_bytes(b"cut short")  # a damaged cache is encoded again, not trusted
    assert np.allclose(meanings(texts[:1], cache), first[:1], atol=1e-6)
