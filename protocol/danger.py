"""The danger verdict the bot sends with a message, and what the dialogue makes of it (docs/DESIGN.md section 6).

The bot reads every message for danger before anything else (`bot/danger.py`) and sends its verdict to
Rasa in the message metadata under `VERDICT_KEY`. The NLU component `nlu.danger_verdict.DangerVerdict`
turns a verdict into the `emergency` intent and keeps the model's own reading beside it; the emergency
action takes the concern a kind of danger implies (`IMPLIED_CONCERN`), else the model's.
"""

from __future__ import annotations

from enum import Enum

VERDICT_KEY = "danger"  # metadata key: a `Danger` value, or None when the bot read no danger
CHECKED_KEY = "danger_checked"  # metadata key: True when the bot read the message for danger
PROBABILITY_KEY = "danger_probability"  # metadata key: the detector's probability of danger, when it read
READING_KEY = "danger_reading"  # parse-data key the component adds: {"kind", "model_intent"}
UNSURE_KEY = "unsure_danger"  # in the reading: the model's reading of danger the bot's detector did not share
# In the args of the model's question "is someone in danger right now?": the kind of danger it read, when that
# was talk of dying; the bot then leads with its own question that gives the suicide line.
ASKED_ABOUT_ARG = "danger"
TALK_OF_DYING_INTENT = "describe_self_harm"
PRE_EMPTING_MODEL_INTENTS = ("emergency", "describe_violence_threat", TALK_OF_DYING_INTENT)
# The model's readings of danger the bot's detector did not share are asked about, however sure the model is,
# unless the detector's probability of danger is below the floor for the reading. Chosen by leaving each of the
# 21 development sets out of the detector's training in turn (docs/SAFETY.md): the question then reached 8
# dangerous messages nothing else reached, and was put to 373 of 2,519 harmless ones (and 14 more got the
# suicide line first from the model's sure reading of talk of dying); with these floors it still reaches the 8
# and is put to 122 harmless ones.
MODEL_DOUBT_FROM = 0.2
TALK_OF_DYING_DOUBT_FROM = 0.01


class Danger(str, Enum):  # noqa: UP042 (no StrEnum: the Rasa component imports this under Python 3.10)
    ATTACK_PLAN = "attack_plan"
    WEAPON = "weapon"
    SCHOOL_THREAT = "school_threat"
    DEPARTURE_NOW = "departure_now"
    MISSING_CHILD = "missing_child"
    SUICIDE_RISK_NOW = "suicide_risk_now"
    SUICIDAL_INTENT = "suicidal_intent"
    VIOLENCE_NOW = "violence_now"


# Talk of wanting to die puts the suicide line first; every other kind puts 112 and 101 first.
NOT_EMERGENCIES = frozenset({Danger.SUICIDAL_INTENT})
# The kinds answered with the self-harm reply (the suicide line, with 112 when it is acute).
SELF_HARM_KINDS = frozenset({Danger.SUICIDE_RISK_NOW, Danger.SUICIDAL_INTENT})


# The concern id (referral_map.taxonomy.Concern) each kind implies. A missing child says nothing of the
# concern: the model's reading gives it.
IMPLIED_CONCERN = {
    Danger.ATTACK_PLAN: "violence_threat",
    Danger.WEAPON: "violence_threat",
    Danger.SCHOOL_THREAT: "violence_threat",
    Danger.DEPARTURE_NOW: "travel_conflict",
    Danger.SUICIDE_RISK_NOW: "self_harm",
    Danger.SUICIDAL_INTENT: "self_harm",
    Danger.VIOLENCE_NOW: "violence_threat",
}


def danger_of(value: object) -> Danger | None:
    """The kind of danger a metadata value names, or None."""
    try:
        return Danger(value) if isinstance(value, str) and value else None
    except ValueError:
        return None
