"""Quality gate: the conversation-level development set through the REST channel, per language."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.evaluate import CaseResult, RestClient, evaluate, figures_text, read_cases, summarise
from stack.processes import Stack
from tests.conftest import FIGURES

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"


LANGUAGES = ("nl", "fr", "de", "en")


def test_development_set_through_the_rest_channel(stack: Stack, artifacts: Path) -> None:
    cases = read_cases(sorted(EVAL_DIR.glob("dev_*.jsonl")))
    with closing(RestClient(stack.rasa_url)) as send:
        report = evaluate(cases, send)
    (artifacts / "dev_eval.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    summary = report["summary"]
    for language in (*LANGUAGES, "overall"):
        s = summary[language]
        FIGURES[f"dev {language}"] = figures_text(s)
    assert len(cases) >= 200
    overall = summary["overall"]
    assert overall["errors"] == 0
    for language in LANGUAGES:
        s = summary[language]
        assert s["emergency_recall"] >= 0.8, (language, s["emergency_recall"])
        assert s["false_emergency_rate"] <= 0.15, (language, s["false_emergency_rate"])
        assert s["services_top3"] >= 0.6, (language, s["services_top3"])
        assert s["median_questions"] <= 2, (language, s["median_questions"])


def _result(lang: str, expect: dict[str, Any], services: list[str], asked: int = 1) -> CaseResult:
    situation = {"concern": expect.get("concern"), "role": expect.get("role")} if services else None
    return CaseResult("x", lang, dict(expect), services=services, situation=situation, asked=["role"] * asked)


def test_summarise_counts_each_figure() -> None:
    results = [
        _result("nl", {"urgency": "emergency"}, ["emergency-112", "police-101"]),
        _result("nl", {"urgency": "emergency"}, ["caw"]),  # a missed emergency
        _result("nl", {"urgency": "routine", "concern": "parenting"}, ["emergency-112"]),  # a false one
        _result("nl", {"urgency": "routine", "concern": "violence_threat"}, ["emergency-112"]),  # by design
        _result("nl", {"urgency": "routine"}, [], asked=3),  # no referral
    ]
    summary = summarise(results)
    assert summary["cases"] == 5
    assert summary["emergency_recall"] == 0.5
    assert summary["false_emergency_rate"] == 0.5  # one of the two routine cases that are not threats
    assert summary["no_referral"] == 0.2
    assert summary["median_questions"] == 1
    assert summary["concern_accuracy"] == 1.0  # the two cases that name a concern got it


def test_summarise_services_in_the_first_three() -> None:
    hit = _result("fr", {"services_any": ["caprev"]}, ["a", "b", "caprev", "d"])
    miss = _result("fr", {"services_any": ["caprev"]}, ["a", "b", "c", "caprev"])
    assert summarise([hit, miss])["services_top3"] == 0.5


def test_figures_text_quotes_each_figure() -> None:
    summary = summarise([_result("nl", {"urgency": "emergency"}, ["emergency-112"])])
    text = figures_text(summary)
    assert text.startswith("1 cases, top-3 None, concern None")
    assert "emergency recall 1.0" in text and "false emergencies None" in text
