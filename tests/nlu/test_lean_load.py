"""The model loaded without Rasa's training step (nlu/lean_load.py) reads messages exactly as Rasa's own
loading does.

Runs in `.venv-rasa`: two child processes load the trained model, one each way, and print, per message, the
whole intent ranking and the entities; the figures must agree.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from stack.processes import PROJECT_DIR
from tests.auxil.rasa_env import run_in_rasa

DANGER_CASES = PROJECT_DIR / "tests" / "danger" / "dev_cases.jsonl"
OWN_MESSAGES = [
    "hallo",
    "Mijn zoon van 15 zit de hele nacht op Telegram en zegt dat wij ongelovigen zijn.",
    "je suis prof dans une école à Schaerbeek, un élève tient des propos inquiétants",
    "Ich bin Imam in Eupen und mache mir Sorgen um einen Jugendlichen",
    "my daughter wants to go to Syria",
    "2060",
    "ja",
    "nee dank je",
]

READ = """
import asyncio, json, sys
from rasa.core.agent import Agent
if sys.argv[1] == "lean":
    from nlu import lean_load
    lean_load.install()
agent = Agent.load(sys.argv[2])
async def read(texts):
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = {r["name"]: r["confidence"] for r in parsed.get("intent_ranking", [])}
        entities = [[e["entity"], e["value"], e["start"], e["end"]] for e in parsed["entities"]]
        print("READ " + json.dumps([parsed["intent"]["name"], ranking, entities]))
asyncio.run(read(json.loads(sys.stdin.read())))
"""


def readings(way: str, model: Path, texts: list[str]) -> list[list[Any]]:
    lines = run_in_rasa(READ, way, str(model), stdin=json.dumps(texts), cwd=PROJECT_DIR / "nlu", timeout=600)
    return [json.loads(line[5:]) for line in lines if line.startswith("READ ")]


@pytest.mark.slow
def test_the_lean_load_reads_every_message_as_rasas_own_load() -> None:
    from stack.model import ensure_model

    model = ensure_model()
    texts = OWN_MESSAGES + [json.loads(line)["text"] for line in DANGER_CASES.read_text().splitlines()[:60]]
    lean, rasa = readings("lean", model, texts), readings("rasa", model, texts)
    assert len(lean) == len(rasa) == len(texts)
    for text, (lean_intent, lean_ranking, lean_entities), (intent, ranking, entities) in zip(
        texts, lean, rasa, strict=True
    ):
        assert (lean_intent, lean_entities) == (intent, entities), text
        assert lean_ranking.keys() == ranking.keys(), text
        for name, confidence in ranking.items():
            assert math.isclose(lean_ranking[name], confidence, abs_tol=1e-5), (text, name)
