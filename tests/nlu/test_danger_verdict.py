"""The bot's danger verdict against the model's own reading (nlu/danger_verdict.py), in Rasa's environment."""

from __future__ import annotations

import json

from stack.processes import PROJECT_DIR
from tests.auxil.rasa_env import run_in_rasa

DOUBT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from nlu.danger_verdict import DangerVerdict
for name, confidence in json.loads(sys.stdin.read()):
    ranking = [{"name": name, "confidence": confidence}, {"name": "describe_radicalisation", "confidence": 0.01}]
    message = Message(data={"text": "x", "metadata": {"danger_checked": True}})
    message.set("intent", dict(ranking[0]))
    message.set("intent_ranking", ranking)
    DangerVerdict._apply(message)
    print(json.dumps([message.get("intent")["name"], (message.get("danger_reading") or {}).get("unsure_danger")]))
"""


def test_the_models_unshared_emergency_is_asked_however_sure_and_sure_talk_of_dying_stands() -> None:
    readings = [
        ["emergency", 0.99],
        ["describe_violence_threat", 0.99],
        ["describe_self_harm", 0.99],
        ["describe_self_harm", 0.6],
        ["describe_radicalisation", 0.99],
    ]
    lines = run_in_rasa(DOUBT, stdin=json.dumps(readings), cwd=PROJECT_DIR)
    assert [json.loads(line) for line in lines] == [
        ["describe_radicalisation", True],
        ["describe_radicalisation", True],
        ["describe_self_harm", None],
        ["describe_radicalisation", True],
        ["describe_radicalisation", None],
    ]
