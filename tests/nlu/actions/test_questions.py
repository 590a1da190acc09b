"""The questions the form asks."""

from rasa_sdk.events import SlotSet

from nlu.actions.questions import ActionAskMunicipality, ActionAskRole
from tests.nlu.actions.conftest import MakeTracker, run


def test_questions_carry_asks_and_buttons(tracker: MakeTracker) -> None:
    [message], _ = run(ActionAskRole(), tracker())
    assert message["asks"] == "role"
    assert message["buttons"][-1] == {"template": "role_unknown", "payload": '/inform_role{"role":"unknown"}'}
    [message], _ = run(ActionAskMunicipality(), tracker())
    assert message["asks"] == "municipality"
    [], events = run(ActionAskMunicipality(), tracker({"place_hint_given": True}))
    assert events == [SlotSet("place_hint_given", False)]
