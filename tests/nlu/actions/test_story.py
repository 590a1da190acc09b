"""The concern read from the whole conversation, and the replies that must not restart it."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from nlu.actions.fallback import ActionClarify
from nlu.actions.form import ValidateReferralForm
from nlu.actions.story import says_thanks, story_reading
from tests.nlu.actions.conftest import MakeTracker, run


def user(text: str, *ranking: tuple[str, float]) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent_ranking": [{"name": name, "confidence": c} for name, c in ranking]},
    }


STORY = " ".join(["he listens only to preachers on tiktok and says his sister will burn in hell"] * 4)
EVENTS = [
    user("hello i worry about my son", ("describe_parenting", 0.3), ("greet", 0.2)),
    user(STORY, ("describe_radicalisation", 0.45), ("describe_violence_threat", 0.2)),
    user("i am his mother, we live in schaerbeek", ("describe_travel_conflict", 0.46)),
]


def test_long_messages_outweigh_short_answers() -> None:
    reading = story_reading(_tracker(EVENTS))
    assert reading.likeliest == "radicalisation" and reading.messages == 3
    assert reading.concerns()[:2] == ["radicalisation", "violence_threat"]


def _tracker(events: list[dict[str, Any]]) -> Any:
    from rasa_sdk import Tracker

    return Tracker("s", {}, {"text": events[-1]["text"]}, events, False, None, {}, "action_listen")


def test_a_restart_forgets_the_story() -> None:
    reading = story_reading(_tracker([*EVENTS, {"event": "restart"}, user("hi", ("greet", 0.9))]))
    assert reading.ranking == [] and reading.messages == 1


def test_an_unsure_reading_of_a_short_answer_takes_the_storys_concern(tracker: MakeTracker) -> None:
    latest = tracker(
        {"concern_asked": True},
        intent="describe_travel_conflict",
        confidence=0.46,
        text="i am his mother, we live in schaerbeek",
        events=EVENTS,
    )
    result = ValidateReferralForm().validate_concern("travel_conflict", CollectingDispatcher(), latest, {})
    assert result == {"concern": "radicalisation"}


def test_a_concern_the_conversation_has_is_not_undone_by_an_unsure_or_general_reading(
    tracker: MakeTracker,
) -> None:
    had = [
        {"event": "slot", "name": "concern", "value": "polarisation"},
        user("wait, does this go to the police?"),
    ]
    validate = ValidateReferralForm().validate_concern
    unsure = tracker(intent="describe_youth_support", confidence=0.42, events=had)
    assert validate("youth_support", CollectingDispatcher(), unsure, {}) == {"concern": "polarisation"}
    thanks = tracker(intent="describe_parenting", confidence=0.87, events=had)
    assert validate("parenting", CollectingDispatcher(), thanks, {}) == {"concern": "polarisation"}
    sure = tracker(intent="describe_travel_conflict", confidence=0.97, events=had)
    assert validate("travel_conflict", CollectingDispatcher(), sure, {}) == {"concern": "travel_conflict"}
    pressed = tracker(intent="describe_parenting", confidence=1.0, events=had)  # the button: a correction
    assert validate("parenting", CollectingDispatcher(), pressed, {}) == {"concern": "parenting"}


def test_thanks_the_model_could_not_read_get_a_warm_reply_not_a_question(tracker: MakeTracker) -> None:
    for text in ["merci he, ge zijt vriendelijk", "Merci beaucoup madame", "Vielen Dank!", "thx a lot"]:
        assert says_thanks(text), text
        [reply], events = run(ActionClarify(), tracker(intent="nlu_fallback", text=text))
        assert reply["template"] == "you_are_welcome" and events == []
    assert not says_thanks("ik dank de hemel dat hij nog leeft")  # "dank" alone is no thanks


def test_not_understood_in_the_form_lets_the_form_ask_once_with_the_storys_concerns(
    tracker: MakeTracker,
) -> None:
    latest = tracker(intent="nlu_fallback", text=STORY, events=EVENTS[:2], active_loop="referral_form")
    replies, events = run(ActionClarify(), latest)
    assert replies == []  # the form's own question follows: one question, not two
    assert events == [SlotSet("concern_candidates", ["radicalisation", "violence_threat", "parenting"])]


def test_asked_once_and_answered_with_something_else_the_story_decides(tracker: MakeTracker) -> None:
    waiting = {"requested_slot": "concern", "questions_asked": ["concern"]}
    latest = tracker(waiting, intent="inform_role", text="i am his mother", events=EVENTS)
    extracted = ValidateReferralForm().extract_concern(CollectingDispatcher(), latest, {})
    assert extracted == {"concern": "radicalisation", "concern_asked": True}
    nothing_told = tracker(waiting, intent="inform_role", text="i am his mother", events=[])
    assert ValidateReferralForm().extract_concern(CollectingDispatcher(), nothing_told, {}) == {}


def test_declining_to_give_the_place_goes_on_without_it(tracker: MakeTracker) -> None:
    asked = {"requested_slot": "municipality", "questions_asked": ["municipality"]}
    text = "i'd rather not say where i live. belgium is small and they know people"
    latest = tracker(asked, intent="describe_youth_support", text=text)
    assert ValidateReferralForm().extract_municipality(CollectingDispatcher(), latest, {}) == {
        "municipality": "unknown"
    }
    story = tracker(asked, intent="describe_radicalisation", text=STORY)
    assert ValidateReferralForm().extract_municipality(CollectingDispatcher(), story, {}) == {}


def test_a_short_reply_that_is_a_place_answers_the_place_question(tracker: MakeTracker) -> None:
    asked = {"requested_slot": "municipality", "questions_asked": ["municipality"]}
    latest = tracker(asked, intent="affirm", text="saint josse")
    assert ValidateReferralForm().extract_municipality(CollectingDispatcher(), latest, {}) == {
        "municipality": "saint josse"
    }


def test_a_place_named_for_an_event_does_not_undo_the_place_given_before(tracker: MakeTracker) -> None:
    text = "in de les zei hij dat de aanslag in Brussel verdiend was"
    before = [{"event": "slot", "name": "municipality", "value": "45041"}, user(text)]
    entities = [{"entity": "place", "value": "Brussel", "start": 31, "end": 38}]
    latest = tracker({"requested_slot": "concern"}, text=text, entities=entities, events=before)
    validated = ValidateReferralForm().validate_municipality("Brussel", CollectingDispatcher(), latest, {})
    assert validated == {"municipality": "45041"}  # Ronse stays


def test_a_place_meaning_several_is_narrowed_by_another_place_in_the_message(tracker: MakeTracker) -> None:
    text = "Berchem. The Antwerp one, not the one in Brussels"
    entities = [
        {"entity": "place", "value": "Berchem", "start": 0, "end": 7},
        {"entity": "place", "value": "Antwerp", "start": 13, "end": 20},
        {"entity": "place", "value": "Brussels", "start": 41, "end": 49},
    ]
    latest = tracker({"requested_slot": "municipality"}, intent="inform_place", text=text, entities=entities)
    result = ValidateReferralForm().validate_municipality("Brussels", CollectingDispatcher(), latest, {})
    assert result == {"municipality": "11002"}


def test_a_later_reading_changes_the_concern_only_when_sure(tracker: MakeTracker) -> None:
    had = [{"event": "slot", "name": "concern", "value": "victim_support"}, user("i'd rather not say")]
    validate = ValidateReferralForm().validate_concern
    fairly_sure = tracker(intent="describe_youth_support", confidence=0.74, events=had)
    assert validate("youth_support", CollectingDispatcher(), fairly_sure, {}) == {"concern": "victim_support"}


def test_a_named_concern_replaces_the_general_worry_of_a_vague_opener(tracker: MakeTracker) -> None:
    had = [{"event": "slot", "name": "concern", "value": "parenting"}, user("ze wil een hoofddoek dragen")]
    latest = tracker(intent="describe_religious_question", confidence=0.63, events=had)
    validated = ValidateReferralForm().validate_concern(
        "religious_question", CollectingDispatcher(), latest, {}
    )
    assert validated == {"concern": "religious_question"}


def test_a_message_that_tells_no_story_gives_no_concern() -> None:
    told = [user("ik ben leerkracht in Gent", ("inform_role", 0.9), ("describe_religious_question", 0.05))]
    assert story_reading(_tracker(told)).ranking == []
