"""`wegwijzer bench` (stack/bench.py), small: the embedded stack and plain Rasa under the same load, once.

Its figures are not checked against any threshold (a shared machine is noisy): the test checks that the
command measures what it says, for both sides, and draws the chart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from stack.bench import RATIO_LEVEL, bench

pytestmark = pytest.mark.slow


def test_the_bench_measures_both_sides_and_draws_the_chart(tmp_path: Path) -> None:
    chart = tmp_path / "bench.png"
    report = bench(["embedded", "rasa-init", "telegram"], [2, RATIO_LEVEL], 2, chart)
    summary = report["summary"]
    assert summary["errors"] == 0
    assert summary["p95_ms"] > 0 and summary["baseline_p95_ms"] > 0
    assert summary["ratio_p95"] == round(summary["p95_ms"] / summary["baseline_p95_ms"], 2)
    assert summary["throughput_rps"] > 0
    embedded, plain, telegram = report["modes"]
    assert [level["concurrency"] for level in embedded["levels"]] == [2, RATIO_LEVEL]
    assert embedded["levels"][1]["conversations"] == RATIO_LEVEL  # at least one conversation per user
    assert embedded["levels"][1]["turns"] == RATIO_LEVEL * 3 and embedded["levels"][1]["degraded"] == 0
    assert any(name.startswith("bot") for name in embedded["rss_mb"])
    assert any(name.startswith("Rasa") for name in embedded["rss_mb"])
    assert any(name.startswith("action server") for name in embedded["rss_mb"])
    assert plain["levels"][1]["turns"] == RATIO_LEVEL * 5 and plain["rss_total_mb"] > 0
    assert telegram["levels"][1]["turns"] == RATIO_LEVEL * 3 and telegram["levels"][1]["errors"] == 0
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert "plain Rasa (rasa init)" in report["table"]


@pytest.mark.parametrize(
    "arguments",
    [["--modes", "embedded,fast"], ["--levels", "1,many"], ["--levels", "0"], ["--conversations", "0"]],
)
def test_the_bench_refuses_what_it_cannot_run(arguments: list[str]) -> None:
    assert main(["bench", *arguments]) == 2
