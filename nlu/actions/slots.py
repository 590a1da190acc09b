"""Reading what the conversation knows from the tracker: locale, role, concern, urgency and place."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from referral_map.geography import gazetteer
from referral_map.routing import Situation
from referral_map.taxonomy import Concern, Language, Role, Urgency

UNKNOWN = "unknown"


def locale(tracker: Tracker) -> Language:
    """The language to answer in: this message's metadata, else the slot, else English."""
    metadata = tracker.latest_message.get("metadata") or {}
    for candidate in (metadata.get("locale"), tracker.get_slot("language")):
        if isinstance(candidate, str) and candidate[:2].lower() in Language.__members__.values():
            return Language(candidate[:2].lower())
    return Language.EN


def _choice(kind: type[Role] | type[Concern] | type[Urgency], value: Any) -> Any:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def situation(tracker: Tracker, concern: Concern | None = None, urgency: Urgency | None = None) -> Situation:
    """The situation from the slots; arguments override what the slots say."""
    return Situation(
        role=_choice(Role, tracker.get_slot("role")) or Role.UNKNOWN,
        concern=concern or _choice(Concern, tracker.get_slot("concern")) or Concern.PARENTING,
        urgency=urgency or _choice(Urgency, tracker.get_slot("urgency")) or Urgency.ROUTINE,
        municipality=_nis(tracker.get_slot("municipality")),
        language=locale(tracker),
    )


def _nis(value: Any) -> str | None:
    """The slot holds a NIS code once the form validated it; before that (an emergency) the raw place text."""
    if not isinstance(value, str) or not value.strip() or value == UNKNOWN:
        return None
    if value in gazetteer().by_nis:
        return value
    return gazetteer().nis_of(value)


def earlier_value(tracker: Tracker, slot: str, valid: set[str]) -> str | None:
    """The slot's valid value from before the latest user message (what this turn's mapping overwrote)."""
    events = list(tracker.events)
    last_user = max(
        (i for i, event in enumerate(events) if event.get("event") == "user"), default=len(events)
    )
    for event in reversed(events[:last_user]):
        if event.get("event") in {"restart", "reset_slots", "session_started"}:
            return None
        if event.get("event") == "slot" and event.get("name") == slot:
            value = event.get("value")
            return value if value in valid else None
    return None
