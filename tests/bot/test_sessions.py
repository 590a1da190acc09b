"""Privacy: pseudonymous ids, a retention limit, and forgetting."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.chat import ChatService, RasaClient
from bot.sessions import ChatSession, SessionStore, pseudonym
from referral_map import db
from referral_map.routing import default_directory


def test_pseudonyms_are_keyed_and_stable() -> None:
    first = pseudonym(b"a" * 32, "telegram", "12345")
    assert first == pseudonym(b"a" * 32, "telegram", "12345")
    assert first != pseudonym(b"b" * 32, "telegram", "12345")
    assert first != pseudonym(b"a" * 32, "web", "12345")
    assert "12345" not in first


def test_expired_conversations_are_purged(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store = SessionStore(engine, dt.timedelta(days=30))
    store.touch("old", "nl")
    store.touch("new", "fr")
    store.record_feedback("old", helpful=True)
    with Session(engine) as session, session.begin():
        session.execute(
            update(ChatSession)
            .where(ChatSession.id == "old")
            .values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
        )
    assert store.expired() == ["old"]
    service = ChatService(default_directory(), store, RasaClient("http://127.0.0.1:9"))

    async def purge() -> int:
        try:
            return await service.purge_expired()
        finally:
            await service.rasa.close()

    assert asyncio.run(purge()) == 1
    assert store.get_locale("old") is None
    assert store.get_locale("new") == ("fr", False)
    engine.dispose()
