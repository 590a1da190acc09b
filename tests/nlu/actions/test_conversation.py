"""What the channel told at the session's start, language changes and starting over."""

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from nlu.actions.conversation import ActionChangeLanguage, ActionStartOver
from nlu.actions.form import ValidateReferralForm
from nlu.actions.slots import channel_municipality, channel_role, conversation_language, situation
from referral_map.taxonomy import Language, Role
from tests.nlu.actions.conftest import MakeTracker, run

FORM_DOMAIN = {"forms": {"referral_form": {"required_slots": ["role", "concern", "municipality"]}}}


def session(metadata: dict[str, Any]) -> dict[str, Any]:
    """The slot Rasa's session start sets for the session (nlu/session_metadata.py)."""
    return {"session_started_metadata": metadata}


def form_slots(tracker: Tracker) -> dict[str, Any]:
    """The slots once the validation action's events are applied (the user's message last among the events
    as Rasa sends it)."""
    text = tracker.latest_message["text"]
    if not any(event.get("event") == "user" for event in tracker.events):
        tracker.events.append({"event": "user", "text": text})
    before = dict(tracker.slots)
    events = asyncio.run(ValidateReferralForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN))
    return before | {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def test_the_form_takes_role_and_place_from_the_channel(tracker: MakeTracker) -> None:
    told = session({"locale": "fr-BE", "role": "teacher", "municipality": "Liège"})
    slots = form_slots(tracker(told, text="des tensions dans ma classe", locale="fr"))
    assert slots["role"] == "teacher" and slots["municipality"] == "62063"
    assert conversation_language(tracker(told)) is Language.FR
    text = "depuis l'attentat à Bruxelles, des tensions dans ma classe"
    start = text.index("Bruxelles")
    brussels = [{"entity": "place", "value": "Bruxelles", "start": start, "end": start + 9}]
    assert form_slots(tracker(told, text=text, entities=brussels))["municipality"] == "62063"


def test_what_the_user_says_wins_over_the_channel(tracker: MakeTracker) -> None:
    told = session({"locale": "nl", "role": "teacher", "municipality": "Gent"})
    mapped = [{"event": "user", "text": "ik ben imam"}, {"event": "slot", "name": "role", "value": "imam"}]
    imam = [{"entity": "role", "value": "imam"}]
    said = tracker({"role": "imam", **told}, text="ik ben imam", entities=imam, events=mapped)
    assert form_slots(said)["role"] == "imam"
    assert form_slots(tracker({"role": "parent", **told}, text="mijn zoon"))["role"] == "parent"


def test_bad_channel_metadata_fills_nothing(tracker: MakeTracker) -> None:
    told = session({"locale": "xx", "role": "king", "municipality": "Atlantis"})
    slots = form_slots(tracker(told, text="mijn klas"))
    assert slots.get("role") is None and slots.get("municipality") is None
    assert conversation_language(tracker(told)) is None


def test_the_channel_can_leave_the_place_unknown(tracker: MakeTracker) -> None:
    later = tracker(session({"locale": "nl", "municipality": "unknown"}), text="wat kan ik doen")
    assert channel_role(later) is None and channel_municipality(later) == "unknown"
    assert conversation_language(later) is Language.NL


def test_an_emergency_before_the_form_carries_the_channels_role_and_place(tracker: MakeTracker) -> None:
    told = session({"locale": "nl", "role": "youth_worker", "municipality": "9000"})
    now = situation(tracker(told, intent="emergency", text="hij heeft een mes bij"))
    assert now.role is Role.YOUTH_WORKER and now.municipality == "44021"


def test_change_language(tracker: MakeTracker) -> None:
    entities = [{"entity": "language", "value": "de"}]
    [message], events = run(ActionChangeLanguage(), tracker(intent="change_language", entities=entities))
    assert message == {"template": "language_changed", "args": {"language": "de"}}
    assert events == [SlotSet("language", "de")]
    [message], events = run(ActionChangeLanguage(), tracker(intent="change_language"))
    assert message["asks"] == "language" and len(message["buttons"]) == 4
    assert events == []


def test_change_language_to_the_one_the_message_is_written_in(tracker: MakeTracker) -> None:
    """ "mag ik verder in het Nederlands? mijn Frans is ..." names two languages; the bot read Dutch."""
    entities = [{"entity": "language", "value": "nl"}, {"entity": "language", "value": "fr"}]
    said = tracker({"language": "fr"}, intent="change_language", entities=entities, locale="nl")
    [message], events = run(ActionChangeLanguage(), said)
    assert message == {"template": "language_changed", "args": {"language": "nl"}}
    assert events == [SlotSet("language", "nl")]


def test_change_language_after_a_referral_gives_it_again(tracker: MakeTracker) -> None:
    entities = [{"entity": "language", "value": "nl"}]
    slots = {"language": "fr", "last_referral": '{"concern": "radicalisation"}'}
    [changed, again], events = run(
        ActionChangeLanguage(), tracker(slots, intent="change_language", entities=entities)
    )
    assert changed["template"] == "language_changed" and again["referral"]["situation"]["language"] == "nl"
    assert events[0] == SlotSet("language", "nl") and events[-1]["name"] == "last_referral"


def test_start_over_keeps_the_language(tracker: MakeTracker) -> None:
    [message], events = run(ActionStartOver(), tracker({"role": "parent"}, intent="start_over", locale="fr"))
    assert message["template"] == "start_over"
    assert events[-1] == SlotSet("language", "fr")
