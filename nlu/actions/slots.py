"""Reading what the conversation knows from the tracker: locale, role, concern, urgency and place."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from nlu.actions.cues import (
    HOME_PREPOSITIONS,
    RESIDENCE,
    corrects_to,
    departure_soon,
    lives_there,
    names_an_event_place,
    own_role,
    place_spans,
    words,
)
from referral_map.geography import gazetteer
from referral_map.routing import Situation
from referral_map.taxonomy import Concern, Language, Role, Urgency

UNKNOWN = "unknown"
SESSION_METADATA = "session_started_metadata"


def latest_text(tracker: Tracker) -> str:
    """The text of the user's latest message."""
    return str(tracker.latest_message.get("text") or "")


def user_texts(tracker: Tracker) -> list[str]:
    """What the user typed since the conversation (re)started, the latest first; button presses left out."""
    texts: list[str] = []
    for event in tracker.events:
        if event.get("event") in {"restart", "session_started"}:
            texts.clear()
        elif event.get("event") == "user":
            text = str(event.get("text") or "")
            if text and not text.startswith("/"):
                texts.append(text)
    latest = latest_text(tracker)  # already among the events, except in a tracker built by hand
    if latest and not latest.startswith("/") and texts[-1:] != [latest]:
        texts.append(latest)
    return texts[::-1]


def questions_shown(tracker: Tracker, asks: str) -> int:
    """How many of the bot's messages since the conversation (re)started asked for `asks`."""
    shown = 0
    for event in tracker.events:
        if event.get("event") in {"restart", "session_started"}:
            shown = 0
        elif event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom") or {}
            shown += isinstance(custom, dict) and custom.get("asks") == asks
    return shown


def channel_told(tracker: Tracker) -> dict[str, Any]:
    """What the channel said when the session started (locale, and role or municipality where it knows them).

    Rasa's own session start (no call to the action server) keeps it in the `session_started_metadata`
    slot for the whole session (nlu/session_metadata.py).
    """
    told = tracker.get_slot(SESSION_METADATA)
    return told if isinstance(told, dict) else {}


def _language_of(value: Any) -> Language | None:
    if isinstance(value, str) and value[:2].lower() in Language.__members__.values():
        return Language(value[:2].lower())
    return None


def conversation_language(tracker: Tracker) -> Language | None:
    """The language the conversation is in: the one chosen in it, else the channel's at the start."""
    return _language_of(tracker.get_slot("language")) or _language_of(channel_told(tracker).get("locale"))


def channel_role(tracker: Tracker) -> Role | None:
    """The role the channel gave at the session's start (a helpline's bot for parents says "parent")."""
    role: Role | None = _choice(Role, channel_told(tracker).get("role"))
    return role


def channel_municipality(tracker: Tracker) -> str | None:
    """The NIS code of the place the channel gave at the session's start, or `unknown` when it said so."""
    place = channel_told(tracker).get("municipality")
    if not isinstance(place, str) or not place.strip():
        return None
    return UNKNOWN if place.strip().lower() == UNKNOWN else gazetteer().nis_of(place)


def locale(tracker: Tracker) -> Language:
    """The language to answer in: this message's metadata, else the conversation's, else English."""
    metadata = tracker.latest_message.get("metadata") or {}
    return _language_of(metadata.get("locale")) or conversation_language(tracker) or Language.EN


def _choice(kind: type[Role] | type[Concern] | type[Urgency], value: Any) -> Any:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def situation(tracker: Tracker, concern: Concern | None = None, urgency: Urgency | None = None) -> Situation:
    """The situation from the slots; arguments override what the slots say.

    Without a role slot (an emergency before the form asked), a relative the message names gives it.
    """
    concern = concern or _choice(Concern, tracker.get_slot("concern")) or Concern.PARENTING
    return Situation(
        role=_role(tracker),
        concern=concern,
        urgency=urgency or _choice(Urgency, tracker.get_slot("urgency")) or _urgency_told(tracker, concern),
        municipality=_nis(tracker, tracker.get_slot("municipality") or channel_municipality(tracker)),
        language=locale(tracker),
    )


