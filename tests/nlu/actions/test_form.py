"""Validation of the referral form: role, concern and municipality."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from nlu.actions.form import ValidateReferralForm
from tests.nlu.actions.conftest import MakeTracker, validate_municipality


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


def test_a_stray_role_entity_keeps_the_role_given_before(tracker: MakeTracker) -> None:
    earlier = [
        {"event": "session_started"},
        {"event": "slot", "name": "role", "value": "teacher"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "des tensions entre élèves"},
        {"event": "slot", "name": "role", "value": "élèves"},
    ]
    stray = [{"entity": "role", "value": "élèves"}]
    form = ValidateReferralForm()
    result = form.validate_role("élèves", CollectingDispatcher(), tracker(entities=stray, events=earlier), {})
    assert result == {"role": "teacher"}
    fresh = [{"event": "session_started"}, {"event": "user", "text": "mijn klas"}]
    result = form.validate_role("mijn", CollectingDispatcher(), tracker(events=fresh), {})
    assert result == {"role": None}
