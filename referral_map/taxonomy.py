"""The shared ids of docs/DESIGN.md section 2: roles, concerns, urgency, languages, communities."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar


class Role(StrEnum):
    PARENT = "parent"
    FAMILY = "family"
    TEACHER = "teacher"
    IMAM = "imam"
    YOUTH_WORKER = "youth_worker"
    PROFESSIONAL = "professional"
    YOUNG_PERSON = "young_person"
    UNKNOWN = "unknown"


class Concern(StrEnum):
    RADICALISATION = "radicalisation"
    ONLINE_EXTREMISM = "online_extremism"
    TRAVEL_CONFLICT = "travel_conflict"
    POLARISATION = "polarisation"
    RELIGIOUS_QUESTION = "religious_question"
    VIOLENCE_THREAT = "violence_threat"
    SELF_HARM = "self_harm"
    VICTIM_SUPPORT = "victim_support"
    DETENTION = "detention"
    PROFESSIONAL_SUPPORT = "professional_support"
    YOUTH_SUPPORT = "youth_support"
    PARENTING = "parenting"
    OUT_OF_SCOPE = "out_of_scope"


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"


class Language(StrEnum):
    NL = "nl"
    FR = "fr"
    DE = "de"
    EN = "en"


class Community(StrEnum):
    FLEMISH = "flemish"
    FRENCH = "french"
    GERMAN = "german"
    BRUSSELS = "brussels"


# The official language(s) of each community; Brussels services exist in Dutch and French.
COMMUNITY_LANGUAGES: dict[Community, tuple[Language, ...]] = {
    Community.FLEMISH: (Language.NL,),
    Community.FRENCH: (Language.FR,),
    Community.GERMAN: (Language.DE,),
    Community.BRUSSELS: (Language.FR, Language.NL),
}


E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], value: str, what: str) -> E:
    """Turn a user-given id into the enum member, or refuse it naming the valid values."""
    try:
        return kind(value.strip().lower())
    except ValueError:
        valid = ", ".join(member.value for member in kind)
        raise ValueError(f"unknown {what} {value!r}; valid values: {valid}") from None


# docs/DESIGN.md section 3: these ids must exist in the referral map and mean these services.
CANONICAL_SERVICE_IDS: tuple[str, ...] = (
    "opvoedingslijn", "caw", "netwerk-islamexperten", "huizen-van-het-kind", "clb-clbchat",
    "tele-onthaal-106", "awel-102", "hulplijn-1712", "zelfmoordlijn-1813", "vvsg-radicalisering",
    "livc-r", "solentra", "cgg", "justitiehuizen-vlaanderen", "slachtofferzorg-be", "caprev",
    "ecoute-enfants-103", "tele-accueil-107", "centre-prevention-suicide", "one", "cpms", "saj",
    "maisons-de-justice-fwb", "wegweiser-ostbelgien", "kaleido-ostbelgien", "telefonhilfe-108",
    "emergency-112", "police-101", "child-focus-116000", "unia", "slachtoffers-terrorisme-federaal",
)  # fmt: skip
