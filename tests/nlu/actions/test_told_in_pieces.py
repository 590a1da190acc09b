"""What the user said earlier, or said again better, counts: role, place, concern and urgency told in pieces."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from nlu.actions.cues import departure_soon, own_role, restates, work_role
from nlu.actions.form import ValidateReferralForm
from nlu.actions.referral import ActionRefer
from nlu.actions.slots import situation
from referral_map.taxonomy import Role, Urgency
from tests.nlu.actions.conftest import MakeTracker, run, validate_municipality
from tests.nlu.actions.test_story import STORY, user


def places(text: str, *names: str) -> list[dict[str, Any]]:
    """A `place` entity for the last mention of each name, as DIETClassifier gives them."""
    found = []
    for name in names:
        start = text.rindex(name)
        found.append({"entity": "place", "value": name, "start": start, "end": start + len(name)})
    return found


def test_the_role_told_two_messages_ago_is_taken_when_the_form_starts(tracker: MakeTracker) -> None:
    earlier = [user("ok laat maar. ik ben 16. er zijn gasten van mijn school die mij meenemen"), user("genk")]
    latest = tracker(intent="inform_place", text="genk", events=earlier)
    assert ValidateReferralForm().extract_role(CollectingDispatcher(), latest, {}) == {"role": "young_person"}


def test_the_latest_message_that_tells_the_role_wins(tracker: MakeTracker) -> None:
    told = [user("mijn zoon zit in telegramgroepen"), user("het is nie mijn zoon, ik ben zijn tante")]
    latest = tracker(intent="inform_role", text="het is nie mijn zoon, ik ben zijn tante", events=told)
    assert ValidateReferralForm().extract_role(CollectingDispatcher(), latest, {}) == {"role": "family"}


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Ik geef Nederlands in het 4de jaar TSO en in mijn klas is het nie meer te doen", Role.TEACHER),
        ("Guten Tag, ich unterrichte an einer Sekundarschule in St.Vith", Role.TEACHER),
        ("mes élèves refusent la minute de silence", Role.TEACHER),
        ("Ik ben vrijwilliger-imam in een kleine moskee, ik geef de lessen voor de jongeren", Role.IMAM),
        ("I'm the pastor, so a faith leader I suppose", Role.IMAM),
        ("ik geef toe dat ik bang ben", None),
    ],
)
def test_teaching_and_faith_leading_say_who_writes(text: str, role: Role | None) -> None:
    assert work_role(text) is role


def test_a_short_place_answers_where_whatever_the_form_asked(tracker: MakeTracker) -> None:
    """ "1040" while the concern is asked: Brussels or Etterbeek? asked with buttons, not dropped."""
    asking_concern = {"requested_slot": "concern", "municipality": None}
    latest = tracker(asking_concern, intent="inform_place", text="1040", entities=places("1040", "1040"))
    assert ValidateReferralForm().extract_municipality(CollectingDispatcher(), latest, {}) == {
        "municipality": "1040"
    }
    result, [offer] = validate_municipality(latest, "1040")
    assert result == {"municipality": None, "place_hint_given": True}
    assert offer["template"] == "place_ambiguous"


def test_a_sentence_that_is_no_place_is_not_offered_places_like_it(tracker: MakeTracker) -> None:
    asked = {"requested_slot": "municipality", "questions_asked": ["municipality"]}
    text = "I'm his big brother. our parents only speak Turkish, they don't really understand"
    assert validate_municipality(tracker(asked, intent="nlu_fallback", text=text), text) == (
        {"municipality": None},
        [],
    )


def test_thanks_while_the_place_is_asked_goes_on_without_it(tracker: MakeTracker) -> None:
    asked = {"requested_slot": "municipality", "questions_asked": ["municipality"]}
    text = "merci he, ge zijt vriendelijk. ik ga da lijstje aan mijn dochter geven"
    latest = tracker(asked, intent="nlu_fallback", text=text)
    assert ValidateReferralForm().extract_municipality(CollectingDispatcher(), latest, {}) == {
        "municipality": "unknown"
    }


@pytest.mark.parametrize(
    ("text", "names", "nis"),
    [
        # corrected: Merelbeke (Merelbeke-Melle since 2025), not Ghent
        (
            "I'm his father. We live in Ghent. well, Merelbeke actually, just outside",
            ("Ghent", "Merelbeke"),
            None,
        ),
        # moved: Waterloo, not the Ixelles they are used to writing
        (
            "ah non pardon, on a demenage le mois passe, a Waterloo. j ai l habitude d ecrire Ixelles",
            ("Waterloo", "Ixelles"),
            "25110",
        ),
        # one place unknown: Laken (Brussels), not Luxemburg
        (
            "hij woont bij mij in Laken sinds zijn ouders gescheiden zijn, zijn mama werkt in Luxemburg",
            ("Laken", "Luxemburg"),
            "21004",
        ),
    ],
)
def test_of_several_places_the_corrected_or_lived_in_one_is_taken(
    tracker: MakeTracker, text: str, names: tuple[str, ...], nis: str | None
) -> None:
    latest = tracker(intent="inform_place", text=text, entities=places(text, *names), events=[user(text)])
    result, _ = validate_municipality(latest, names[-1])
    expected = nis or validate_municipality(tracker(intent="inform_place"), "Merelbeke")[0]["municipality"]
    assert result == {"municipality": expected}


def test_a_place_on_a_route_does_not_replace_the_users_place(tracker: MakeTracker) -> None:
    text = "there's a booking, Brussels to Gaziantep, tomorrow 6:40 in the morning"
    before = [{"event": "slot", "name": "municipality", "value": "44021"}, user(text)]
    latest = tracker(text=text, entities=places(text, "Brussels"), events=before)
    assert validate_municipality(latest, "Brussels")[0] == {"municipality": "44021"}


def test_a_message_that_restates_the_concern_changes_it_when_fairly_sure(tracker: MakeTracker) -> None:
    had = [{"event": "slot", "name": "concern", "value": "online_extremism"}, user("verviers")]
    text = "je precise: c est pour avoir des outils, une formation, quelqu un avec qui en parler"
    restated = tracker(intent="describe_professional_support", confidence=0.82, text=text, events=had)
    validate = ValidateReferralForm().validate_concern
    assert validate("professional_support", CollectingDispatcher(), restated, {}) == {
        "concern": "professional_support"
    }
    plain = tracker(intent="describe_professional_support", confidence=0.82, text="des outils", events=had)
    assert validate("professional_support", CollectingDispatcher(), plain, {}) == {
        "concern": "online_extremism"
    }
    assert restates("Nee, eigenlijk is het") and not restates("hij was eigenlijk altijd lief")


def test_a_clarifying_question_before_the_form_is_not_asked_again(tracker: MakeTracker) -> None:
    clarified = [
        user("yo ik weet nie of ik hier juist ben"),
        {"event": "bot", "data": {"custom": {"template": "clarify", "asks": "concern"}}},
        user(STORY, ("describe_radicalisation", 0.45), ("describe_travel_conflict", 0.3)),
        user("genk"),
    ]
    latest = tracker(intent="inform_place", text="genk", events=clarified)
    extracted = ValidateReferralForm().extract_concern(CollectingDispatcher(), latest, {})
    assert extracted == {"concern": "radicalisation", "concern_asked": True}


def test_a_departure_within_days_makes_travel_urgent(tracker: MakeTracker) -> None:
    text = "een afgedrukte boeking gevonden, vlucht naar Istanbul volgende week donderdag, enkel heen"
    assert departure_soon(text) and not departure_soon("vorige week vrijdag vertrok hij op reis")
    slots = {"concern": "travel_conflict", "role": "parent"}
    assert situation(tracker(slots, text=text, events=[user(text)])).urgency is Urgency.URGENT
    assert situation(tracker(slots, text="hij wil naar Syrië")).urgency is Urgency.ROUTINE


def test_a_job_title_that_opens_the_message_says_who_writes() -> None:
    assert work_role("Bonjour, assistante sociale au CPAS.") is Role.PROFESSIONAL
    assert work_role("Juf hier, ik heb een vraag") is Role.TEACHER
    assert work_role("dag, mijn zoon is 15") is None


def test_a_home_the_model_did_not_tag_is_read_from_we_live_in(tracker: MakeTracker) -> None:
    text = "ik ben zijn vader. we wonen in houthalen"
    had = {"municipality": "71072"}  # Hasselt, from "he is in prison in Hasselt"
    latest = tracker(had, intent="inform_role", text=text, events=[user(text)])
    extracted = ValidateReferralForm().extract_municipality(CollectingDispatcher(), latest, {})
    assert extracted == {"municipality": "72039"}  # Houthalen-Helchteren
    assert validate_municipality(latest, "72039")[0] == {"municipality": "72039"}


def test_the_place_of_a_prison_is_not_the_users_place(tracker: MakeTracker) -> None:
    text = "my son was arrested last week, he is in prison in Hasselt now"
    latest = tracker(text=text, entities=places(text, "Hasselt"), events=[user(text)])
    assert validate_municipality(latest, "Hasselt")[0] == {"municipality": None}


def test_the_eldest_or_youngest_is_the_writers_child() -> None:
    assert own_role("het gaat over onze oudste, hij is 17") is Role.PARENT
    assert own_role("my eldest is 15") is Role.PARENT
    assert own_role("mijn jongste broer is 15") is Role.FAMILY


def test_thanks_read_as_the_same_situation_get_a_warm_reply(tracker: MakeTracker) -> None:
    slots = {"role": "parent", "concern": "radicalisation", "municipality": "11002", "language": "nl"}
    known = situation(tracker(slots))
    slots["last_referral"] = json.dumps(known.ids(), sort_keys=True)
    text = "merci, echt. ik ga die opvoedingslijn morgen bellen"
    [reply, *_], _ = run(ActionRefer(), tracker(slots, intent="describe_parenting", text=text))
    assert reply["template"] == "you_are_welcome"
    [same, *_], _ = run(ActionRefer(), tracker(slots, intent="describe_radicalisation", text="en nu?"))
    assert same["template"] == "same_referral"
