"""Loading a trained TensorFlow model of Rasa 3.6 without a training step (runs in `.venv-rasa`; mypy leaves
it out).

To give a model's layers their weights, Rasa's `RasaModel.load` trains it on one example (`model.fit`), then
overwrites the weights with the trained ones. That step traces Keras's whole training function, gradients
and optimizer included, and the Rasa server keeps about 600 of its 1,250 MB of memory from it
(BENCHMARKS.md). Here the trained weights are read first and the layers are built by the one prediction
Rasa runs anyway: TensorFlow restores each variable as it is created, and the optimizer's saved state,
which serving never uses, is left unread (`expect_partial`). A test checks that both ways read messages
identically (tests/nlu/test_lean_load.py).

Loading for further training (`finetune_mode`) keeps Rasa's own way, which needs the optimizer.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

_rasa_load = RasaModel.load.__func__  # type: ignore[attr-defined]


def load(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """What `RasaModel.load` returns for serving, without the training step."""
    if finetune_mode or predict_data_example is None:
        return _rasa_load(  # type: ignore[no-any-return]
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
        )
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    restoring = model.load_weights(model_file_name)
    if restoring is not None:  # a TensorFlow checkpoint, as Rasa saves them
        restoring.expect_partial()
    model.run_inference(predict_data_example)
    return model


def install() -> None:
    RasaModel.load = classmethod(load)  # type: ignore[assignment]


__all__ = ["install", "load"]
