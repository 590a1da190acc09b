"""The questions the form asks."""

from rasa_sdk.events import SlotSet

from nlu.actions.questions import ActionAskConcern, ActionAskMunicipality, ActionAskRole
from tests.nlu.actions.conftest import MakeTracker, run


def test_questions_carry_asks_and_buttons(tracker: MakeTracker) -> None:
    [message], _ = run(ActionAskRole(), tracker())
    assert message["asks"] == "role"
    assert message["buttons"][-1] == {"template": "role_unknown", "payload": '/inform_role{"role":"unknown"}'}
    [message], _ = run(ActionAskMunicipality(), tracker())
    assert message["asks"] == "municipality"
    [], events = run(ActionAskMunicipality(), tracker({"place_hint_given": True}))
    assert events == [SlotSet("place_hint_given", False), SlotSet("questions_asked", ["municipality"])]


def test_an_unsure_concern_is_asked_with_the_likeliest_readings_first(tracker: MakeTracker) -> None:
    likely = {"concern_candidates": ["polarisation", "radicalisation"]}
    [message], events = run(ActionAskConcern(), tracker(likely))
    assert (message["template"], message["asks"]) == ("clarify", "concern")
    payloads = [button["payload"] for button in message["buttons"]]
    assert payloads[:2] == ["/describe_polarisation", "/describe_radicalisation"]
    assert len(payloads) == len(set(payloads)) == 12  # every concern stays on offer
    assert events == [SlotSet("concern_asked", True), SlotSet("questions_asked", ["concern"])]
    [plain], events = run(ActionAskConcern(), tracker({"questions_asked": ["role"]}))
    assert plain["template"] == "ask_concern"
    assert events == [SlotSet("questions_asked", ["role", "concern"])]


def test_danger_the_model_alone_read_is_asked_with_danger_now_first(tracker: MakeTracker) -> None:
    [message], _ = run(ActionAskConcern(), tracker({"concern_candidates": ["emergency", "radicalisation"]}))
    assert message["template"] == "clarify_danger"
    payloads = [button["payload"] for button in message["buttons"]]
    assert payloads[:2] == ["/emergency", "/describe_radicalisation"] and message["args"] == {}
    dying = {"danger_reading": {"kind": None, "model_intent": "describe_self_harm", "unsure_danger": True}}
    candidates = {"concern_candidates": ["emergency", "self_harm"]}
    [message], _ = run(ActionAskConcern(), tracker(candidates, extra=dying))
    assert message["template"] == "clarify"  # naming talk of dying: the bot leads with the suicide line
    assert message["args"] == {"danger": "suicidal_intent"}


def test_after_an_interruption_one_short_line_brings_the_user_back_without_counting_as_an_ask(
    tracker: MakeTracker,
) -> None:
    for action, slot, template in [
        (ActionAskRole(), "role", "resume_role"),
        (ActionAskConcern(), "concern", "resume_concern"),
        (ActionAskMunicipality(), "municipality", "resume_municipality"),
    ]:
        asked = {"questions_asked": [slot]}
        [message], events = run(action, tracker(asked, intent="ask_privacy"))
        assert (message["template"], message["asks"], events) == (template, slot, [])
        [message], events = run(action, tracker(asked, intent="inform"))
        assert message["template"] == f"ask_{slot}_again"  # a reply that did not answer is a real repeat
        [message], _ = run(action, tracker(intent="greet"))
        assert message["template"] != template  # never asked yet: the whole question
