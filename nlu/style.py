"""Style statistics of the NLU training data, per language and intent.

`python -m nlu.style` prints, for every language and intent of `nlu/data/nlu/<lang>/*.yml`
(and a per-language total over the situation intents `describe_*` and `emergency`):
the number of examples, words per example (median and 90th percentile), and the shares
with more than one sentence, opening with a greeting, mixing in words of another language
(code-switching), never naming the concern, and the most frequent two-word openings.
`--json` prints the same as JSON.

The word lists in `style_markers.yml` are plain data and heuristics: a marker is a phrase of one or more
token patterns (tokens as in `nlu.separation.tokens`: lowercased runs of letters and digits,
so "c'est" is "c est"); a pattern ending in "*" matches any token starting with the rest.
Greetings must open the text; markers and concern words may appear anywhere.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from nlu.evaluate_nlu import read_examples
from nlu.separation import tokens

DATA_DIR = Path(__file__).resolve().parent / "data" / "nlu"
LANGUAGES = ("nl", "fr", "de", "en")

MARKERS_FILE = Path(__file__).with_name("style_markers.yml")
_MARKERS = yaml.safe_load(MARKERS_FILE.read_text(encoding="utf-8"))
GREETINGS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _MARKERS["greetings"].items()}
CODE_SWITCH_MARKERS: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _MARKERS["code_switch_markers"].items()
}
CONCERN_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    intent: {k: tuple(v) for k, v in per.items()} for intent, per in _MARKERS["concern_words"].items()
}

TOP_OPENINGS = 3  # in the table; --json lists ten
TOTAL = "TOTAL situations"


# ---------------------------------------------------------------- statistics

SENTENCE_END = re.compile(r"[.!?…]+(?:\s+|$)")


def words(text: str) -> list[str]:
    """Whitespace-separated chunks holding a letter or digit ("l'école" is one word)."""
    return [chunk for chunk in text.split() if any(c.isalnum() for c in chunk)]


def sentence_count(text: str) -> int:
    """Pieces between ., !, ?, … followed by white space or the end; pieces without a word do not count."""
    return sum(1 for piece in SENTENCE_END.split(text) if any(c.isalnum() for c in piece))


def _token_matches(token: str, pattern: str) -> bool:
    return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern


@dataclass(frozen=True)
class _Matcher:
    """Phrases of token patterns, split so that one-token patterns are a set lookup or a prefix test."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    def at(self, toks: Sequence[str], start: int) -> bool:
        token = toks[start]
        if token in self.exact or (self.prefixes and token.startswith(self.prefixes)):
            return True
        return any(
            start + len(phrase) <= len(toks)
            and all(_token_matches(toks[start + i], part) for i, part in enumerate(phrase))
            for phrase in self.phrases
        )


@functools.cache
def _matcher(patterns: tuple[str, ...]) -> _Matcher:
    split = [tuple(pattern.lower().split()) for pattern in patterns]
    return _Matcher(
        exact=frozenset(p[0] for p in split if len(p) == 1 and not p[0].endswith("*")),
        prefixes=tuple(p[0][:-1] for p in split if len(p) == 1 and p[0].endswith("*")),
        phrases=tuple(p for p in split if len(p) > 1),
    )


def opens_with(text: str, patterns: Iterable[str]) -> bool:
    """Whether the tokens of `text` start with one of the phrases."""
    toks = tokens(text)
    return bool(toks) and _matcher(tuple(patterns)).at(toks, 0)


def mentions(text: str, patterns: Iterable[str]) -> bool:
    """Whether one of the phrases occurs in the tokens of `text`."""
    toks = tokens(text)
    matcher = _matcher(tuple(patterns))
    return any(matcher.at(toks, start) for start in range(len(toks)))


def opening(text: str) -> str:
    """The first two tokens, joined by a space (fewer when the text is shorter)."""
    return " ".join(tokens(text)[:2])


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def is_situation(intent: str) -> bool:
    return intent.startswith("describe_") or intent == "emergency"


