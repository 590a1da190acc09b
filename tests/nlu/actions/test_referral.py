"""The actions that end in referrals: the form's result, emergencies, talk to a person."""

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from nlu.actions.referral import ActionEmergencyReferral, ActionRefer, ActionTalkToPerson
from tests.nlu.actions.conftest import MakeTracker, run


def test_refer_routes_the_collected_situation(tracker: MakeTracker) -> None:
    slots = {"role": "teacher", "concern": "polarisation", "municipality": "44021"}
    [message, *_], events = run(ActionRefer(), tracker(slots, locale="fr"))
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
    key = '{"concern": "polarisation", "language": "fr", "municipality": "44021", "role": "teacher", "urgency": "routine"}'
    assert events == [
        SlotSet("clarified", False),
        SlotSet("last_referral", key),
        SlotSet("feedback_asked", True),
    ]
    [again, *_], _ = run(ActionRefer(), tracker({**slots, "last_referral": key}, locale="fr"))
    assert again["template"] == "same_referral"  # nothing changed: not the whole referral again


def test_refer_without_a_place_uses_community_wide_services(tracker: MakeTracker) -> None:
    slots = {"role": "parent", "concern": "radicalisation", "municipality": "unknown"}
    [message, *_], _ = run(ActionRefer(), tracker(slots, locale="nl"))
    assert message["referral"]["situation"]["municipality"] is None
    assert [s["id"] for s in message["referral"]["services"]][:2] == ["opvoedingslijn", "caw"]


def test_emergency_pre_empts_the_form(tracker: MakeTracker) -> None:
    [message, *_], events = run(
        ActionEmergencyReferral(),
        tracker({"role": "parent"}, intent="emergency", locale="fr", active_loop="referral_form"),
    )
    assert message["template"] == "emergency_referral"
    assert [s["id"] for s in message["referral"]["services"]][:2] == ["emergency-112", "police-101"]
    assert message["referral"]["situation"]["urgency"] == "emergency"
    assert events == [
        SlotSet("concern", "violence_threat"),
        SlotSet("urgency", "urgent"),  # given once: later referrals do not repeat 112 first
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet("feedback_asked", True),
    ]


@pytest.mark.parametrize(
    ("locale", "line"),
    [("nl", "zelfmoordlijn-1813"), ("fr", "centre-prevention-suicide"), ("de", "telefonhilfe-108")],
)
def test_self_harm_puts_the_suicide_line_first(tracker: MakeTracker, locale: str, line: str) -> None:
    [message, *_], events = run(
        ActionEmergencyReferral(), tracker(intent="describe_self_harm", locale=locale)
    )
    assert message["referral"]["services"][0] == {"id": line, "location_id": None, "reason": "self_harm_line"}
    assert events == [
        SlotSet("concern", "self_harm"),
        SlotSet("urgency", "routine"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet("feedback_asked", True),
    ]


def test_emergency_with_an_unvalidated_place_still_routes(tracker: MakeTracker) -> None:
    [message, *_], _ = run(
        ActionEmergencyReferral(), tracker({"municipality": "eupen"}, intent="emergency", locale="de")
    )
    assert message["referral"]["situation"]["municipality"] == "63023"
    [message, *_], _ = run(
        ActionEmergencyReferral(), tracker({"municipality": "bahnhof"}, intent="emergency", locale="de")
    )
    assert message["referral"]["situation"]["municipality"] is None
    assert message["referral"]["services"][0]["id"] == "emergency-112"


@pytest.mark.parametrize(
    ("text", "place", "nis"),
    [
        ("Hij is in Aken en heeft een wapen", "Aken", None),  # Aachen, not a typo for Alken
        ("Na de aanslag in Zaventem bedreigt hij ons", "Zaventem", None),
        ("Ik woon in Zaventem en hij bedreigt ons", "Zaventem", "23094"),
    ],
)
def test_emergency_takes_a_place_named_in_passing_only_when_it_is_the_users(
    tracker: MakeTracker, text: str, place: str, nis: str | None
) -> None:
    told = tracker({"municipality": place}, intent="emergency", text=text, locale="nl")
    [message, *_], _ = run(ActionEmergencyReferral(), told)
    assert message["referral"]["situation"]["municipality"] == nis


def test_violence_threat_puts_112_and_101_first(tracker: MakeTracker) -> None:
    [message, *_], _ = run(ActionEmergencyReferral(), tracker(intent="describe_violence_threat", locale="en"))
    services = message["referral"]["services"]
    assert [s["id"] for s in services[:2]] == ["emergency-112", "police-101"]
    assert {s["reason"] for s in services[:2]} == {"violence_threat_first"}


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


def test_emergency_takes_the_role_from_a_relative(tracker: MakeTracker) -> None:
    told = tracker(intent="emergency", text="Mijn zoon heeft een mes en bedreigt ons", locale="nl")
    [message, *_], _ = run(ActionEmergencyReferral(), told)
    assert message["referral"]["situation"]["role"] == "parent"
    [message, *_], _ = run(
        ActionEmergencyReferral(),
        tracker({"role": "teacher"}, intent="emergency", text=told.latest_message["text"]),
    )
    assert message["referral"]["situation"]["role"] == "teacher"


def test_an_emergency_takes_its_concern_from_the_likeliest_situation(tracker: MakeTracker) -> None:
    ranking = [
        {"name": "emergency", "confidence": 0.7},
        {"name": "describe_travel_conflict", "confidence": 0.2},
        {"name": "describe_radicalisation", "confidence": 0.1},
    ]
    [message, *_], events = run(ActionEmergencyReferral(), tracker(intent="emergency", ranking=ranking))
    assert message["referral"]["situation"]["concern"] == "travel_conflict"
    assert message["referral"]["situation"]["urgency"] == "emergency"
    assert SlotSet("urgency", "urgent") in events


@pytest.mark.parametrize(
    ("kind", "model_intent", "concern", "urgency", "first"),
    [
        ("weapon", "describe_parenting", "violence_threat", "emergency", "emergency-112"),
        ("missing_child", "describe_radicalisation", "radicalisation", "emergency", "emergency-112"),
        ("suicidal_intent", "describe_parenting", "self_harm", "urgent", "zelfmoordlijn-1813"),
    ],
)
def test_the_bots_danger_verdict_decides_urgency_and_concern(
    tracker: MakeTracker, kind: str, model_intent: str, concern: str, urgency: str, first: str
) -> None:
    reading = {"danger_reading": {"kind": kind, "model_intent": model_intent}}
    [message, *_], _ = run(ActionEmergencyReferral(), tracker(intent="emergency", extra=reading))
    situation = message["referral"]["situation"]
    assert (situation["concern"], situation["urgency"]) == (concern, urgency)
    assert message["referral"]["services"][0]["id"] == first


@pytest.mark.parametrize(
    ("locale", "people"),
    [
        ("nl", ["tele-onthaal-106", "opvoedingslijn"]),
        ("fr", ["tele-accueil-107"]),
        (
            "de",
            ["telefonhilfe-108", "jugendhilfedienst-dg"],
        ),  # not the employment office (Kaleido has no phone)
    ],
)
def test_a_person_to_talk_to_is_a_listening_or_parenting_line(
    tracker: MakeTracker, locale: str, people: list[str]
) -> None:
    [message], _ = run(
        ActionTalkToPerson(), tracker({"concern": "youth_support"}, intent="ask_human", locale=locale)
    )
    assert [service["id"] for service in message["referral"]["services"]] == people
