"""A Rasa 3.6 component: the bot's danger verdict decides the intent (docs/DESIGN.md section 6).

The bot reads every message for danger before it reaches Rasa (`bot/danger.py`) and sends the kind it
found in the message metadata (`protocol.danger`). Here, last in the pipeline, that verdict overrides
the model: `emergency` for danger to life, `describe_self_harm` for talk of wanting to die, with full
confidence, so the safety rules answer at once whatever the form was asking. The model's own reading
stays in the ranking and, under `danger_reading`, in the parse data the emergency action reads: a
departure or a missing child takes its concern from it. Without a verdict the message is untouched,
so Rasa's REST channel and `rasa shell` behave as before.

When the bot read no danger and the model alone reads an emergency, a threat of violence or talk of dying,
the model's next situation takes its place, and unless the detector's probability of danger (sent beside
its verdict) is below the floor for that reading, the reading is marked unsure: the conversation then asks,
with "someone is in danger right now" as the first answer (nlu/actions/form.py). On messages written by
others the model's unshared danger readings were mostly wrong (a flag of Daesh at a window, a grandson who
fasts, a grandmother's death read as talk of dying), each sending a worried parent to 112, 101 or the
suicide line.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu.components import Untrained
from protocol.danger import (
    CHECKED_KEY,
    MODEL_DOUBT_FROM,
    NOT_EMERGENCIES,
    PRE_EMPTING_MODEL_INTENTS,
    PROBABILITY_KEY,
    READING_KEY,
    TALK_OF_DYING_DOUBT_FROM,
    TALK_OF_DYING_INTENT,
    UNSURE_KEY,
    VERDICT_KEY,
    danger_of,
)

EMERGENCY_INTENT = "emergency"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerVerdict(Untrained):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._apply(message)
        return messages

    @staticmethod
    def _apply(message: Message) -> None:
        metadata = message.get("metadata") or {}
        if not isinstance(metadata, dict):
            return
        kind = danger_of(metadata.get(VERDICT_KEY))
        if kind is None:
            if metadata.get(CHECKED_KEY):
                DangerVerdict._doubt(message, metadata.get(PROBABILITY_KEY))
            return
        model_intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        name = TALK_OF_DYING_INTENT if kind in NOT_EMERGENCIES else EMERGENCY_INTENT
        verdict = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [
            item for item in message.get(INTENT_RANKING_KEY) or [] if item.get(INTENT_NAME_KEY) != name
        ]
        message.set(INTENT, verdict, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [verdict, *ranking], add_to_output=True)
        message.set(READING_KEY, {"kind": kind.value, "model_intent": model_intent}, add_to_output=True)

    @staticmethod
    def _doubt(message: Message, probability: object) -> None:
        name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if name not in PRE_EMPTING_MODEL_INTENTS:
            return
        ranking = message.get(INTENT_RANKING_KEY) or []
        situations = [
            item
            for item in ranking
            if str(item.get(INTENT_NAME_KEY, "")).startswith("describe_")
            and item.get(INTENT_NAME_KEY) not in PRE_EMPTING_MODEL_INTENTS
        ]
        if not situations:
            return
        floor = TALK_OF_DYING_DOUBT_FROM if name == TALK_OF_DYING_INTENT else MODEL_DOUBT_FROM
        unsure = not isinstance(probability, (int, float)) or probability >= floor
        message.set(INTENT, dict(situations[0]), add_to_output=True)
        message.set(READING_KEY, {"kind": None, "model_intent": name, UNSURE_KEY: unsure}, add_to_output=True)
