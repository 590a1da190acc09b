"""The classifier over the danger signals (bot/danger_model.py)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from bot.danger import assess, findings, weigh
from bot.danger_model import (
    DANGER_SETS,
    DOUBT,
    RULE_ASKED_BELOW,
    RULE_ASKED_FROM_WORDS,
    SELF_HARM_DOUBT_FROM,
    THRESHOLD,
    TRAINING_SETS,
    VETO,
    WEIGHTS,
    WORD_PREFIX,
    Model,
    Scorer,
    as_json,
    classify,
    closest_passage,
    features,
    kind_of,
    main,
    model,
    passages,
    present_groups,
    reading,
    trained,
)
from bot.meaning import meaning
from bot.neighbours import neighbours
from protocol.danger import Danger


def test_the_shipped_weights_and_index_are_what_the_development_sets_train() -> None:
    shipped = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    retrained_model, index = trained()
    retrained = json.loads(as_json(retrained_model))
    assert abs(shipped["nearness"] - retrained["nearness"]) < 1e-2 and shipped["nearness"] > 0
    assert abs(shipped["passage_nearness"] - retrained["passage_nearness"]) < 1e-2
    assert shipped["passage_nearness"] > 0
    ours = neighbours()
    assert ours.vectors.shape == index.vectors.shape
    assert (ours.dangerous == index.dangerous).all()
    assert float(np.abs(ours.vectors - index.vectors).max()) < 1e-2
    assert shipped["trained_on"] == retrained["trained_on"] and shipped["threshold"] == retrained["threshold"]
    assert abs(shipped["bias"] - retrained["bias"]) < 1e-3
    # Floating-point sums may differ in the last places from one machine to another: a weight near the
    # cut-off may be written on one and not the other.
    names = set(shipped["weights"]) | set(retrained["weights"])
    assert max(abs(shipped["weights"].get(n, 0.0) - retrained["weights"].get(n, 0.0)) for n in names) < 1e-2
    shipped_self_harm, retrained_self_harm = (
        shipped["self_harm"]["weights"],
        retrained["self_harm"]["weights"],
    )
    names = set(shipped_self_harm) | set(retrained_self_harm)
    assert max(abs(shipped_self_harm.get(n, 0.0) - retrained_self_harm.get(n, 0.0)) for n in names) < 1e-2
    for part in (shipped, shipped["self_harm"]):
        assert len(part["meaning"]) == 512
    for ours, again in ((shipped, retrained), (shipped["self_harm"], retrained["self_harm"])):
        assert max(abs(a - b) for a, b in zip(ours["meaning"], again["meaning"], strict=True)) < 1e-2


def test_the_meaning_of_a_message_weighs_beside_its_words() -> None:
    text = "ik maak me zorgen om mijn zoon, hij praat de laatste tijd nauwelijks nog"
    vector = meaning(text)
    leaning = Model(
        bias=0.0, weights={}, meaning=vector * 5, threshold=THRESHOLD
    )  # towards this very message
    assert leaning.probability(features(text), vector) > 0.99
    assert classify(text, leaning) is not None
    assert classify(text, replace(leaning, meaning=-vector * 5)) is None
    shipped = model().meaning
    assert shipped is not None and shipped.shape == (512,)


def test_words_weigh_beside_the_signals() -> None:
    assert {"w:ticke", "w:vanav", "w:ticke_vanav"} <= features("Ticket! Vanavond...")
    assert "w:x" not in features("x y z")  # one letter is not a word
    assert "weapon" in features("he has a gun")
    weights = model().weights
    assert any(name.startswith(WORD_PREFIX) for name in weights)


def test_signals_that_no_rule_joins_are_weighed_together() -> None:
    texts = [
        json.loads(line)["text"]
        for name in TRAINING_SETS
        for line in (DANGER_SETS / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    only_classified = [text for text in texts if not list(findings(text)) and classify(text) is not None]
    assert only_classified, "the classifier reads nothing the rules miss"
    assert all(assess(text) is classify(text) for text in only_classified)


def test_a_negated_signal_is_not_a_feature() -> None:
    assert "weapon" in present_groups("he has a gun")
    assert "weapon" not in present_groups("he has no gun")


def test_fiction_and_sport_weigh_against_danger() -> None:
    weights = model().weights
    assert weights["fiction"] < 0 and weights["play"] < 0
    assert weights["near"] > 0 and weights["farewell"] > 0


def test_the_threshold_decides() -> None:
    always = Model(bias=10.0, weights={}, threshold=THRESHOLD)
    never = Model(bias=-10.0, weights={}, threshold=THRESHOLD)
    text = "he took the car keys and something long from the kitchen drawer and went out"
    assert classify(text, always) is Danger.SUICIDE_RISK_NOW  # means at hand, without a target
    assert classify(text, never) is None


def test_the_classifier_alone_needs_more_than_a_time_or_a_departure_next_week() -> None:
    always = Model(bias=10.0, weights={}, threshold=THRESHOLD)
    assert classify("morgen misschien", always) is None  # time words in a short answer
    assert classify("ze vertrekt volgende week naar Syrië met een enkel ticket", always) is None
    assert classify("ze vertrekt vanavond naar Syrië met een enkel ticket", always) is Danger.DEPARTURE_NOW
    under_way = "il m'écrit depuis l'aéroport, il part rejoindre les frères en Syrie, son vol part à 18h"
    assert classify(under_way, always) is Danger.DEPARTURE_NOW  # already at the airport: today


def _at(probability: float) -> Model:
    """A model that gives every message this probability of danger."""
    return Model(bias=float(np.log(probability / (1 - probability))), weights={}, threshold=THRESHOLD)


def test_between_the_doubt_and_the_threshold_the_kind_is_doubted_not_read() -> None:
    text = "she took the pills from the bathroom cabinet and locked her door tonight"
    assert reading(text, _at(DOUBT - 0.05)).doubt is None  # too unlikely to ask about
    doubted = reading(text, _at((DOUBT + THRESHOLD) / 2))
    assert doubted.danger is None and doubted.doubt is Danger.SUICIDE_RISK_NOW
    assert reading(text, _at(THRESHOLD + 0.05)).danger is Danger.SUICIDE_RISK_NOW


def test_what_the_classifier_alone_may_not_read_is_doubted() -> None:
    next_week = "ze vertrekt volgende week naar Syrië met een enkel ticket"  # not today: no 112
    sure, unsure = reading(next_week, _at(0.99)), reading(next_week, _at(0.7))
    assert (sure.danger, sure.doubt) == (unsure.danger, unsure.doubt)
    assert sure.probability == pytest.approx(0.99) and unsure.probability == pytest.approx(0.7)
    assert reading(next_week, _at(0.99)).doubt is Danger.DEPARTURE_NOW
    assert reading("morgen misschien", _at(0.99)).doubt is None  # a time word is not a doubt of danger


def test_a_rule_the_words_all_but_rule_out_is_dropped() -> None:
    never = Model(bias=-10.0, weights={}, threshold=THRESHOLD)
    unsure = Model(bias=0.0, weights={}, threshold=THRESHOLD)  # probability 0.5: above the veto
    assert classify("x", never, ruled=Danger.WEAPON) is None
    assert classify("x", unsure, ruled=Danger.WEAPON) is Danger.WEAPON


def test_a_rule_the_story_makes_doubtful_is_asked_about_not_alarmed() -> None:
    between = (VETO + RULE_ASKED_BELOW) / 2
    story = " ".join(["word"] * RULE_ASKED_FROM_WORDS)
    doubtful = reading(story, _at(between), ruled=Danger.ATTACK_PLAN)
    assert (doubtful.danger, doubtful.doubt) == (None, Danger.ATTACK_PLAN)
    assert reading(story, _at(RULE_ASKED_BELOW + 0.01), ruled=Danger.ATTACK_PLAN).danger is Danger.ATTACK_PLAN
    # talk of wanting to die a rule read gets the suicide line first from the veto up, in a story too
    assert reading(story, _at(between), ruled=Danger.SUICIDAL_INTENT).danger is Danger.SUICIDAL_INTENT
    # an acute risk in a story the words make doubtful is asked about, with the suicide line and 112
    acute = reading(story, _at(between), ruled=Danger.SUICIDE_RISK_NOW)
    assert (acute.danger, acute.doubt) == (None, Danger.SUICIDE_RISK_NOW)
    assert (
        reading(story, _at(RULE_ASKED_BELOW + 0.01), ruled=Danger.SUICIDE_RISK_NOW).danger
        is Danger.SUICIDE_RISK_NOW
    )
    short = " ".join(["word"] * (RULE_ASKED_FROM_WORDS - 1))
    assert reading(short, _at(between), ruled=Danger.SUICIDE_RISK_NOW).danger is Danger.SUICIDE_RISK_NOW
    # a school fair's van and petrol for the generator: a rule's words, a harmless story
    van = (
        "Pour la fête de l'école samedi, on doit louer une camionnette pour les tentes et les chefs demandent qui "
        "peut apporter un bidon d'essence pour le groupe électrogène."
    )
    assert next(findings(van)).danger is Danger.ATTACK_PLAN
    assert (weigh(van).danger, weigh(van).doubt) == (None, Danger.ATTACK_PLAN)


def test_a_short_plain_threat_a_rule_read_stands_however_doubtful_the_words() -> None:
    short = " ".join(["word"] * (RULE_ASKED_FROM_WORDS - 1))
    assert (
        reading(short, _at((VETO + RULE_ASKED_BELOW) / 2), ruled=Danger.ATTACK_PLAN).danger
        is Danger.ATTACK_PLAN
    )
    for plain in (
        "er hat im Chat geschrieben dass er die Ungläubigen umbringen wird",
        "he wrote in the group chat that he's going to kill the unbelievers in his class",
    ):
        assert weigh(plain).danger is Danger.ATTACK_PLAN, plain


def test_talk_of_dying_the_words_all_but_rule_out_is_asked_about_not_dropped() -> None:
    never = Model(bias=-10.0, weights={}, threshold=THRESHOLD)
    dying = reading("x", never, ruled=Danger.SUICIDAL_INTENT)
    assert (dying.danger, dying.doubt) == (None, Danger.SUICIDAL_INTENT) and dying.probability < 0.001
    assert reading("x", never, ruled=Danger.SUICIDE_RISK_NOW).doubt is Danger.SUICIDE_RISK_NOW
    for plain in ("mijn dochter denkt aan zelfmoord", "mijn zoon zegt dat hij dood wil"):
        assert Danger.SUICIDAL_INTENT in (weigh(plain).danger, weigh(plain).doubt), plain


def test_talk_of_dying_the_rules_have_no_words_for_is_asked_about_below_the_doubt() -> None:
    text = "sinds haar vriendin weg is zegt ze dat niemand haar zou missen en dat alles beter zou zijn zonder haar"
    self_harm, others = Scorer(bias=10.0, weights={}), Scorer(bias=-10.0, weights={})
    low = _at((SELF_HARM_DOUBT_FROM + DOUBT) / 2)
    assert reading(text, replace(low, self_harm=self_harm)).doubt is Danger.SUICIDAL_INTENT
    assert reading(text, replace(low, self_harm=others)).doubt is None  # harm to others: not this unlikely
    assert reading(text, replace(_at(SELF_HARM_DOUBT_FROM / 2), self_harm=self_harm)).doubt is None
    assert reading("morgen misschien", replace(low, self_harm=self_harm)).doubt is None  # a time word alone
    diary = (  # no rule reads it, and the classifier weighs it well below the band of doubt
        "Ma fille de 16 ans a écrit sur son journal que tout serait plus simple sans elle. Elle ne mange "
        "presque plus. Est-ce que je dois m'inquiéter ?"
    )
    weighed = weigh(diary)
    assert next(findings(diary), None) is None and weighed.probability < DOUBT
    assert (weighed.danger, weighed.doubt) == (None, Danger.SUICIDAL_INTENT)


def test_wanting_to_die_said_with_a_negation_is_read() -> None:
    for text in ("my daughter doesn't want to live anymore", "ma fille ne veut plus vivre"):
        assert weigh(text).danger is Danger.SUICIDAL_INTENT, text


def test_the_words_say_whether_danger_is_self_harm() -> None:
    self_harm = Scorer(bias=10.0, weights={})
    others = Scorer(bias=-10.0, weights={})
    always = Model(bias=10.0, weights={}, threshold=THRESHOLD)
    sign = "hij zegt dat hij niet meer wil leven en heeft een mes uit de keukenla genomen"
    assert (
        classify(sign, replace(always, self_harm=self_harm), ruled=Danger.WEAPON) is Danger.SUICIDE_RISK_NOW
    )
    assert classify(sign, replace(always, self_harm=others), ruled=Danger.WEAPON) is Danger.WEAPON
    no_sign = (
        "hij heeft een mes gekocht en wil die gast pakken"  # a rule's harm to others needs a sign to turn
    )
    assert classify(no_sign, replace(always, self_harm=self_harm), ruled=Danger.WEAPON) is Danger.WEAPON
    talk = "ze zegt dat ze niet meer wil leven"
    assert classify(talk, replace(always, self_harm=self_harm)) is Danger.SUICIDAL_INTENT  # no acute sign
    assert (
        classify(talk, replace(always, self_harm=others), ruled=Danger.SUICIDAL_INTENT) is Danger.ATTACK_PLAN
    )


def test_the_shipped_weights_read_self_harm_and_harm_to_others_apart() -> None:
    assert (
        assess("hij heeft een touw gekocht en zegt dat hij er vannacht een einde aan maakt")
        is Danger.SUICIDE_RISK_NOW
    )
    assert assess("my son says he will stab the teacher tomorrow, he showed me the knife") in {
        Danger.WEAPON,
        Danger.SCHOOL_THREAT,
        Danger.ATTACK_PLAN,
    }


def test_the_kind_follows_the_strongest_signals() -> None:
    assert kind_of({"suicidal", "near"}) is Danger.SUICIDE_RISK_NOW
    assert kind_of({"suicidal"}) is Danger.SUICIDAL_INTENT
    assert kind_of({"means_at_hand", "weapon"}) is Danger.SUICIDE_RISK_NOW
    assert kind_of({"conflict_zone", "near"}) is Danger.DEPARTURE_NOW
    assert kind_of({"missing", "unreachable"}) is Danger.MISSING_CHILD
    assert kind_of({"beating", "school"}) is Danger.VIOLENCE_NOW
    assert kind_of({"school", "near"}) is Danger.SCHOOL_THREAT
    assert kind_of({"weapon", "near"}) is Danger.WEAPON
    assert kind_of({"target", "near"}) is Danger.ATTACK_PLAN
    assert kind_of({"farewell", "unreachable"}) is Danger.SUICIDE_RISK_NOW
    assert kind_of({"farewell", "travel", "near"}) is Danger.DEPARTURE_NOW


# What people answer in the middle of a conversation: every one is read for danger, and none is danger.
EVERYDAY_ANSWERS = [
    "ja",
    "nee",
    "ik ben zijn mama",
    "leerkracht",
    "Gent",
    "2060",
    "hij is 15",
    "morgen misschien",
    "vanavond kan ik niet, morgen wel",
    "dank u",
    "oui",
    "non merci",
    "je suis prof à Liège",
    "demain peut-être",
    "pas maintenant",
    "ja bitte",
    "nein danke, jetzt grad nicht",
    "wir wohnen in Eupen",
    "heute Abend vielleicht",
    "yes please",
    "no",
    "not right now, thanks",
    "tomorrow is fine",
    "can i message again tomorrow?",
]


def test_everyday_answers_are_not_danger() -> None:
    assert [text for text in EVERYDAY_ANSWERS if assess(text) is not None] == []


def test_a_message_of_several_sentences_is_also_read_sentence_by_sentence() -> None:
    assert passages("Hij is 16 en gamet veel.") == []  # one sentence: the whole message is the passage
    story = "Eerste zin. Tweede zin!\nDerde zin? Vierde zin."
    assert passages(story) == ["Eerste zin.", "Tweede zin!", "Derde zin?", "Vierde zin."]
    assert len(passages(" ".join(f"Zin {n}." for n in range(40)))) == 12


def test_danger_in_one_sentence_of_a_long_story_lies_closer_in_its_sentence() -> None:
    index = neighbours()
    story = (
        "Mijn zoon is 17 en zit in het vijfde middelbaar in Mechelen. Hij was altijd een goede leerling, hij "
        "speelde voetbal en had veel vrienden. Sinds de scheiding vorig jaar is hij stiller geworden. Zijn "
        "vader ziet hij om de twee weken. Vanavond zei hij dat hij morgen met het mes van zijn oom naar school "
        "gaat om die jongen die hem pest af te maken. Hij heeft zijn kamer op slot gedaan. We wonen in een "
        "rijhuis met een kleine tuin en een kat."
    )
    whole = index.closeness(meaning(story))
    assert closest_passage(story, whole, index) > whole + 0.02
    quiet = "Mijn zoon is 17. Hij speelt voetbal. Hij heeft veel vrienden."
    assert closest_passage(quiet, index.closeness(meaning(quiet)), index) >= index.closeness(meaning(quiet))


def test_asking_the_command_for_help_or_misplacing_a_flag_writes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = WEIGHTS.stat().st_mtime_ns
    with pytest.raises(SystemExit) as help_asked:
        main(["--help"])
    assert help_asked.value.code == 0 and "--leave-out" in capsys.readouterr().out
    with pytest.raises(SystemExit) as misplaced:
        main(["--scores", "x.jsonl"])
    assert misplaced.value.code == 2 and "go with --leave-out" in capsys.readouterr().err
    assert WEIGHTS.stat().st_mtime_ns == before
