"""Validation of the referral form: role, concern and municipality."""

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from nlu.actions.form import ValidateReferralForm, without_repeats
from tests.nlu.actions.conftest import MakeTracker, validate_municipality

ASKED = {"requested_slot": "municipality"}
FORM_DOMAIN = {"forms": {"referral_form": {"required_slots": ["role", "concern", "municipality"]}}}


def place(text: str, value: str) -> list[dict[str, Any]]:
    """The `place` entity for the first mention of `value` in `text`, as DIETClassifier gives it."""
    start = text.index(value)
    return [{"entity": "place", "value": value, "start": start, "end": start + len(value)}]


def role_from(tracker: Tracker) -> Any:
    """What the whole validation action makes of the message's role, as the form runs it each turn."""
    events = asyncio.run(ValidateReferralForm().run(CollectingDispatcher(), tracker, FORM_DOMAIN))
    return next((event["value"] for event in events if event["name"] == "role"), None)


def test_municipality_is_resolved_to_its_nis_code(tracker: MakeTracker) -> None:
    assert validate_municipality(tracker(intent="inform_place"), "Gand") == ({"municipality": "44021"}, [])
    assert validate_municipality(tracker(intent="inform_place"), "sint jans molenbeek")[0] == {
        "municipality": "21012"
    }


def test_ambiguous_postcode_offers_the_candidates(tracker: MakeTracker) -> None:
    result, [message] = validate_municipality(tracker(ASKED, intent="inform_place", locale="fr"), "1050")
    assert result == {"municipality": None, "place_hint_given": True}
    assert message["template"] == "place_ambiguous" and message["asks"] == "municipality"
    assert [b["payload"] for b in message["buttons"]] == [
        '/inform_place{"place":"21004"}',
        '/inform_place{"place":"21009"}',
        '/inform_place{"place":"unknown"}',
    ]
    assert message["buttons"][1]["args"]["name"] == "Ixelles"


def test_unknown_place_offers_suggestions(tracker: MakeTracker) -> None:
    result, [message] = validate_municipality(tracker(ASKED, intent="inform_place"), "Brugge-city")
    assert result["municipality"] is None
    assert message["template"] == "place_not_found"
    assert message["args"] == {"query": "Brugge-city"}
    assert '/inform_place{"place":"31005"}' in [b["payload"] for b in message["buttons"]]


@pytest.mark.parametrize(("intent", "value"), [("inform_place", "unknown"), ("deny", "liever niet")])
def test_place_can_stay_unknown(tracker: MakeTracker, intent: str, value: str) -> None:
    answer = tracker(ASKED, intent=intent, text=value)
    assert validate_municipality(answer, value) == ({"municipality": "unknown"}, [])


def test_role_and_concern_must_be_taxonomy_ids(tracker: MakeTracker) -> None:
    form = ValidateReferralForm()
    dispatcher = CollectingDispatcher()
    assert form.validate_role("imam", dispatcher, tracker(), {}) == {"role": "imam"}
    assert form.validate_role("mams", dispatcher, tracker(), {}) == {"role": None}
    entities = [{"entity": "role", "value": "teacher"}, {"entity": "role", "value": "mijn"}]
    assert form.validate_role("mijn", dispatcher, tracker(entities=entities), {}) == {"role": "teacher"}
    assert form.validate_concern("out_of_scope", dispatcher, tracker(), {}) == {"concern": None}
    assert form.validate_concern("detention", dispatcher, tracker(), {}) == {"concern": "detention"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Heureusement, mon fils va mieux, mais il regarde encore ces vidéos", "Heureusement"),
        ("Mijn zoon wil naar Aken verhuizen, bij die groep", "Aken"),  # Aachen, not a typo for Alken
        ("Mon fils est parti à Paris avec eux", "Paris"),
        ("We wonen in 1050 en mijn dochter is veranderd", "1050"),  # Brussels or Ixelles: the form asks
    ],
)
def test_place_in_passing_is_dropped_unless_the_gazetteer_knows_it(
    tracker: MakeTracker, text: str, value: str
) -> None:
    told = tracker(intent="describe_radicalisation", text=text, entities=place(text, value))
    assert validate_municipality(told, value) == ({"municipality": None}, [])


