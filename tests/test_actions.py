"""Custom actions, run with rasa-sdk's CollectingDispatcher and tracker fixtures."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from nlu.actions.conversation import ActionChangeLanguage, ActionSessionStart, ActionStartOver
from nlu.actions.fallback import ActionClarify
from nlu.actions.form import ValidateReferralForm
from nlu.actions.questions import ActionAskMunicipality, ActionAskRole
from nlu.actions.referral import ActionEmergencyReferral, ActionRefer, ActionTalkToPerson

MakeTracker = Callable[..., Tracker]


@pytest.fixture
def tracker() -> MakeTracker:
    def make(
        slots: dict[str, Any] | None = None,
        intent: str = "describe_radicalisation",
        text: str = "",
        entities: list[dict[str, Any]] | None = None,
        locale: str = "nl",
        active_loop: str | None = None,
        ranking: list[dict[str, Any]] | None = None,
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
            "intent_ranking": ranking or [],
            "metadata": {"locale": locale},
        }
        return Tracker(
            "test-session",
            slots or {},
            latest,
            [],
            False,
            None,
            {"name": active_loop} if active_loop else {},
            "action_listen",
        )

    return make


def run(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return [message["custom"] for message in dispatcher.messages], events


def test_refer_routes_the_collected_situation(tracker: MakeTracker) -> None:
    slots = {"role": "teacher", "concern": "polarisation", "municipality": "44021"}
    [message], events = run(ActionRefer(), tracker(slots, locale="fr"))
    assert message["template"] == "referral"
    assert message["referral"]["situation"] == {
        "role": "teacher",
        "concern": "polarisation",
        "urgency": "routine",
        "municipality": "44021",
        "language": "fr",
    }
    assert message["referral"]["services"][0] == {
        "id": "clb-clbchat",
        "location_id": None,
        "reason": "teacher_worried_flanders",
    }
    assert events == [SlotSet("clarified", False)]


def test_refer_without_a_place_uses_community_wide_services(tracker: MakeTracker) -> None:
    slots = {"role": "parent", "concern": "radicalisation", "municipality": "unknown"}
    [message], _ = run(ActionRefer(), tracker(slots, locale="nl"))
    assert message["referral"]["situation"]["municipality"] is None
    assert [s["id"] for s in message["referral"]["services"]][:2] == ["opvoedingslijn", "caw"]


def test_emergency_pre_empts_the_form(tracker: MakeTracker) -> None:
    [message], events = run(
        ActionEmergencyReferral(),
        tracker({"role": "parent"}, intent="emergency", locale="fr", active_loop="referral_form"),
    )
    assert message["template"] == "emergency_referral"
    assert [s["id"] for s in message["referral"]["services"]][:2] == ["emergency-112", "police-101"]
    assert message["referral"]["situation"]["urgency"] == "emergency"
    assert events == [
        SlotSet("concern", "violence_threat"),
        SlotSet("urgency", "emergency"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
    ]


@pytest.mark.parametrize(
    ("locale", "line"),
    [("nl", "zelfmoordlijn-1813"), ("fr", "centre-prevention-suicide"), ("de", "telefonhilfe-108")],
)
def test_self_harm_puts_the_suicide_line_first(tracker: MakeTracker, locale: str, line: str) -> None:
    [message], events = run(ActionEmergencyReferral(), tracker(intent="describe_self_harm", locale=locale))
    assert message["referral"]["services"][0] == {"id": line, "location_id": None, "reason": "self_harm_line"}
    assert events == [
        SlotSet("concern", "self_harm"),
        SlotSet("urgency", "routine"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
    ]


def test_emergency_with_an_unvalidated_place_still_routes(tracker: MakeTracker) -> None:
    [message], _ = run(
        ActionEmergencyReferral(), tracker({"municipality": "eupen"}, intent="emergency", locale="de")
    )
    assert message["referral"]["situation"]["municipality"] == "63023"
    [message], _ = run(
        ActionEmergencyReferral(), tracker({"municipality": "bahnhof"}, intent="emergency", locale="de")
    )
    assert message["referral"]["situation"]["municipality"] is None
    assert message["referral"]["services"][0]["id"] == "emergency-112"


def test_violence_threat_puts_112_and_101_first(tracker: MakeTracker) -> None:
    [message], _ = run(ActionEmergencyReferral(), tracker(intent="describe_violence_threat", locale="en"))
    services = message["referral"]["services"]
    assert [s["id"] for s in services[:2]] == ["emergency-112", "police-101"]
    assert {s["reason"] for s in services[:2]} == {"violence_threat_first"}


def validate_municipality(tracker: Tracker, value: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = ValidateReferralForm().validate_municipality(value, dispatcher, tracker, {})
    return result, [message["custom"] for message in dispatcher.messages]


def test_municipality_is_resolved_to_its_nis_code(tracker: MakeTracker) -> None:
    assert validate_municipality(tracker(intent="inform_place"), "Gand") == ({"municipality": "44021"}, [])
    assert validate_municipality(tracker(intent="inform_place"), "sint jans molenbeek")[0] == {
        "municipality": "21012"
    }


def test_ambiguous_postcode_offers_the_candidates(tracker: MakeTracker) -> None:
    result, [message] = validate_municipality(tracker(intent="inform_place", locale="fr"), "1050")
    assert result == {"municipality": None, "place_hint_given": True}
    assert message["template"] == "place_ambiguous" and message["asks"] == "municipality"
    assert [b["payload"] for b in message["buttons"]] == [
        '/inform_place{"place":"21004"}',
        '/inform_place{"place":"21009"}',
        '/inform_place{"place":"unknown"}',
    ]
    assert message["buttons"][1]["args"]["name"] == "Ixelles"


def test_unknown_place_offers_suggestions(tracker: MakeTracker) -> None:
    result, [message] = validate_municipality(tracker(intent="inform_place"), "Brugge-city")
    assert result["municipality"] is None
    assert message["template"] == "place_not_found"
    assert message["args"] == {"query": "Brugge-city"}
    assert '/inform_place{"place":"31005"}' in [b["payload"] for b in message["buttons"]]


@pytest.mark.parametrize(("intent", "value"), [("inform_place", "unknown"), ("deny", "liever niet")])
def test_place_can_stay_unknown(tracker: MakeTracker, intent: str, value: str) -> None:
    assert validate_municipality(tracker(intent=intent), value) == ({"municipality": "unknown"}, [])


def test_role_and_concern_must_be_taxonomy_ids(tracker: MakeTracker) -> None:
    form = ValidateReferralForm()
    dispatcher = CollectingDispatcher()
    assert form.validate_role("imam", dispatcher, tracker(), {}) == {"role": "imam"}
    assert form.validate_role("mams", dispatcher, tracker(), {}) == {"role": None}
    entities = [{"entity": "role", "value": "teacher"}, {"entity": "role", "value": "mijn"}]
    assert form.validate_role("mijn", dispatcher, tracker(entities=entities), {}) == {"role": "teacher"}
    assert form.validate_concern("out_of_scope", dispatcher, tracker(), {}) == {"concern": None}
    assert form.validate_concern("detention", dispatcher, tracker(), {}) == {"concern": "detention"}


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


def test_talk_to_person_gives_the_listening_line_of_the_community(tracker: MakeTracker) -> None:
    [message], _ = run(
        ActionTalkToPerson(), tracker({"municipality": "44021"}, intent="ask_human", locale="nl")
    )
    assert message["template"] == "talk_to_person"
    assert message["referral"]["services"][0] == {
        "id": "tele-onthaal-106",
        "location_id": None,
        "reason": "talk_to_person",
    }
    [message], _ = run(
        ActionTalkToPerson(), tracker({"municipality": "63023"}, intent="ask_human", locale="de")
    )
    assert message["referral"]["services"][0]["id"] == "telefonhilfe-108"


def test_two_stage_fallback(tracker: MakeTracker) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "describe_polarisation", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "describe_radicalisation", "confidence": 0.15},
    ]
    [message], events = run(ActionClarify(), tracker(intent="nlu_fallback", ranking=ranking))
    assert message["template"] == "clarify"
    assert [b["payload"] for b in message["buttons"]] == [
        "/describe_polarisation",
        "/describe_radicalisation",
        "/ask_human",
    ]
    assert events == [SlotSet("clarified", True)]
    [message], events = run(
        ActionClarify(), tracker({"clarified": True}, intent="nlu_fallback", ranking=ranking)
    )
    assert message["template"] == "fallback_menu"
    assert len(message["buttons"]) == 13
    assert events == [SlotSet("clarified", False)]


def test_questions_carry_asks_and_buttons(tracker: MakeTracker) -> None:
    [message], _ = run(ActionAskRole(), tracker())
    assert message["asks"] == "role"
    assert message["buttons"][-1] == {"template": "role_unknown", "payload": '/inform_role{"role":"unknown"}'}
    [message], _ = run(ActionAskMunicipality(), tracker())
    assert message["asks"] == "municipality"
    [], events = run(ActionAskMunicipality(), tracker({"place_hint_given": True}))
    assert events == [SlotSet("place_hint_given", False)]


def test_start_over_keeps_the_language(tracker: MakeTracker) -> None:
    [message], events = run(ActionStartOver(), tracker({"role": "parent"}, intent="start_over", locale="fr"))
    assert message["template"] == "start_over"
    assert events[-1] == SlotSet("language", "fr")
