"""The bot's danger verdict against the model's own reading (nlu/danger_verdict.py), in Rasa's environment."""

from __future__ import annotations

import json

from stack.processes import PROJECT_DIR
from tests.auxil.rasa_env import run_in_rasa

DOUBT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from nlu.danger_verdict import DangerVerdict
for name, confidence, probability in json.loads(sys.stdin.read()):
    ranking = [{"name": name, "confidence": confidence}, {"name": "describe_radicalisation", "confidence": 0.01}]
    metadata = {"danger_checked": True, **({} if probability is None else {"danger_probability": probability})}
    message = Message(data={"text": "x", "metadata": metadata})
    message.set("intent", dict(ranking[0]))
    message.set("intent_ranking", ranking)
    DangerVerdict._apply(message)
    print(json.dumps([message.get("intent")["name"], (message.get("danger_reading") or {}).get("unsure_danger")]))
"""


def test_the_models_unshared_danger_is_asked_however_sure_unless_the_detector_all_but_rules_it_out() -> None:
    readings = [
        ["emergency", 0.99, None],
        ["describe_violence_threat", 0.99, 0.3],
        ["describe_self_harm", 0.99, 0.05],
        ["describe_self_harm", 0.6, None],
        ["describe_radicalisation", 0.99, 0.9],
        ["emergency", 0.99, 0.1],  # below the floor for an emergency: the next situation, not asked
        ["describe_violence_threat", 0.7, 0.0],
        ["describe_self_harm", 0.99, 0.004],  # below the floor for talk of dying
    ]
    lines = run_in_rasa(DOUBT, stdin=json.dumps(readings), cwd=PROJECT_DIR)
    assert [json.loads(line) for line in lines] == [
        ["describe_radicalisation", True],
        ["describe_radicalisation", True],
        ["describe_radicalisation", True],
        ["describe_radicalisation", True],
        ["describe_radicalisation", None],
        ["describe_radicalisation", False],
        ["describe_radicalisation", False],
        ["describe_radicalisation", False],
    ]
