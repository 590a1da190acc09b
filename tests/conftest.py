"""Shared fixtures: one real action server and one real Rasa server with the trained model, per test run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.processes import Stack, free_port
from tests.auxil.map_files import sqlite_map


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from stack.model import ensure_model

    state = tmp_path_factory.mktemp("stack")
    os.environ["WEGWIJZER_DATABASE_URL"] = sqlite_map(state)  # the action server reads a real SQLite file
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


@pytest.fixture(scope="session")
def http_api(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bot's HTTP API and web page, served by uvicorn on loopback, talking to the real stack."""
    from bot.http_api import create_app
    from bot.http_guard import EVALUATION_LIMITS
    from bot.service import build_service
    from bot.settings import Settings
    from tests.auxil.serving import served

    state = tmp_path_factory.mktemp("bot")
    settings = Settings(
        rasa_url=stack.rasa_url,
        actions_url=stack.action_url,
        database_url=os.environ["WEGWIJZER_DATABASE_URL"],
        secret_file=state / "secret",
        http_port=free_port(),
        tracker_db_url=f"sqlite:///{stack.tracker_db}",
    )
    app = create_app(build_service(settings), settings.secret(), settings.actions_url, EVALUATION_LIMITS)
    with served(app, settings.http_port) as url:
        yield url


# Tests that need the trained model and the running Rasa and action servers (directly or through the
# bot's HTTP API, Telegram or the browser) are slow: `pytest -m "not slow"` runs the rest in seconds.
SLOW_FIXTURES = frozenset({"stack", "http_api"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    slow = pytest.mark.slow
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(slow)
