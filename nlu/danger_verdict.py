"""A Rasa 3.6 component: the bot's danger verdict decides the intent (docs/DESIGN.md section 6).

The bot reads every message for danger before it reaches Rasa (`bot/danger.py`) and sends the kind it
found in the message metadata (`protocol.danger`). Here, last in the pipeline, that verdict overrides
the model: `emergency` for danger to life, `describe_self_harm` for talk of wanting to die, with full
confidence, so the safety rules answer at once whatever the form was asking. The model's own reading
stays in the ranking and, under `danger_reading`, in the parse data the emergency action reads: a
departure or a missing child takes its concern from it. Without a verdict the message is untouched,
so Rasa's REST channel and `rasa shell` behave as before.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from protocol.danger import NOT_EMERGENCIES, READING_KEY, VERDICT_KEY, danger_of

EMERGENCY_INTENT = "emergency"
TALK_OF_DYING_INTENT = "describe_self_harm"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerVerdict(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerVerdict:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._apply(message)
        return messages

    @staticmethod
    def _apply(message: Message) -> None:
        metadata = message.get("metadata") or {}
        kind = danger_of(metadata.get(VERDICT_KEY)) if isinstance(metadata, dict) else None
        if kind is None:
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
