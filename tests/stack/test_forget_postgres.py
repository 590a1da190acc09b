"""/forget on PostgreSQL (the scaled mode's database): the bot's sessions, feedback and shown danger checks
and Rasa's tracker store, both on PostgreSQL on loopback, hold nothing of the user afterwards."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.chat import ChatService, RasaClient
from bot.sessions import SessionStore
from protocol import payloads
from referral_map import db
from referral_map.directory import load_directory
from referral_map.taxonomy import Language
from stack.processes import Stack, free_port
from tests.auxil.map_files import sqlite_map
from tests.auxil.scaled import SERVER, fresh_database

pytestmark = pytest.mark.slow
DATABASE = "wegwijzer_forget_test"
URL = f"{SERVER}/{DATABASE}"
CANARY = "kanarie-7f3a mijn zoon van 16 zit in telegramgroepen met filmpjes van strijders"


@pytest.fixture(scope="module")
def postgres_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Rasa with its tracker store in a PostgreSQL database of its own, created afresh."""
    from stack.model import ensure_model

    with fresh_database(DATABASE):
        state = tmp_path_factory.mktemp("postgres")
        os.environ["WEGWIJZER_DATABASE_URL"] = sqlite_map(state)
        tracker = (
            "  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 5432\n"
            f"  db: {DATABASE}\n  username: postgres\n"
        )
        model = ensure_model()
        with Stack(model, free_port(), free_port(), state, tracker_store=tracker) as running:
            yield running


def count(sql: str, session: str) -> int:
    engine = create_engine(URL)
    with engine.connect() as connection:
        found = int(connection.execute(text(sql), {"session": session}).scalar_one())
    engine.dispose()
    return found


def test_forget_empties_every_store_on_postgresql(postgres_stack: Stack, tmp_path: Path) -> None:
    engine = db.make_engine(URL)
    chat = ChatService(
        load_directory(),
        SessionStore(engine, dt.timedelta(days=30)),
        RasaClient(postgres_stack.rasa_url, tracker_db_url=URL),
        30,
    )
    session = "forget-me-on-postgres"

    async def scenario() -> bool:
        await chat.handle(session, text=CANARY, locale=Language.NL)
        await chat.handle(session, payload=payloads.FEEDBACK_HELPFUL, locale=Language.NL)
        assert chat.store.record_check(session, "danger_check")  # as when the bot asked about danger
        held = (
            count("SELECT count(*) FROM events WHERE sender_id = :session", session),
            count("SELECT count(*) FROM chat_session WHERE id = :session", session),
            count("SELECT count(*) FROM chat_feedback WHERE session_id = :session", session),
            count("SELECT count(*) FROM chat_shown_check WHERE session_id = :session", session),
        )
        assert all(held), f"nothing to forget: {held}"
        assert count(
            "SELECT count(*) FROM events WHERE data LIKE '%kanarie-7f3a%' AND :session = :session", session
        )
        forgotten = await chat.forget(session)
        await chat.rasa.close()
        return forgotten

    assert asyncio.run(scenario())
    assert count("SELECT count(*) FROM events WHERE sender_id = :session", session) == 0
    assert (
        count("SELECT count(*) FROM events WHERE data LIKE '%kanarie-7f3a%' AND :session = :session", session)
        == 0
    )
    assert count("SELECT count(*) FROM chat_session WHERE id = :session", session) == 0
    assert count("SELECT count(*) FROM chat_feedback WHERE session_id = :session", session) == 0
    assert count("SELECT count(*) FROM chat_shown_check WHERE session_id = :session", session) == 0
    engine.dispose()
