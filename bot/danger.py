"""Danger to life read from a message before anything else, in every language and channel.

The rules are data (`bot/danger_signals.yml`, explained there); this module compiles and applies them.
The verdict travels to Rasa in the message metadata (`protocol.danger`) and decides the reduced mode's
reply when Rasa cannot be reached.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from protocol.danger import Danger

if TYPE_CHECKING:
    from bot.danger_model import Reading

SIGNALS = Path(__file__).with_name("danger_signals.yml")
NEGATION_WINDOW = 2  # words before a match in which a negation voids it
WINDOW = 4  # consecutive sentences read together: people spread one signal over short sentences
SENTENCE_END = re.compile(r"(?<!\d)[.!?;\n]+")  # "im 4. Stock" is one sentence
WORD = re.compile(r"[\w']+")
QUOTES = re.compile(r"[\"\u00ab\u00bb\u201c\u201d\u201e]|(?<!\w)'|'(?!\w)")  # not the apostrophe of "l'ecole"
SENTENCE_JOIN = " . "  # how the sentences of a window are joined


@dataclass(frozen=True)
class Kind:
    danger: Danger
    alternatives: tuple[tuple[re.Pattern[str], ...], ...]  # each alternative: every pattern must match
    unless: tuple[re.Pattern[str], ...]  # read in the sentences and the ones next to them
    unless_here: tuple[re.Pattern[str], ...]  # read in the matched sentences only
    unless_anywhere: tuple[re.Pattern[str], ...]  # read in the whole message


@dataclass(frozen=True)
class Signals:
    kinds: tuple[Kind, ...]
    negation: re.Pattern[str]
    mask: re.Pattern[str]
    groups: dict[str, re.Pattern[str]]  # every named group, its `$name` references expanded


def normalise(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe, single spaces."""
    text = text.replace("\u2019", "'").replace("`", "'").replace("\u00df", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    plain = QUOTES.sub(" ", plain)
    return re.sub(r"[ \t]+", " ", plain)


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


@cache
def signals(path: Path = SIGNALS) -> Signals:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups: dict[str, re.Pattern[str]] = {}
    for name, patterns in data["groups"].items():  # a group may name one defined above it
        groups[name] = _alternation([groups[p[1:]].pattern if p.startswith("$") else p for p in patterns])

    def group(item: str | list[str]) -> re.Pattern[str]:
        if isinstance(item, str) and item.startswith("$"):
            return groups[item[1:]]
        return _alternation([item] if isinstance(item, str) else item)

    kinds = tuple(
        Kind(
            danger=Danger(name),
            alternatives=tuple(tuple(group(item) for item in needs) for needs in rule["all"]),
            unless=tuple(group(item) for item in rule.get("unless", [])),
            unless_here=tuple(group(item) for item in rule.get("unless_here", [])),
            unless_anywhere=tuple(group(item) for item in rule.get("unless_anywhere", [])),
        )
        for name, rule in data["kinds"].items()
    )
    negation = re.compile(r"\b(?:" + "|".join(data["negations"]) + r")\b")
    return Signals(kinds, negation, _alternation(data["mask"]), groups)


def _affirmed(patterns: tuple[re.Pattern[str], ...], sentence: str, negation: re.Pattern[str]) -> list[str]:
    """For each pattern, its first match in `sentence` that no negation just before it voids ("" if none).
    A negation inside another pattern's match ("n'est pas rentree hier soir") voids nothing after it."""
    matches = [list(pattern.finditer(sentence)) for pattern in patterns]
    if not all(matches):  # most windows: some group has no match at all, so no negation needs reading
        return [group[0].group(0) if group else "" for group in matches]
    found = []
    for own, candidates in enumerate(matches):
        others = sorted(m.span() for index, group in enumerate(matches) if index != own for m in group)
        word = ""
        for match in candidates:
            before = sentence[: match.start()]
            for start, end in others:
                if end <= match.start():
                    before = before[:start] + " " * (end - start) + before[end:]
            before = before.rsplit(SENTENCE_JOIN, 1)[-1]  # a negation voids nothing in the next sentence
            if not any(negation.fullmatch(w) for w in WORD.findall(before)[-NEGATION_WINDOW:]):
                word = match.group(0)
                break
        found.append(word)
    return found


def affirmed(pattern: re.Pattern[str], text: str, negation: re.Pattern[str]) -> bool:
    """Whether `pattern` matches `text` somewhere not right after a negation: how a group counts, as a signal,
    as an exemption and as a feature of the classifier."""
    return bool(_affirmed((pattern,), text, negation)[0])


@dataclass(frozen=True)
class Finding:
    danger: Danger
    rule: int  # which of the kind's `all` lists matched, counted from 0
    words: tuple[str, ...]  # what each of its groups matched
    sentences: str


def sentences_of(text: str, rules: Signals) -> list[str]:
    """The sentences of `text`, normalised, with the `mask` phrases blanked out."""
    return [part for part in SENTENCE_END.split(rules.mask.sub(" ", normalise(text))) if part.strip()]


def findings(text: str, rules: Signals | None = None) -> Iterator[Finding]:
    """Each rule that fires on up to `WINDOW` consecutive sentences of `text`, kinds in file order, as read."""
    rules = rules or signals()
    sentences = sentences_of(text, rules)
    windows = [  # (the sentences read together, with the sentence before and after them)
        (
            SENTENCE_JOIN.join(sentences[start : start + size]),
            SENTENCE_JOIN.join(sentences[max(start - 1, 0) : start + size + 1]),
        )
        for size in range(1, WINDOW + 1)
        for start in range(max(len(sentences) - size + 1, 0))
    ]
    whole = SENTENCE_JOIN.join(sentences)
    present: dict[re.Pattern[str], bool] = {}  # a group that matches nowhere in the text matches no window

    def anywhere(pattern: re.Pattern[str]) -> bool:
        if pattern not in present:
            present[pattern] = pattern.search(whole) is not None
        return present[pattern]

    def exempts(pattern: re.Pattern[str], sentences: str) -> bool:  # not "kein Spielzeug", "pas retrouvee"
        return anywhere(pattern) and affirmed(pattern, sentences, rules.negation)

    for kind in rules.kinds:
        possible = [
            (number, needs) for number, needs in enumerate(kind.alternatives) if all(map(anywhere, needs))
        ]
        if not possible or any(exempts(pattern, whole) for pattern in kind.unless_anywhere):
            continue
        for window, neighbourhood in windows:
            if any(exempts(pattern, neighbourhood) for pattern in kind.unless):
                continue
            if any(exempts(pattern, window) for pattern in kind.unless_here):
                continue
            for number, needs in possible:
                words = _affirmed(needs, window, rules.negation)
                if all(words):
                    yield Finding(kind.danger, number, tuple(words), window)


def assess(text: str, rules: Signals | None = None) -> Danger | None:
    """The first kind of danger to life that up to `WINDOW` consecutive sentences of `text` signal, weighed by
    the classifier over the same signals and the words (`bot/danger_model.py`), or None."""
    if rules is not None:  # other rules than the shipped ones: the classifier was not trained on them
        first = next(findings(text, rules), None)
        return first.danger if first else None
    return weigh(text).danger


def weigh(text: str) -> Reading:
    """`assess`'s verdict with the shipped rules, and, when it reads no danger but cannot rule it out, the
    kind it doubts about."""
    from bot.danger_model import reading  # imported here: that module builds on this one

    first = next(findings(text), None)  # every message is read: stop at the first finding
    return reading(text, ruled=first.danger if first else None)


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.danger TEXT...`: which rules fire on each text, and on which words."""
    for text in argv if argv is not None else sys.argv[1:]:
        found = list(findings(text))
        weighed = weigh(text)
        verdict = weighed.danger
        doubt = f" (in doubt: {weighed.doubt.value})" if weighed.doubt else ""
        print(f"{verdict.value if verdict else 'no danger'}{doubt}: {text}")
        if verdict and not found:
            print("  read by the classifier over the signals and words (bot/danger_model.py)")
        if found and not verdict:
            print("  the rules fired, but the classifier's words rule it out (bot/danger_model.py)")
        for finding in found:
            print(f"  {finding.danger.value} rule {finding.rule}: {' + '.join(finding.words)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
