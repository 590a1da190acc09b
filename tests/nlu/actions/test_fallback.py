"""The clarifying question, then the menu."""

from rasa_sdk.events import SlotSet

from nlu.actions.fallback import ActionClarify
from tests.nlu.actions.conftest import MakeTracker, run


def test_two_stage_fallback(tracker: MakeTracker) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "describe_polarisation", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "describe_radicalisation", "confidence": 0.15},
    ]
    [message], events = run(ActionClarify(), tracker(intent="nlu_fallback", ranking=ranking))
    assert message["template"] == "clarify"
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:2] == ["/describe_polarisation", "/describe_radicalisation"]  # the likeliest first
    assert payloads[-1] == "/ask_human"
    assert len(payloads) == len(set(payloads)) == 13  # then every other situation: the right one is on offer
    assert events == [SlotSet("clarified", True)]
    [message], events = run(
        ActionClarify(), tracker({"clarified": True}, intent="nlu_fallback", ranking=ranking)
    )
    assert message["template"] == "fallback_menu"
    assert len(message["buttons"]) == 13
    assert events == [SlotSet("clarified", False)]


def test_not_understood_twice_after_a_referral_the_referral_stands(tracker: MakeTracker) -> None:
    """ "ok, fair enough. so what would you suggest?" after the services were given."""
    referred = {"clarified": True, "last_referral": '{"concern": "polarisation"}'}
    [message], events = run(ActionClarify(), tracker(referred, intent="nlu_fallback"))
    assert message["template"] == "same_referral" and "asks" not in message
    assert [b["payload"] for b in message["buttons"]][-1] == "/ask_human"
    assert events == [SlotSet("clarified", False)]
