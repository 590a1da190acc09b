"""Evaluation data never enters training: held-out NLU examples and dev-set texts are not in nlu/data."""

import json
from pathlib import Path

from nlu.evaluate_nlu import read_examples

PROJECT = Path(__file__).resolve().parent.parent


def _texts(pattern: str) -> set[str]:
    return {e.text.lower().strip() for path in PROJECT.glob(pattern) for e in read_examples(path)}


def test_held_out_nlu_examples_are_not_in_training() -> None:
    training = _texts("nlu/data/nlu/*/*.yml")
    held_out = _texts("nlu/tests/nlu/*.yml")
    assert len(held_out) >= 900
    assert sorted(held_out & training) == []


def test_development_set_texts_are_not_in_training() -> None:
    training = _texts("nlu/data/nlu/*/*.yml")
    dev = {
        json.loads(line)["text"].lower().strip()
        for path in PROJECT.glob("tests/eval/dev_*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert len(dev) >= 200
    assert sorted(dev & training) == []


def test_every_language_has_at_least_40_examples_per_situation_intent() -> None:
    for language in ("nl", "fr", "de", "en"):
        counts: dict[str, int] = {}
        for path in PROJECT.glob(f"nlu/data/nlu/{language}/*.yml"):
            for example in read_examples(path):
                counts[example.intent] = counts.get(example.intent, 0) + 1
        situations = {
            intent: n
            for intent, n in counts.items()
            if intent.startswith("describe_") or intent == "emergency"
        }
        assert len(situations) == 13, language
        assert min(situations.values()) >= 40, (language, situations)