@pytest.mark.parametrize(
    ("text", "value", "nis"),
    [
        ("Mijn zoon in Gent trekt op met een radicale groep", "Gent", "44021"),
        ("Onze dochter zit op school in Molenbeek", "Molenbeek", "21012"),
        ("Il habite à 1000 et il ne parle plus à personne", "1000", "21004"),
    ],
)
def test_place_in_passing_is_kept_when_the_gazetteer_knows_it(
    tracker: MakeTracker, text: str, value: str, nis: str
) -> None:
    told = tracker(intent="describe_radicalisation", text=text, entities=place(text, value))
    assert validate_municipality(told, value) == ({"municipality": nis}, [])


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Na de aanslag in Zaventem durft mijn dochter niet meer buiten", False),
        ("Sinds de aanslagen in de luchthaven van Zaventem slaapt mijn zoon slecht", False),
        ("Depuis l'attentat de Zaventem, mon fils a peur", False),
        ("Seit dem Anschlag in Zaventem hat mein Sohn Angst", False),
        ("After the bombing in Zaventem my son cannot sleep", False),
        ("Ik woon in Zaventem, na de aanslag durft mijn dochter niet meer buiten", True),
        ("Na de aanslag in Zaventem, waar ik werk, slaap ik slecht", True),
        ("Depuis l'attentat de Zaventem, j'y travaille encore et j'ai peur", True),
        ("Seit dem Anschlag in Zaventem, wo wir wohnen, hat mein Sohn Angst", True),
        ("We live in Zaventem and since the attack my son cannot sleep", True),
    ],
)
def test_the_place_of_an_event_is_not_the_users_place(tracker: MakeTracker, text: str, kept: bool) -> None:
    told = tracker(intent="describe_victim_support", text=text, entities=place(text, "Zaventem"))
    assert validate_municipality(told, "Zaventem") == ({"municipality": "23094" if kept else None}, [])


def test_an_answer_to_the_place_question_keeps_its_suggestions(tracker: MakeTracker) -> None:
    text = "na de aanslag in Zaventm"
    answer = tracker(ASKED, intent="inform_place", text=text, entities=place(text, "Zaventm"))
    assert validate_municipality(answer, "Zaventm") == ({"municipality": "23094"}, [])
    result, [message] = validate_municipality(
        tracker(ASKED, intent="inform_place", text="Heureusement"), "Heureusement"
    )
    assert result == {"municipality": None, "place_hint_given": True}
    assert message["template"] == "place_not_found"
    # Asked for the place but describing something else: the place is one named in passing.
    text = "Heureusement, mon fils va mieux"
    aside = tracker(ASKED, intent="describe_radicalisation", text=text, entities=place(text, "Heureusement"))
    assert validate_municipality(aside, "Heureusement") == ({"municipality": None}, [])


def test_a_place_button_is_taken_whatever_the_form_asks(tracker: MakeTracker) -> None:
    button = tracker({"requested_slot": "role"}, intent="inform_place", text='/inform_place{"place":"21009"}')
    assert validate_municipality(button, "21009") == ({"municipality": "21009"}, [])


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("mijn neef kijkt de hele dag naar filmpjes van IS", "family"),
        ("Ma petite-fille ne me parle plus", "family"),
        ("Mein Sohn hat sich sehr verändert", "parent"),
        ("my younger brother joined a group online", "family"),
        ("Mon mari et moi, nous avons peur pour notre fils", "parent"),
        ("mijn 16-jarige dochter draagt plots een boerka", "parent"),
        ("ma petite fille regarde des vidéos", None),  # a granddaughter or a little daughter: the form asks
        ("een leerling uit mijn klas", None),
    ],
)
def test_a_relative_gives_the_role(tracker: MakeTracker, text: str, role: str | None) -> None:
    assert role_from(tracker(text=text)) == role


def test_a_relative_completes_a_role_entity_that_is_no_role(tracker: MakeTracker) -> None:
    form = ValidateReferralForm()
    told = tracker(text="mijn neef is veranderd", entities=[{"entity": "role", "value": "mijn"}])
    assert form.validate_role("mijn", CollectingDispatcher(), told, {}) == {"role": "family"}


