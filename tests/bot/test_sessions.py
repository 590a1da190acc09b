"""Privacy: pseudonymous ids, a retention limit, and forgetting."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from bot.chat import ChatService, RasaClient
from bot.sessions import SEEN_PRECISION, Base, ChatSession, SessionStore, pseudonym
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


def _last_seen(engine: Engine, session_id: str) -> dt.datetime:
    with Session(engine) as session:
        row = session.get(ChatSession, session_id)
        assert row is not None
        return row.last_seen


def test_a_turn_rewrites_the_session_only_when_something_changed_or_time_passed(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store = SessionStore(engine, dt.timedelta(days=30))
    assert store.touch("s", "nl") is True
    first = _last_seen(engine, "s")
    assert store.touch("s", "nl") is False
    assert _last_seen(engine, "s") == first  # a turn a moment later: nothing written
    store.touch("s", "fr", chosen=True)
    assert store.get_locale("s") == ("fr", True)  # a new language is written at once
    earlier = dt.datetime.now(dt.UTC) - SEEN_PRECISION - dt.timedelta(minutes=1)
    with Session(engine) as session, session.begin():
        session.execute(update(ChatSession).where(ChatSession.id == "s").values(last_seen=earlier))
    store.touch("s", "fr")
    assert _last_seen(engine, "s").replace(tzinfo=dt.UTC) > earlier + SEEN_PRECISION  # seen again
    engine.dispose()


def test_the_sqlite_store_writes_ahead(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()


def test_kept_turns_are_capped_read_in_order_and_forgotten(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store = SessionStore(engine, dt.timedelta(days=30))
    store.touch("s", "nl")
    assert store.keep_turn("s", "eerste", {"locale": "nl"}, most=2)
    assert store.keep_turn("s", "tweede", {}, most=2)
    assert not store.keep_turn("s", "derde", {}, most=2)  # the cap
    assert [(text, context) for _, text, context in store.kept_turns("s")] == [
        ("eerste", {"locale": "nl"}),
        ("tweede", {}),
    ]
    assert store.sessions_with_kept_turns() == {"s"}
    first_id = store.kept_turns("s")[0][0]
    store.drop_turn(first_id)
    assert [text for _, text, _ in store.kept_turns("s")] == ["tweede"]
    store.forget("s")
    assert store.kept_turns("s") == [] and store.sessions_with_kept_turns() == set()
    engine.dispose()


def test_shown_danger_checks_are_kept_per_session_and_forgotten(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store = SessionStore(engine, dt.timedelta(days=30))
    assert not store.record_check("unknown", "danger_check")  # no session stored: not kept here
    store.touch("s", "nl")
    store.touch("other", "nl")
    assert store.record_check("s", "danger_check") and store.record_check("s", "danger_check")
    store.record_check("s", "danger_check_self_harm")
    store.record_check("other", "danger_check")
    assert store.shown_checks("s") == {"danger_check", "danger_check_self_harm"}
    store.forget("s")
    assert store.shown_checks("s") == set() and store.shown_checks("other") == {"danger_check"}
    engine.dispose()


def test_forget_leaves_no_row_of_the_session_in_any_table_of_the_store(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    store = SessionStore(engine, dt.timedelta(days=30))
    store.touch("s", "nl")
    store.record_feedback("s", helpful=True)
    store.record_check("s", "danger_check")
    store.keep_turn("s", "kanarie", {}, most=5)
    tables = Base.metadata.sorted_tables
    key = {table.name: table.c.id if table.name == "chat_session" else table.c.session_id for table in tables}
    with engine.connect() as connection:
        held = {
            name: connection.execute(select(func.count()).where(column == "s")).scalar()
            for name, column in key.items()
        }
    assert all(held.values()), held  # every table held something of the session
    store.forget("s")
    with engine.connect() as connection:
        held = {
            name: connection.execute(select(func.count()).where(column == "s")).scalar()
            for name, column in key.items()
        }
    assert not any(held.values()), held
    engine.dispose()
