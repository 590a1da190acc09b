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
READING_KEY = "danger_reading"  # parse-data key the component adds: {"kind", "model_intent"}
UNSURE_KEY = "unsure_danger"  # in the reading: the model's emergency reading the bot's detector did not share
# Below this confidence, a reading of danger by the model alone is asked, not acted on.
SURE_OF_DANGER = 0.95
PRE_EMPTING_MODEL_INTENTS = ("emergency", "describe_violence_threat", "describe_self_harm")
# The model's readings of an emergency the bot's detector did not share are asked however sure the model is:
# on the four held-out danger sets they added one catch for three false alarms once the detector weighed the
# words (docs/SAFETY.md). Talk of dying keeps the model's sure reading: it put the suicide line first for
# four messages the detector missed.
ALWAYS_ASKED_MODEL_INTENTS = ("emergency", "describe_violence_threat")


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