def test_a_valid_role_wins_over_a_relative(tracker: MakeTracker) -> None:
    form = ValidateReferralForm()
    text = "ik ben leerkracht en mijn neef zit in mijn klas"
    told = tracker(text=text, entities=[{"entity": "role", "value": "teacher"}])
    assert form.validate_role("teacher", CollectingDispatcher(), told, {}) == {"role": "teacher"}
    assert form.extract_role(CollectingDispatcher(), told, {}) == {}
    assert role_from(tracker({"role": "parent"}, text="mijn neef is veranderd")) is None  # already known
    assert SlotSet("role", "family") in asyncio.run(
        ValidateReferralForm().run(CollectingDispatcher(), tracker(text="mijn neef"), FORM_DOMAIN)
    )


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


def test_an_unsure_reading_of_the_concern_is_asked_once(tracker: MakeTracker) -> None:
    form = ValidateReferralForm()
    dispatcher = CollectingDispatcher()
    ranking = [
        {"name": "describe_online_extremism", "confidence": 0.45},
        {"name": "greet", "confidence": 0.2},
        {"name": "describe_radicalisation", "confidence": 0.2},
        {"name": "describe_out_of_scope", "confidence": 0.1},
        {"name": "describe_polarisation", "confidence": 0.05},
        {"name": "describe_parenting", "confidence": 0.05},
    ]
    unsure = tracker(intent="describe_online_extremism", confidence=0.45, ranking=ranking)
    assert form.validate_concern("online_extremism", dispatcher, unsure, {}) == {
        "concern": None,
        "concern_candidates": ["online_extremism", "radicalisation", "polarisation"],
    }
    asked = tracker({"concern_asked": True}, intent="describe_online_extremism", confidence=0.45)
    assert form.validate_concern("online_extremism", dispatcher, asked, {}) == {"concern": "online_extremism"}
    sure = tracker(intent="describe_online_extremism", confidence=0.95)
    assert form.validate_concern("online_extremism", dispatcher, sure, {}) == {"concern": "online_extremism"}


def test_an_unsure_danger_reading_offers_danger_now_first(tracker: MakeTracker) -> None:
    ranking = [
        {"name": "describe_violence_threat", "confidence": 0.5},
        {"name": "describe_radicalisation", "confidence": 0.3},
    ]
    reading = {
        "danger_reading": {"kind": None, "model_intent": "describe_violence_threat", "unsure_danger": True}
    }
    unsure = tracker(intent="describe_radicalisation", confidence=0.3, ranking=ranking, extra=reading)
    result = ValidateReferralForm().validate_concern("radicalisation", CollectingDispatcher(), unsure, {})
    assert result == {
        "concern": None,
        "concern_candidates": ["emergency", "violence_threat", "radicalisation"],
    }


@pytest.mark.parametrize(
    ("text", "entity", "role"),
    [
        ("Dag, ik ben de bomma van een jongen van 19 die bij ons woont", "parent", "family"),
        ("Hallo, ich bin die Oma von einem 20-jährigen Enkel", "parent", "family"),
        ("Mon petit-fils a 18 ans et il ne sort plus", "parent", "family"),
        ("mon fils a traité mon frère de kouffar", "family", "parent"),
        ("I'm his mum and I do not know what to do", "family", "parent"),
        ("we maken ons zorgen over onze buurjongen", "parent", "parent"),  # no word of their own: the model's
    ],
)
def test_parent_or_family_as_the_writers_own_words_say_it(
    tracker: MakeTracker, text: str, entity: str, role: str
) -> None:
    result = ValidateReferralForm().validate_role(entity, CollectingDispatcher(), tracker(text=text), {})
    assert result == {"role": role}


def test_danger_rejects_the_form_even_when_the_message_fills_a_slot(tracker: MakeTracker) -> None:
    entities = [{"entity": "role", "value": "teacher"}]
    danger = tracker(
        {"requested_slot": "concern"}, intent="emergency", entities=entities, active_loop="referral_form"
    )
    events = asyncio.run(ValidateReferralForm().run(CollectingDispatcher(), danger, {}))
    assert events == [ActionExecutionRejected("referral_form")]


