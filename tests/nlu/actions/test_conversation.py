"""Session start, language changes and starting over."""

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from nlu.actions.conversation import ActionChangeLanguage, ActionSessionStart, ActionStartOver
from tests.nlu.actions.conftest import MakeTracker, run


def test_session_start_copies_locale_and_known_context(tracker: MakeTracker) -> None:
    metadata = {"locale": "fr-BE", "role": "teacher", "municipality": "Liège"}
    [], events = run(ActionSessionStart(), tracker({"session_started_metadata": metadata}))
    assert events == [
        SessionStarted(),
        SlotSet("language", "fr"),
        SlotSet("role", "teacher"),
        SlotSet("municipality", "62063"),
        ActionExecuted("action_listen"),
    ]


def test_session_start_ignores_bad_metadata(tracker: MakeTracker) -> None:
    metadata = {"locale": "xx", "role": "king", "municipality": "Atlantis"}
    [], events = run(ActionSessionStart(), tracker({"session_started_metadata": metadata}))
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


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
