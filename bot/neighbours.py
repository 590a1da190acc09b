"""How close a message lies to the dangerous messages the danger classifier learnt from, against the harmless
ones, in the sentence encoder's space (`bot/meaning.py`): one feature of `bot/danger_model.py`.

A regression over the vector weighs one direction for all of danger; a message told like a few dangerous ones
and like no harmless one ("sa chambre est vide, son lit pas défait, il répond plus") lies near them all the
same. The closeness is the mean likeness of the `NEAREST` closest dangerous training messages less that of
the closest harmless ones. Left out set by set over the development sets it read 50 more of 1,677 dangerous
messages with 11 fewer false alarms (docs/SAFETY.md).

The index holds the training messages' vectors, rounded to bytes (`bot/danger_neighbours.npz`, about 4 MB),
and whether each is dangerous; `python -m bot.danger_model` writes it with the weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot.meaning import meanings

INDEX = Path(__file__).with_name("danger_neighbours.npz")
NEAREST = 5
STEPS = 127  # a vector's parts are stored as whole numbers from -127 to 127 times its largest part


@dataclass(frozen=True)
class Neighbours:
    """Unit vectors of the training messages (one row each) and whether each is dangerous."""

    vectors: np.ndarray
    dangerous: np.ndarray

    def closeness(self, vector: np.ndarray) -> float:
        """Of one message's vector: likeness to the nearest dangerous messages less to the nearest harmless
        ones."""
        return float(self.closeness_of(vector[np.newaxis, :])[0])

    def closeness_of(self, rows: np.ndarray, own: np.ndarray | None = None) -> np.ndarray:
        """Of many vectors; `own[i]`, if given and not -1, is the index row of row i's own message, left out
        (a training message is not its own neighbour)."""
        likeness = rows.astype(np.float32) @ self.vectors.T
        if own is not None:
            mine = own >= 0
            likeness[np.flatnonzero(mine), own[mine]] = -1.0
        return np.asarray(_nearest(likeness[:, self.dangerous]) - _nearest(likeness[:, ~self.dangerous]))


def _nearest(likeness: np.ndarray) -> np.ndarray:
    return np.asarray(np.partition(likeness, -NEAREST, axis=1)[:, -NEAREST:].mean(axis=1), dtype=np.float64)


def build(texts: Sequence[tuple[str, bool]]) -> tuple[Neighbours, dict[str, int]]:
    """The index of these messages (a text given twice is one row: dangerous if either says so), and the row
    of each text. The vectors are rounded as the file stores them, so training weighs what the bot reads."""
    dangerous: dict[str, bool] = {}
    for text, is_dangerous in texts:
        dangerous[text] = dangerous.get(text, False) or is_dangerous
    unique = sorted(dangerous)
    stored = _rounded(meanings(unique))
    index = Neighbours(_unrounded(*stored), np.array([dangerous[text] for text in unique]))
    return index, {text: row for row, text in enumerate(unique)}


def save(index: Neighbours, path: Path = INDEX) -> None:
    steps, scale = _rounded(index.vectors)
    np.savez_compressed(path, steps=steps, scale=scale, dangerous=index.dangerous)


@cache
def neighbours(path: Path = INDEX) -> Neighbours:
    with np.load(path) as stored:
        return Neighbours(_unrounded(stored["steps"], stored["scale"]), stored["dangerous"].astype(bool))


def _rounded(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(vectors).max(axis=1, keepdims=True) / STEPS
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    return np.round(vectors / scale).astype(np.int8), scale


def _unrounded(steps: np.ndarray, scale: np.ndarray) -> np.ndarray:
    vectors = steps.astype(np.float32) * scale
    return np.asarray(
        vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9), dtype=np.float32
    )