def test_a_question_is_not_asked_a_third_time(tracker: MakeTracker) -> None:
    form = ValidateReferralForm()
    dispatcher = CollectingDispatcher()
    twice = {"requested_slot": "role", "questions_asked": ["role", "role"]}
    story = "hij zit de hele dag op zijn kamer met die filmpjes"
    assert form.extract_role(
        dispatcher, tracker(twice, intent="describe_online_extremism", text=story), {}
    ) == {"role": "unknown"}
    once = {"requested_slot": "role", "questions_asked": ["role"]}
    assert (
        form.extract_role(dispatcher, tracker(once, intent="describe_online_extremism", text=story), {}) == {}
    )
    ranking = [{"name": "describe_polarisation", "confidence": 0.4}]
    concern_twice = {"requested_slot": "concern", "questions_asked": ["role", "concern", "concern"]}
    assert form.extract_concern(dispatcher, tracker(concern_twice, intent="greet", ranking=ranking), {}) == {
        "concern": "polarisation",
        "concern_asked": True,
    }
    place_twice = tracker(
        {"requested_slot": "municipality", "questions_asked": ["municipality", "municipality"]},
        intent="inform_place",
        text="bij ons",
    )
    assert validate_municipality(place_twice, "bij ons") == ({"municipality": "unknown"}, [])


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Salaam aleikum. Ik ben vrijwilliger-imam in een kleine moskee in Antwerpen-Noord", "imam"),
        ("OK. I work at the prevention department of the city of Mechelen.", "professional"),
        ("je suis éducateur dans une AMO à Liège", "youth_worker"),
        ("Ich arbeite als Lehrerin in Eupen", "teacher"),
        ("ik ben de bomma van een jongen van 14", "family"),
        ("I am worried about my son who is at school", "parent"),
        ("hij zit de hele dag op zijn kamer", None),
    ],
)
def test_who_writes_is_read_from_their_work_or_family(
    tracker: MakeTracker, text: str, role: str | None
) -> None:
    extracted = ValidateReferralForm().extract_role(CollectingDispatcher(), tracker(text=text), {})
    assert extracted == ({"role": role} if role else {})


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("im a student too, 19", "young_person"),
        ("ich weiss nicht ob ich hier richtig bin. ich bin 15.", "young_person"),
        ("j'ai 16 ans et je sais pas quoi faire", "young_person"),
        ("I am 45 and my son is 17", "parent"),
        ("je préfère ne pas dire qui je suis par rapport à lui", "unknown"),
    ],
)
def test_a_young_writer_or_a_refusal_answers_the_role_question(
    tracker: MakeTracker, text: str, role: str
) -> None:
    asking = tracker({"requested_slot": "role", "questions_asked": ["role"]}, intent="inform_role", text=text)
    assert ValidateReferralForm().extract_role(CollectingDispatcher(), asking, {}) == {"role": role}


def test_declining_the_place_question_skips_it(tracker: MakeTracker) -> None:
    asking = tracker({"requested_slot": "municipality"}, intent="out_of_scope", text="dat zeg ik liever nie")
    assert validate_municipality(asking, "dat zeg ik liever nie") == ({"municipality": "unknown"}, [])


def test_slots_set_to_the_value_they_have_are_left_out_but_one() -> None:
    slots = {"role": "teacher", "concern": "polarisation", "municipality": None}
    events = [
        SlotSet("role", "teacher"),
        SlotSet("concern", "polarisation"),
        SlotSet("municipality", "63067"),
        SlotSet("requested_slot", None),
    ]
    assert without_repeats(events, slots) == [
        SlotSet("municipality", "63067"),
        SlotSet("requested_slot", None),
    ]
    # Nothing new: one stays, or Rasa's form would read the turn as one that filled nothing.
    same = [
        SlotSet("role", "teacher"),
        SlotSet("concern", "polarisation"),
        SlotSet("requested_slot", "municipality"),
    ]
    assert without_repeats(same, slots) == [
        SlotSet("role", "teacher"),
        SlotSet("requested_slot", "municipality"),
    ]
    assert without_repeats([], slots) == []
