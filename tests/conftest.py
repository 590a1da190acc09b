"""Shared fixtures: one real action server and one real Rasa server with the trained model, per test run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import free_port
from bot.stack import Stack
from referral_map import db
from referral_map.directory import load_directory


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from nlu.model import ensure_model

    state = tmp_path_factory.mktemp("stack")
    url = f"sqlite:///{state / 'map.sqlite3'}"
    engine = db.make_engine(url)
    db.load(load_directory(), engine)  # the action server reads the map from a real SQLite file
    engine.dispose()
    os.environ["WEGWIJZER_DATABASE_URL"] = url
    with Stack(ensure_model(), rasa_port=free_port(), action_port=free_port(), state_dir=state) as running:
        yield running


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


# Figures measured during the run (NLU scores, dialogue evaluation), printed at the end of the session.
FIGURES: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
