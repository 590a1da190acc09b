"""Rasa intent payloads: `/intent` or `/intent{"entity":"value"}`, as buttons send them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from referral_map.taxonomy import Concern, Language, Role

_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?$", re.DOTALL)
DESCRIBE = "describe_"


@dataclass(frozen=True)
class IntentPayload:
    intent: str
    entities: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return payload(self.intent, **self.entities)


def payload(intent: str, **entities: str) -> str:
    """The text a button sends to Rasa to trigger `intent` with these entities."""
    return f"/{intent}" + (json.dumps(entities, separators=(",", ":")) if entities else "")


def parse_payload(text: str) -> IntentPayload | None:
    """The intent and entities of a payload; None for free text or a malformed payload."""
    match = _PAYLOAD.match(text.strip())
    if match is None:
        return None
    entities: dict[str, str] = {}
    if match.group("entities"):
        try:
            decoded = json.loads(match.group("entities"))
        except ValueError:
            return None
        if not isinstance(decoded, dict):
            return None
        entities = {str(key): str(value) for key, value in decoded.items()}
    return IntentPayload(match.group("intent"), entities)


def describe(concern: Concern) -> str:
    """The payload that says what is going on: `/describe_<concern>`."""
    return payload(DESCRIBE + concern.value)


def inform_role(role: Role) -> str:
    return payload("inform_role", role=role.value)


def inform_place(place: str) -> str:
    """A place answer: a NIS code, or "unknown" when the user prefers not to say."""
    return payload("inform_place", place=place)


def change_language(language: Language) -> str:
    return payload("change_language", language=language.value)


def concern_of(text: str) -> Concern | None:
    """The concern a `/describe_<concern>` payload names."""
    parsed = parse_payload(text)
    if parsed is None or not parsed.intent.startswith(DESCRIBE):
        return None
    name = parsed.intent.removeprefix(DESCRIBE)
    return Concern(name) if name in Concern.__members__.values() else None


def language_of(text: str) -> Language | None:
    """The language a `/change_language{"language": ...}` payload asks for."""
    parsed = parse_payload(text)
    if parsed is None or parsed.intent != "change_language":
        return None
    wanted = parsed.entities.get("language", "")
    return Language(wanted) if wanted in Language.__members__.values() else None


# The payloads a button may send without the model reading text.
EMERGENCY = payload("emergency")
SUICIDAL_THOUGHTS = payload("suicidal_thoughts")  # the bot answers it from the map, like EMERGENCY
START_OVER = payload("start_over")
ASK_HUMAN = payload("ask_human")
FEEDBACK_HELPFUL = payload("feedback_helpful")
FEEDBACK_NOT_HELPFUL = payload("feedback_not_helpful")
