"""Near-duplicate search between training examples and evaluation texts (token-set Jaccard).

Tokens are runs of Unicode letters and digits of the lowercased text; two texts are
"too close" when the Jaccard similarity of their token sets is above a threshold.
`near_pairs` avoids the full cross product with prefix filtering: tokens are ordered
rarest first, and two sets with Jaccard >= t must share a token among the first
`n - ceil(t * n) + 1` tokens of each, so only those prefixes are indexed and probed.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TOKEN = re.compile(r"[^\W_]+")  # letters and digits of any script, no underscore


def tokens(text: str) -> list[str]:
    """The lowercased runs of letters and digits of `text`, in order."""
    return TOKEN.findall(text.lower())


def token_set(text: str) -> frozenset[str]:
    return frozenset(tokens(text))


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    """|A & B| / |A | B|; 0.0 when both are empty (texts without a word are never "close")."""
    union = len(left | right)
    return len(left & right) / union if union else 0.0


@dataclass(frozen=True)
class NearPair:
    left_label: str
    left_text: str
    right_label: str
    right_text: str
    similarity: float

    def __str__(self) -> str:
        return f"{self.similarity:.2f}  {self.left_label}: {self.left_text!r}  ~  {self.right_label}: {self.right_text!r}"


def _prefix_length(size: int, threshold: float) -> int:
    # The small epsilon can only lengthen the prefix, which keeps the filter safe.
    return size - math.ceil(threshold * size - 1e-9) + 1


def near_pairs(
    left: Iterable[tuple[str, str]], right: Iterable[tuple[str, str]], threshold: float
) -> list[NearPair]:
    """Every (left, right) pair of (label, text) items whose token-set Jaccard is above `threshold`.

    `threshold` must be in (0, 1). Pairs are sorted by descending similarity, then labels.
    """
    if not 0 < threshold < 1:
        raise ValueError("threshold must be between 0 and 1")
    left_items = [(label, text, token_set(text)) for label, text in left]
    right_items = [(label, text, token_set(text)) for label, text in right]
    frequency: Counter[str] = Counter()
    for _, _, toks in (*left_items, *right_items):
        frequency.update(toks)

    def ordered(toks: frozenset[str]) -> list[str]:
        return sorted(toks, key=lambda token: (frequency[token], token))

    index: defaultdict[str, list[int]] = defaultdict(list)
    for position, (_, _, toks) in enumerate(right_items):
        for token in ordered(toks)[: _prefix_length(len(toks), threshold)]:
            index[token].append(position)

    found: list[NearPair] = []
    for left_label, left_text, toks in left_items:
        candidates: set[int] = set()
        for token in ordered(toks)[: _prefix_length(len(toks), threshold)]:
            candidates.update(index.get(token, ()))
        for position in candidates:
            right_label, right_text, right_toks = right_items[position]
            similarity = jaccard(toks, right_toks)
            if similarity > threshold:
                found.append(NearPair(left_label, left_text, right_label, right_text, similarity))
    found.sort(key=lambda pair: (-pair.similarity, pair.left_label, pair.right_label, pair.left_text))
    return found


def brute_force_pairs(
    left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]], threshold: float
) -> list[NearPair]:
    """The same as `near_pairs` by comparing every pair (slow; a reference for tests)."""
    found = [
        NearPair(left_label, left_text, right_label, right_text, similarity)
        for left_label, left_text in left
        for right_label, right_text in right
        if (similarity := jaccard(token_set(left_text), token_set(right_text))) > threshold
    ]
    found.sort(key=lambda pair: (-pair.similarity, pair.left_label, pair.right_label, pair.left_text))
    return found