@dataclass(frozen=True)
class Stats:
    examples: int
    words_median: float
    words_p90: float
    multi_sentence: float
    greeting: float
    code_switch: float
    never_names_concern: float | None  # None when no example has a concern word list
    openings: list[tuple[str, float]]  # the most frequent first, ties alphabetically


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def style_stats(
    examples: Sequence[tuple[str, str]],
    language: str,
    top: int = 10,
    concern_words: Mapping[str, Mapping[str, Sequence[str]]] = CONCERN_WORDS,
) -> Stats:
    """Statistics of (intent, text) examples of one language; the concern share counts only intents with a word list."""
    n = len(examples)
    texts = [text for _, text in examples]
    lengths = [len(words(text)) for text in texts]
    concerned = [
        (text, concern_words[intent][language])
        for intent, text in examples
        if language in concern_words.get(intent, {})
    ]
    counted = Counter(o for o in map(opening, texts) if o)
    openings = sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:top]
    return Stats(
        examples=n,
        words_median=float(statistics.median(lengths)) if lengths else 0.0,
        words_p90=float(percentile(lengths, 0.9)),
        multi_sentence=_share(sum(sentence_count(t) > 1 for t in texts), n),
        greeting=_share(sum(opens_with(t, GREETINGS[language]) for t in texts), n),
        code_switch=_share(sum(mentions(t, CODE_SWITCH_MARKERS[language]) for t in texts), n),
        never_names_concern=(
            _share(sum(not mentions(t, patterns) for t, patterns in concerned), len(concerned))
            if concerned
            else None
        ),
        openings=[(text, _share(count, n)) for text, count in openings],
    )


def read_language(language: str, data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    """(intent, plain text) of every training example of a language, entity markup removed."""
    return [
        (example.intent, example.text)
        for path in sorted((data_dir / language).glob("*.yml"))
        for example in read_examples(path)
    ]


def report(data_dir: Path = DATA_DIR, top: int = 10) -> dict[str, dict[str, Stats]]:
    """Per language: the statistics of every intent (in file order), then "TOTAL situations"."""
    result: dict[str, dict[str, Stats]] = {}
    for language in LANGUAGES:
        examples = read_language(language, data_dir)
        if not examples:
            continue
        intents = list(dict.fromkeys(intent for intent, _ in examples))
        rows = {
            intent: style_stats([e for e in examples if e[0] == intent], language, top) for intent in intents
        }
        rows[TOTAL] = style_stats([e for e in examples if is_situation(e[0])], language, top)
        result[language] = rows
    return result


COLUMNS = (
    "lang",
    "intent",
    "n",
    "words med",
    "p90",
    "multi-sent",
    "greeting",
    "code-switch",
    "no concern",
    "top openings",
)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def _number(value: float) -> str:
    return f"{value:g}"


def table(result: Mapping[str, Mapping[str, Stats]], top: int = TOP_OPENINGS) -> str:
    """An aligned text table, one row per language and intent."""
    rows: list[tuple[str, ...]] = []
    for language, intents in result.items():
        for intent, s in intents.items():
            rows.append(
                (
                    language,
                    intent,
                    str(s.examples),
                    _number(s.words_median),
                    _number(s.words_p90),
                    _percent(s.multi_sentence),
                    _percent(s.greeting),
                    _percent(s.code_switch),
                    _percent(s.never_names_concern),
                    ", ".join(f"{text} {_percent(share)}" for text, share in s.openings[:top]),
                )
            )
    widths = [max(len(row[i]) for row in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    numeric = range(2, len(COLUMNS) - 1)

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    out = [line(COLUMNS), line(["-" * w for w in widths])]
    previous = None
    for row in rows:
        if previous is not None and row[0] != previous:
            out.append("")
        out.append(line(row))
        previous = row[0]
    return "\n".join(out)


def _rounded(s: Stats) -> dict[str, object]:
    fields = {key: round(v, 3) if isinstance(v, float) else v for key, v in asdict(s).items()}
    fields["openings"] = [[text, round(share, 3)] for text, share in s.openings]
    return fields


def to_json(result: Mapping[str, Mapping[str, Stats]]) -> dict[str, dict[str, dict[str, object]]]:
    return {language: {i: _rounded(s) for i, s in intents.items()} for language, intents in result.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m nlu.style", description="Style statistics of the NLU training data"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the nlu/data/nlu directory")
    args = parser.parse_args(argv)
    result = report(args.data)
    if args.json:
        print(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    else:
        print(table(result))


if __name__ == "__main__":
    main()