def _urgency_told(tracker: Tracker, concern: Concern) -> Urgency:
    """Urgent when the user wrote of a departure within days ("vlucht naar Istanbul volgende week")."""
    if concern is Concern.TRAVEL_CONFLICT and any(departure_soon(text) for text in user_texts(tracker)):
        return Urgency.URGENT
    return Urgency.ROUTINE


def _role(tracker: Tracker) -> Role:
    """The role slot (else the channel's); parent or family as the writer's own words say it; without
    either, those words."""
    # Outside the form nothing validates the slot: a stray entity ("Deinze") leaves the role given before.
    role: Role | None = (
        _choice(Role, tracker.get_slot("role"))
        or _choice(Role, earlier_value(tracker, "role", {r.value for r in Role}))
        or channel_role(tracker)
    )
    if role is None or role in {Role.PARENT, Role.FAMILY}:
        return own_role(latest_text(tracker)) or role or Role.UNKNOWN
    return role


def _nis(tracker: Tracker, value: Any) -> str | None:
    """The slot holds a NIS code once the form validated it; before that (an emergency) the raw place text."""
    if not isinstance(value, str) or not value.strip() or value == UNKNOWN:
        return None
    if value in gazetteer().by_nis:
        return value
    return place_in_message(tracker, value)


def place_in_message(tracker: Tracker, value: str, keep_earlier: bool = True) -> str | None:
    """The user's municipality from the places the latest message names, or the one they gave before.

    Of several places, one next to a correcting word wins ("We live in Ghent. well, Merelbeke actually"),
    then one they say they live or work in. A place named in passing ("Brussels to Gaziantep") does not
    replace the place the user gave before (unless `keep_earlier` is off).
    """
    text = latest_text(tracker)
    names = list(dict.fromkeys(place_names(tracker) or [value]))
    readings: list[tuple[str, bool, bool]] = []  # NIS code, said home, corrected to
    for name in names:
        nis = place_in_passing(tracker, name)
        if nis is None:
            continue
        spans = place_spans(text, name, _entity_spans(tracker, name))
        readings.append((nis, lives_there(text, spans), corrects_to(text, spans)))
    earlier = earlier_value(tracker, "municipality", set(gazetteer().by_nis)) if keep_earlier else None
    corrected = [nis for nis, _, fixed in readings if fixed]
    home = [nis for nis, said_home, _ in readings if said_home]
    if corrected or home:
        return (corrected or home)[-1]
    if earlier:
        return earlier
    return readings[0][0] if readings else None


HOME_WORDS = 3  # "we wonen in sint agatha berchem": up to three words after "in" are tried as a place


def home_named(text: str) -> str | None:
    """The NIS code of the place after "we wonen in", "on habite à", "wir wohnen in", "we live in", as the
    gazetteer knows it, for the places the model did not tag ("ik ben zijn vader. we wonen in houthalen")."""
    tokens = words(text)
    for i, token in enumerate(tokens[:-1]):
        if token not in RESIDENCE or tokens[i + 1] not in HOME_PREPOSITIONS:
            continue
        following = tokens[i + 2 : i + 2 + HOME_WORDS]
        for size in range(len(following), 0, -1):
            nis = gazetteer().nis_of(" ".join(following[:size]), forgive_typos=False)
            if nis:
                return nis
    return None


def place_names(tracker: Tracker) -> list[str]:
    """The places the model tagged in the latest message, as written."""
    return [
        entity["value"]
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == "place" and isinstance(entity.get("value"), str)
    ]


def _entity_spans(tracker: Tracker, place: str) -> list[tuple[int, int]]:
    return [
        (entity["start"], entity["end"])
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == "place"
        and entity.get("value") == place
        and isinstance(entity.get("start"), int)
        and isinstance(entity.get("end"), int)
    ]


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
    spans = place_spans(text, place, _entity_spans(tracker, place))
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
