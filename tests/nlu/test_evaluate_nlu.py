"""Quality gate: NLU scores on the held-out files, per language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlu import evaluate_nlu
from stack.processes import Stack
from tests.conftest import FIGURES

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"


LANGUAGES = ("nl", "fr", "de", "en")


def _figure(scores: dict[str, Any], kind: str) -> str:
    return (
        f"{scores['examples']} {kind} examples, intent accuracy {scores['intent_accuracy']:.3f}, "
        f"intent macro F1 {scores['intent_macro_f1']:.3f}, entity F1 {scores['entity_f1']:.3f}"
    )


def test_held_out_nlu_scores_per_language(stack: Stack, artifacts: Path) -> None:
    report = evaluate_nlu.evaluate_slices(stack.rasa_url)
    (artifacts / "nlu_scores.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    real = report.pop("real")  # the real-style slice, nlu/tests/nlu/real/<lang>.yml
    assert set(report) == set(LANGUAGES)
    assert set(real) == set(LANGUAGES)
    for language, scores in report.items():
        FIGURES[f"NLU {language}"] = _figure(scores, "held-out")
    for language, scores in real.items():
        FIGURES[f"NLU real-style {language}"] = _figure(scores, "real-style")
    for language, scores in report.items():
        assert scores["examples"] >= 200, language
        assert scores["intent_macro_f1"] >= 0.7, (language, scores["intent_macro_f1"])
        assert scores["entity_f1"] >= 0.5, (language, scores["entity_f1"])
    # Real-style scores are recorded, not gated yet: the model is being retrained (issue 8).
    for language, scores in real.items():
        assert scores["examples"] >= 35, language
