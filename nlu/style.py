"""Style statistics of the NLU training data, per language and intent.

`python -m nlu.style` prints, for every language and intent of `nlu/data/nlu/<lang>/*.yml`
(and a per-language total over the situation intents `describe_*` and `emergency`):
the number of examples, words per example (median and 90th percentile), and the shares
with more than one sentence, opening with a greeting, mixing in words of another language
(code-switching), never naming the concern, and the most frequent two-word openings.
`--json` prints the same as JSON.

The word lists below are plain data and heuristics: a marker is a phrase of one or more
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

from nlu.evaluate_nlu import read_examples
from nlu.separation import tokens

DATA_DIR = Path(__file__).resolve().parent / "data" / "nlu"
LANGUAGES = ("nl", "fr", "de", "en")

# ---------------------------------------------------------------- data: greetings

# Said in any of the four languages.
_SHARED_GREETINGS = (
    "hi",
    "hey*",
    "hello",
    "hallo",
    "allo",
    "allô",
    "yo",
    "bonjour",
    "salut",
    "salam*",
    "salaam*",
    "salem",
    "slm",
    "assalam*",
    "as salam*",
    "es salam*",
    "selam*",
    "merhaba",
)

GREETINGS: dict[str, tuple[str, ...]] = {
    "nl": (
        *_SHARED_GREETINGS,
        "dag",
        "goeiedag",
        "goedendag",
        "goeiemorgen",
        "goedemorgen",
        "goeiemiddag",
        "goeienamiddag",
        "goedemiddag",
        "goeienavond",
        "goedenavond",
        "hoi",
        "beste",
    ),
    "fr": (
        *_SHARED_GREETINGS,
        "bonsoir",
        "re bonjour",
        "coucou",
        "bjr",
        "slt",
        "cc",
        "wesh",
        "madame",
        "monsieur",
        "cher",
        "chère",
        "chers",
    ),
    "de": (
        *_SHARED_GREETINGS,
        "guten tag",
        "guten morgen",
        "guten abend",
        "n abend",
        "tach",
        "moin",
        "servus",
        "grüß gott",
        "grüezi",
        "hallöchen",
        "huhu",
        "liebe",
        "lieber",
        "liebes",
        "sehr geehrte*",
    ),
    "en": (
        *_SHARED_GREETINGS,
        "hiya",
        "dear",
        "good morning",
        "good afternoon",
        "good evening",
        "morning",
        "greetings",
    ),
}

# ---------------------------------------------------------------- data: code-switching markers

# Arabic and Turkish words people mix into any of the four languages.
LOANWORDS = (
    "wallah",
    "wallahi",
    "wollah",
    "walla",
    "wella",
    "wlh",
    "vallah",
    "vallahi",
    "haram",
    "halal",
    "inshallah",
    "inchallah",
    "insha allah",
    "in sha allah",
    "inch allah",
    "mashallah",
    "machallah",
    "hamdoulah",
    "hamdoulillah",
    "alhamdulillah",
    "bismillah",
    "astaghfirullah",
    "starfoullah",
    "kuffar",
    "koeffar",
    "kouffar",
    "kafir",
    "kafira",
    "kafirs",
    "kafirun",
    "mounafiqin",
    "munafiq*",
    "akhi",
    "akhis",
    "akhy",
    "ukhti",
    "oukhti",
    "khoya",
    "khouya",
    "habibi",
    "yallah",
    "wesh",
    "miskin",
    "meskin",
    "hchouma",
    "hshouma",
    "sahbi",
    "zarma",
    "ma3lich",
    "ma3lish",
    "fitna",
    "hijra",
    "ummah",
    "oumma",
    "dawah",
    "abi",  # Turkish: big brother
    "abla",
    "kardeş",
    "kardes",
    "hoca",
    "hodja",
    "yani",
    "tamam",
)

_FRENCH = (
    "franchement",
    "enfin",
    "quoi",
    "voilà",
    "bref",
    "c est",
    "ça",
    "mon fils",
    "ma fille",
    "je sais pas",
    "putain",
)
_DUTCH = ("mijn", "zoon", "dochter", "niet", "ik", "maar", "allee", "broeder", "broeders")
_GERMAN = ("bitte", "genau", "nein", "mein sohn", "meine tochter")
_ENGLISH = ("bro", "literally", "whatever", "anyway", "basically", "omg", "wtf")

# Words of the other languages, chosen so that they are not also words of the message's language.
CODE_SWITCH_MARKERS: dict[str, tuple[str, ...]] = {
    "nl": (*LOANWORDS, *_FRENCH, "genre", "voila", *_ENGLISH),
    "fr": (*LOANWORDS, *_DUTCH, "ja", *_ENGLISH),
    "de": (*LOANWORDS, *_FRENCH, "voila", *_DUTCH, *_ENGLISH),
    "en": (*LOANWORDS, *_FRENCH, *_DUTCH, "ja", *_GERMAN),
}

# ---------------------------------------------------------------- data: words that name the concern

# fmt: off
CONCERN_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "describe_radicalisation": {
        "nl": ("radicali*", "extre*", "fanatie*", "fundamentalis*", "jihad*", "salafis*", "islamis*", "nazi*", "neonazi*", "indoctrin*", "hersenspoel*", "gehersenspoeld"),
        "fr": ("radicali*", "extrémis*", "extremis*", "extrême*", "extreme*", "fanati*", "intégris*", "fondamentalis*", "djihad*", "jihad*", "salafis*", "islamis*", "nazi*", "néonazi*", "embrigad*", "endoctrin*", "secte*"),
        "de": ("radikali*", "extremis*", "extreme", "extremen", "extremer", "extremes", "rechtsextrem*", "linksextrem*", "fanati*", "fundamentalis*", "dschihad*", "jihad*", "salafis*", "islamis*", "nazi*", "neonazi*", "indoktrin*", "gehirnwäsche"),
        "en": ("radicali*", "extremis*", "extreme", "fanatic*", "fundamentalis*", "jihad*", "salafi*", "islamis*", "nazi*", "neonazi*", "indoctrinat*", "brainwash*", "far right", "alt right"),
    },
    "describe_online_extremism": {
        "nl": ("online", "internet", "radicali*", "extre*", "propaganda*", "haatpraat*", "haatberichten", "jihad*", "nazi*"),
        "fr": ("en ligne", "internet", "radicali*", "extrémis*", "extremis*", "extrême*", "propagande*", "haine*", "djihad*", "jihad*", "nazi*"),
        "de": ("online", "internet", "radikali*", "extremis*", "extreme", "extremen", "extremer", "extremes", "rechtsextrem*", "propaganda*", "hass*", "dschihad*", "jihad*", "nazi*"),
        "en": ("online", "internet", "radicali*", "extremis*", "extreme", "propaganda", "hate", "hateful", "jihad*", "nazi*"),
    },
    "describe_travel_conflict": {
        "nl": ("syri*", "irak*", "oorlog*", "conflictgebied*", "strijd*", "terugkeer*", "teruggekeerd*", "daesh", "kalifaat*", "hijra", "jihad*"),
        "fr": ("syri*", "irak*", "guerre*", "zone de conflit", "combattant*", "combat*", "revenant*", "rapatri*", "daech", "daesh", "califat*", "hijra", "djihad*", "jihad*"),
        "de": ("syri*", "irak*", "krieg*", "kampfgebiet*", "kämpfer*", "kämpf*", "rückkehr*", "ausreis*", "daesh", "kalifat*", "hijra", "dschihad*", "jihad*"),
        "en": ("syria*", "iraq*", "war", "warzone", "war zone", "conflict zone", "fighter*", "fight*", "returnee*", "daesh", "isis", "caliphate*", "hijra", "jihad*"),
    },
    "describe_polarisation": {
        "nl": ("polaris*", "spanning*", "racis*", "discrimin*", "haat*", "conflict*", "ruzie*", "vijandig*"),
        "fr": ("polaris*", "tension*", "racis*", "discrimin*", "haine*", "conflit*", "clash*", "hostil*"),
        "de": ("polarisier*", "spannung*", "rassis*", "diskrimin*", "hass*", "konflikt*", "streit*", "feindselig*"),
        "en": ("polari*", "tension*", "racis*", "discriminat*", "hate", "hatred", "hateful", "conflict*", "hostil*"),
    },
    "describe_religious_question": {
        "nl": ("islam*", "geloof*", "gelovig*", "religie*", "religieu*", "godsdienst*", "imam*", "koran*", "moskee*", "bekeer*", "moslim*", "haram", "halal"),
        "fr": ("islam*", "religi*", "foi", "croyan*", "coran*", "imam*", "mosquée*", "convert*", "musulman*", "haram", "halal"),
        "de": ("islam*", "religi*", "glaube*", "gläubig*", "koran*", "imam*", "moschee*", "konvert*", "muslim*", "haram", "halal"),
        "en": ("islam*", "religio*", "faith", "quran*", "koran*", "imam*", "mosque*", "convert*", "muslim*", "haram", "halal"),
    },
    "describe_violence_threat": {
        "nl": ("geweld*", "gewelddadig*", "bedreig*", "dreig*", "aanslag*", "wapen*", "mes", "messen", "pistool*", "bom", "bommen", "aanval*"),
        "fr": ("violen*", "menac*", "attentat*", "arme", "armes", "couteau*", "pistolet*", "bombe*", "attaqu*"),
        "de": ("gewalt*", "bedroh*", "droh*", "anschlag*", "waffe*", "messer*", "pistole*", "bombe*", "angriff*", "angreif*"),
        "en": ("violen*", "threat*", "attack*", "weapon*", "knife", "knives", "gun", "guns", "bomb*"),
    },
    "emergency": {
        "nl": ("nood*", "dringend*", "spoed*", "urgent*", "gevaar*", "112", "101"),
        "fr": ("urgen*", "danger*", "secours", "112", "101"),
        "de": ("notfall*", "notruf*", "dringend*", "gefahr*", "112", "101"),
        "en": ("emergenc*", "urgent*", "danger*", "112", "101"),
    },
    "describe_self_harm": {
        "nl": ("zelfmoord*", "suïcid*", "suicid*", "zelfdoding*", "zelfbeschadig*", "depress*"),
        "fr": ("suicid*", "automutil*", "scarifi*", "dépress*", "depress*", "déprim*", "me tuer", "se tuer"),
        "de": ("suizid*", "selbstmord*", "selbstverletz*", "depress*", "mich umbringen", "sich umbringen"),
        "en": ("suicid*", "self harm*", "selfharm*", "depress*", "kill myself", "kill himself", "kill herself"),
    },
    "describe_victim_support": {
        "nl": ("slachtoffer*", "trauma*", "getraumatiseerd*", "rouw*", "nabestaande*"),
        "fr": ("victime*", "trauma*", "traumatis*", "deuil*"),
        "de": ("opfer*", "trauma*", "traumatis*", "trauer*", "hinterbliebene*"),
        "en": ("victim*", "trauma*", "traumatis*", "traumatiz*", "grief", "griev*", "bereave*", "survivor*"),
    },
    "describe_detention": {
        "nl": ("gevangen*", "gevangenis*", "cel", "opgesloten", "aangehouden", "arrest*", "gearresteerd", "gedetineerd*", "detentie*", "vrijgelaten", "vrijlating*", "voorwaardelijk*", "enkelband*", "celstraf*", "vast", "vastzit*", "probatie*", "rechter*", "rechtbank*", "jeugdinstelling*", "gemeenschapsinstelling*"),
        "fr": ("prison*", "détenu*", "détention*", "incarcér*", "arrestation*", "arrêté", "interpell*", "libéré*", "libération*", "conditionnel*", "bracelet*", "probation*", "tribunal*", "juge", "ippj*"),
        "de": ("gefängnis*", "haft*", "inhaftiert*", "verhaft*", "festgenommen", "festnahme*", "entlass*", "bewährung*", "fußfessel*", "knast*", "gericht*", "richter*"),
        "en": ("prison*", "jail*", "detain*", "detention*", "arrest*", "custody", "released", "release", "parole*", "probation*", "incarcerat*", "convict*", "court*", "judge*", "sentence*", "youth institution*"),
    },
    "describe_professional_support": {
        "nl": ("opleiding*", "vorming*", "training*", "coach*", "workshop*", "lesmateria*", "casusoverleg*", "intervisie*", "ondersteuning*", "advies*"),
        "fr": ("formation*", "coach*", "atelier*", "accompagnement*", "conseil*", "supervision*", "intervision*"),
        "de": ("fortbildung*", "schulung*", "training*", "coach*", "workshop*", "fallberatung*", "beratung*", "supervision*", "weiterbildung*"),
        "en": ("training*", "coach*", "consultation*", "resources", "lesson plan*", "expert*", "advice", "advise*", "supervision*", "workshop*"),
    },
    "describe_youth_support": {
        "nl": ("jeugdhulp*", "jeugdwerk*", "jongerenwerk*", "jeugddienst*", "begeleiding*", "ondersteuning*", "schooluitval*", "hulpverlen*"),
        "fr": ("aide à la jeunesse", "jeunesse", "maison de jeunes", "maison des jeunes", "accompagnement*", "soutien*", "décroch*"),
        "de": ("jugendhilfe*", "jugendarbeit*", "jugendamt*", "jugendzentr*", "unterstützung*", "begleitung*", "schulabbr*"),
        "en": ("youth", "support*", "mentor*", "dropout*", "drop out", "counsel*"),
    },
    "describe_parenting": {
        "nl": ("opvoed*", "ouderschap*", "puberteit*", "puber*"),
        "fr": ("éducation", "éduquer", "parentalit*", "adolescen*", "élever"),
        "de": ("erziehung*", "erziehen", "pubertät*", "elternrolle*"),
        "en": ("parenting", "upbringing", "raising", "puberty", "adolescen*"),
    },
}
# fmt: on

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
