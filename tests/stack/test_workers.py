"""The scaled mode: two Rasa servers (each with its action server) sharing PostgreSQL as the tracker store and
Redis as the lock store, on loopback; the bot spreads the turns over them (bot/chat.py, stack/workers.py).

Skipped, saying why, where PostgreSQL or Redis does not answer on loopback.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.chat import ChatService, RasaClient
from bot.sessions import SessionStore
from referral_map import db
from referral_map.directory import load_directory
from referral_map.taxonomy import Language
from stack.processes import Stack, free_port
from stack.stores import lock_store_lines, tracker_store_lines
from stack.workers import Workers
from tests.auxil.map_files import sqlite_map
from tests.auxil.scaled import REDIS, SERVER, fresh_database, require_postgres_and_redis

pytestmark = pytest.mark.slow
URL = f"{SERVER}/wegwijzer_workers_test"

CONVERSATION = [
    "mijn zoon van 16 zit de hele avond in telegramgroepen met filmpjes van strijders",
    "ik ben zijn moeder",
    "we wonen in Gent",
]


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    require_postgres_and_redis()
    from stack.model import ensure_model

    with fresh_database("wegwijzer_workers_test") as url:
        state = tmp_path_factory.mktemp("workers")
        os.environ["WEGWIJZER_DATABASE_URL"] = sqlite_map(state)
        model = ensure_model()
        tracker, lock = tracker_store_lines(url), lock_store_lines(REDIS)
        stacks = [
            Stack(model, free_port(), free_port(), state, tracker_store=tracker, lock_store=lock)
            for _ in range(2)
        ]
        with Workers(stacks) as running:
            yield running


def chat_service(workers: Workers, folder: Path, timeout: float = 20.0) -> ChatService:
    engine = db.make_engine(f"sqlite:///{folder / 'sessions.sqlite3'}")
    client = RasaClient(workers.rasa_urls, timeout=timeout, tracker_db_url=URL)
    return ChatService(load_directory(), SessionStore(engine, dt.timedelta(days=30)), client, 30)


def user_texts(session: str) -> list[str]:
    engine = create_engine(URL)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": session},
        )
        found = [str(json.loads(row[0]).get("text")) for row in rows]
    engine.dispose()
    return found


def event_names(url: str, session: str) -> list[str]:
    tracker = httpx.get(f"{url}/conversations/{session}/tracker", timeout=10).json()
    return [str(event["event"]) for event in tracker["events"]]


def test_a_conversation_alternating_between_two_servers_keeps_its_state(
    workers: Workers, tmp_path: Path
) -> None:
    chat = chat_service(workers, tmp_path)
    session = "alternating-1"

    async def converse() -> list[Any]:
        replies = [await chat.handle(session, text=line, locale=Language.NL) for line in CONVERSATION]
        await chat.rasa.close()
        return replies

    replies = asyncio.run(converse())
    assert not any(reply.degraded for reply in replies)
    referral = next(m.referral for m in replies[-1].messages if m.referral is not None)
    situation = referral.situation.ids()
    assert situation["role"] == "parent" and situation["municipality"] == "44021"
    assert situation["concern"] in {"online_extremism", "radicalisation"}
    # Turns 1 and 3 went to the first server, turn 2 to the second: each sees the whole conversation.
    assert user_texts(session) == CONVERSATION
    first, second = (event_names(url, session) for url in workers.rasa_urls)
    assert first == second and first.count("user") == 3


def test_two_messages_of_one_user_sent_at_once_are_answered_in_order(workers: Workers) -> None:
    session = "at-once-1"
    one, two = workers.rasa_urls

    async def both() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            await asyncio.gather(
                *(
                    client.post(f"{url}/webhooks/rest/webhook", json={"sender": session, "message": line})
                    for url, line in ((one, CONVERSATION[0]), (two, CONVERSATION[1]))
                )
            )

    asyncio.run(both())
    names = event_names(one, session)
    users = [index for index, name in enumerate(names) if name == "user"]
    assert len(users) == 2
    # The second turn starts only after the first ended by listening again: the lock held them apart.
    assert "action" in names[users[0] + 1 : users[1]] and names[users[1] - 1] == "action"
    assert sorted(user_texts(session)) == sorted(CONVERSATION[:2])


def _redis_set(key: str, value: str) -> None:
    """SET over Redis's own protocol (the app environment has no Redis client)."""
    parts = urlsplit(REDIS)
    command = ["SELECT", parts.path.strip("/") or "0", "SET", key, value]
    with socket.create_connection(
        (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=5
    ) as connection:
        for name, *args in (command[:2], command[2:]):
            words = [name, *args]
            wire = f"*{len(words)}\r\n" + "".join(f"${len(w.encode())}\r\n{w}\r\n" for w in words)
            connection.sendall(wire.encode())
            assert connection.recv(64).startswith(b"+OK")


def test_a_lock_left_by_a_dead_server_frees_the_conversation_after_its_lifetime(workers: Workers) -> None:
    session = "orphaned-lock-1"
    stale = {"number": 0, "expires": time.time() + 3}  # a ticket its dead server will never give back
    _redis_set(f"lock:{session}", json.dumps({"conversation_id": session, "tickets": [json.dumps(stale)]}))
    started = time.monotonic()
    answer = httpx.post(
        f"{workers.rasa_urls[1]}/webhooks/rest/webhook",
        json={"sender": session, "message": CONVERSATION[0]},
        timeout=60,
    )
    assert answer.status_code == 200 and answer.json(), "the conversation stayed locked"
    assert time.monotonic() - started < 30


def test_a_server_killed_under_load_leaves_the_other_serving_and_loses_no_turn(
    workers: Workers, tmp_path: Path
) -> None:
    chat = chat_service(workers, tmp_path)
    sessions = [f"load-{index}" for index in range(16)]
    victim = workers.stacks[0]
    rasa = victim.processes[1]
    answered: list[str] = []

    async def load() -> tuple[list[Any], int]:
        async def converse(session: str) -> list[Any]:
            replies = []
            for line in CONVERSATION:
                replies.append(await chat.handle(session, text=line, locale=Language.NL))
                answered.append(session)
            return replies

        running = asyncio.gather(*(converse(session) for session in sessions))
        while len(answered) < len(sessions):  # under way: about a third of the turns answered
            await asyncio.sleep(0.05)
        os.killpg(rasa.pid, signal.SIGKILL)  # the first Rasa server dies mid-conversation
        killed_after = len(answered)
        replies = await running
        await chat.rasa.close()
        return [reply for conversation in replies for reply in conversation], killed_after

    try:
        replies, killed_after = asyncio.run(load())
        assert killed_after < len(sessions) * len(CONVERSATION)
        assert not any(reply.degraded for reply in replies), "a turn fell back to the reduced mode"
        for session in sessions:
            assert set(user_texts(session)) == set(CONVERSATION), session  # every turn reached Rasa
    finally:
        rasa.wait(timeout=60)
        victim.revive(now=float("inf"))  # the supervisor's restart, so later tests find both servers
        victim.wait_ready(240)


def test_retention_forgets_old_conversations_on_postgresql_across_servers(workers: Workers) -> None:
    engine = db.make_engine(URL)  # the bot's sessions on PostgreSQL too, beside Rasa's trackers
    chat = ChatService(
        load_directory(),
        SessionStore(engine, dt.timedelta(days=30)),
        RasaClient(workers.rasa_urls, timeout=20, tracker_db_url=URL),
        30,
    )
    old, recent = "retention-old", "retention-recent"

    async def scenario() -> int:
        for session in (old, recent):
            for line in CONVERSATION[:2]:
                await chat.handle(session, text=line, locale=Language.NL)
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE chat_session SET last_seen = last_seen - INTERVAL '40 days' WHERE id = :s"),
                {"s": old},
            )
        forgotten = await chat.purge_expired()
        await chat.rasa.close()
        return forgotten

    assert asyncio.run(scenario()) == 1
    assert user_texts(old) == [] and user_texts(recent) == CONVERSATION[:2]
    with engine.connect() as connection:
        sessions = set(connection.execute(text("SELECT id FROM chat_session")).scalars())
    assert old not in sessions and recent in sessions
    engine.dispose()
