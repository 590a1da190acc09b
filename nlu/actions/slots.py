"""Reading what the conversation knows from the tracker: locale, role, concern, urgency and place."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from nlu.actions.cues import lives_there, names_an_event_place, own_role, place_spans
from referral_map.geography import gazetteer
from referral_map.routing import Situation
from referral_map.taxonomy import Concern, Language, Role, Urgency

UNKNOWN = "unknown"


def latest_text(tracker: Tracker) -> str:
    """The text of the user's latest message."""
    return str(tracker.latest_message.get("text") or "")


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
    """The situation from the slots; arguments override what the slots say.

    Without a role slot (an emergency before the form asked), a relative the message names gives it.
    """
    return Situation(
        role=_role(tracker),
        concern=concern or _choice(Concern, tracker.get_slot("concern")) or Concern.PARENTING,
        urgency=urgency or _choice(Urgency, tracker.get_slot("urgency")) or Urgency.ROUTINE,
        municipality=_nis(tracker, tracker.get_slot("municipality")),
        language=locale(tracker),
    )


def _role(tracker: Tracker) -> Role:
    """The role slot; parent or family as the writer's own words say it; without a slot, those words."""
    role: Role | None = _choice(Role, tracker.get_slot("role"))
    if role is None or role in {Role.PARENT, Role.FAMILY}:
        return own_role(latest_text(tracker)) or role or Role.UNKNOWN
    return role


def _nis(tracker: Tracker, value: Any) -> str | None:
    """The slot holds a NIS code once the form validated it; before that (an emergency) the raw place text."""
    if not isinstance(value, str) or not value.strip() or value == UNKNOWN:
        return None
    if value in gazetteer().by_nis:
        return value
    return place_in_passing(tracker, value)


def place_in_passing(tracker: Tracker, place: str) -> str | None:
    """The NIS code of a place the latest message names without being asked where the user is, or None.

    The gazetteer must know the place as it is written (no typo forgiveness: "Heureusement" is not Gent)
    and as one municipality; and a place where something happened ("na de aanslag in Zaventem") is not
    the user's, unless the message says they live or work there ("ik woon in Zaventem").
    """
    nis = gazetteer().nis_of(place[:80], forgive_typos=False)
    if nis is None:
        return None
    text = latest_text(tracker)
    entity_spans = [
        (entity["start"], entity["end"])
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == "place"
        and entity.get("value") == place
        and isinstance(entity.get("start"), int)
        and isinstance(entity.get("end"), int)
    ]
    spans = place_spans(text, place, entity_spans)
    if names_an_event_place(text, spans) and not lives_there(text, spans):
        return None
    return nis


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
