"""Scripted conversations through the bot's HTTP chat API (tests/conversations/, written by a second hand).

Each script is one person telling their story their own way: in pieces, with interruptions, corrections,
a place before it is asked, danger in a later message, another language. The last referral is checked
against what the writer expected; no bot message may come three times in a row.
"""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

from bot.conversations import play_script, summary
from bot.evaluate import ApiClient
from tests.conftest import FIGURES

SCRIPTS = Path(__file__).resolve().parents[1] / "conversations" / "scripts.jsonl"
# A no-regression floor on conversations that end with the right referral.
# 37 of 48 on 2026-11-30 (evening): what fails is mostly the model reading one concern for a near one.
RIGHT_FLOOR = 0.7


def test_scripted_conversations_through_the_http_api(http_api: str, artifacts: Path) -> None:
    scripts = [json.loads(line) for line in SCRIPTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(scripts) >= 40 and {script["lang"] for script in scripts} == {"nl", "fr", "de", "en"}
    with closing(ApiClient(http_api)) as client:
        played = [play_script(script, client) for script in scripts]
    figures = summary(played)
    (artifacts / "conversations.json").write_text(
        json.dumps(
            {"summary": figures, "conversations": [vars(p) for p in played]}, ensure_ascii=False, indent=2
        ),
        encoding="utf-8",
    )
    for language, values in figures.items():
        FIGURES[f"conversations {language}"] = (
            f"{values['right']}/{values['conversations']} right, questions median {values['questions_median']}"
            f" p90 {values['questions_p90']}, repeated questions {values['repeated_questions']}"
        )
    thrice = [p.id for p in played if any(problem.startswith("sent three times") for problem in p.problems)]
    assert thrice == []
    overall = figures["overall"]
    assert overall["right"] / overall["conversations"] >= RIGHT_FLOOR
