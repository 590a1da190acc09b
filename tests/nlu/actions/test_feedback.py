""" "Did this help?": asked once a conversation; a yes or no that also corrects the situation redoes the
referral."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from nlu.actions.fallback import ActionClarify
from nlu.actions.referral import ActionFeedbackAnswer, ActionRefer
from tests.nlu.actions.conftest import MakeTracker, run

QUESTION = {"event": "bot", "data": {"custom": {"template": "ask_feedback", "asks": "feedback"}}}


def said(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


SITUATION = {"role": "parent", "concern": "radicalisation", "municipality": "44021"}


def test_the_question_follows_the_first_referral_in_the_same_answer(tracker: MakeTracker) -> None:
    [card, question], events = run(ActionRefer(), tracker(SITUATION))
    assert card["template"] == "referral" and question["asks"] == "feedback"
    assert events[-1] == SlotSet("feedback_asked", True)


def test_it_is_asked_once_a_conversation(tracker: MakeTracker) -> None:
    went_on = [QUESTION, said("eigenlijk gaat het om iets anders", "describe_professional_support")]
    [card], events = run(ActionRefer(), tracker({**SITUATION, "feedback_asked": True}, events=went_on))
    assert card["template"] == "referral" and SlotSet("feedback_asked", True) not in events


def test_yes_or_no_get_a_closing_line(tracker: MakeTracker) -> None:
    [thanks], events = run(ActionFeedbackAnswer(), tracker(intent="affirm", text="ja hoor"))
    assert thanks["template"] == "feedback_thanks" and events == []
    [sorry], _ = run(ActionFeedbackAnswer(), tracker(intent="deny", text="nee"))
    assert sorry["template"] == "feedback_sorry"
    assert [b["payload"] for b in sorry["buttons"]] == ["/ask_human", "/start_over"]


@pytest.mark.parametrize(
    ("action", "intent"),
    [
        (ActionFeedbackAnswer(), "deny"),
        (ActionClarify(), "nlu_fallback"),
    ],  # "no" to "did this help?", or unread
)
def test_a_message_that_corrects_the_home_after_a_referral_redoes_it(
    tracker: MakeTracker, action: Action, intent: str
) -> None:
    text = "oei nee sorry, daar werk ik. we wonen in Nevele, of ja, da is nu Deinze he sinds de fusie"
    entities = [{"entity": "place", "value": "Nevele", "start": 41, "end": 47}]
    referred = {"last_referral": "{}", "municipality": "41002", "role": "parent"}
    [again], events = run(action, tracker(referred, intent=intent, text=text, entities=entities))
    assert again["referral"]["situation"]["municipality"] == "44083"
    assert events[0] == SlotSet("municipality", "44083")  # Deinze, Nevele's municipality since 2019
    assert events[-1]["name"] == "last_referral"
