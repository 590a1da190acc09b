"""A Rasa 3.6 component: a reading that would divert the conversation is taken only when the model is sure.

"Change the language", "this is out of scope" and "start over" end or divert what the user was telling.
Read with less than `SURE_OF_DETOUR` confidence while a situation is also among the likely readings, the
message is treated as not understood (`nlu_fallback`): the bot asks what it is about, the likeliest
situations first, instead of asking for a language or saying it cannot help (a Brussels mother who writes
"mijn excuses pour le mélange" is not asking to change the language). In the pipeline after
`FallbackClassifier`; the ranking stays as the model gave it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu.components import Untrained

DETOURS = ("change_language", "out_of_scope", "start_over")
SURE_OF_DETOUR = 0.6
LIKELY = 3  # a situation among this many first readings
UNLIKELY = 0.1  # ...with at least this confidence
NOT_UNDERSTOOD = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnsureReadings(Untrained):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            confidence = intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0
            if (
                intent.get(INTENT_NAME_KEY) in DETOURS
                and confidence < SURE_OF_DETOUR
                and _situation_likely(message)
            ):
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: NOT_UNDERSTOOD, PREDICTED_CONFIDENCE_KEY: confidence},
                    add_to_output=True,
                )
        return messages


def _situation_likely(message: Message) -> bool:
    ranking = message.get(INTENT_RANKING_KEY) or []
    return any(
        str(item.get(INTENT_NAME_KEY, "")).startswith("describe_")
        and item.get(INTENT_NAME_KEY) != "describe_out_of_scope"
        and (item.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= UNLIKELY
        for item in ranking[:LIKELY]
    )
