"""Faults injected into a running stack of our own: Rasa slow, the action server or Rasa stopped in the
middle of a conversation, the session store locked. The user always gets an answer within the budget,
what was sent reaches Rasa once (late, or when it is back), and the conversation goes on where it was."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sqlite3
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.chat import ChatReply, ChatService, RasaClient
from bot.sessions import SessionStore
from referral_map import db
from referral_map.directory import load_directory
from referral_map.taxonomy import Language
from stack.processes import Stack, answers, free_port
from tests.auxil.faults import SlowProxy
from tests.auxil.map_files import sqlite_map

pytestmark = pytest.mark.slow
BUDGET = 1.5  # seconds the bot waits for Rasa here (WEGWIJZER_RASA_TIMEOUT)
# No role in it: the form asks who is writing next.
STORY = "een jongen van 16 zit elke avond op telegram in groepen met filmpjes van strijders, hij noemt ons ongelovigen"


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A Rasa server and an action server that these tests may stop, apart from the shared stack."""
    from stack.model import ensure_model

    state = tmp_path_factory.mktemp("faults")
    os.environ["WEGWIJZER_DATABASE_URL"] = sqlite_map(state)
    with Stack(ensure_model(), rasa_port=free_port(), action_port=free_port(), state_dir=state) as running:
        yield running


def service(tmp_path: Path, rasa_url: str) -> ChatService:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    return ChatService(
        load_directory(),
        SessionStore(engine, dt.timedelta(days=30)),
        RasaClient(rasa_url, timeout=BUDGET),
        30,
    )


def play(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


async def say(chat: ChatService, session: str, text: str) -> ChatReply:
    return await chat.handle(session, text=text, locale=Language.NL)


def stop_part(stack: Stack, name: str) -> None:
    [part] = [part for part in stack.parts if part.name == name]
    assert part.process is not None
    os.killpg(part.process.pid, signal.SIGKILL)
    part.process.wait()


async def revive(stack: Stack) -> None:
    """Start the stopped part again (as the runner does) and wait until it answers."""
    assert stack.revive(now=time.monotonic() + 3600)
    deadline = time.monotonic() + 180
    while not (answers(f"{stack.action_url}/health") and answers(f"{stack.rasa_url}/status")):
        assert time.monotonic() < deadline, "the part did not come back"
        await asyncio.sleep(0.5)


def rasa_texts(stack: Stack, session: str) -> list[str]:
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{session}/tracker", timeout=10).json()
    return [event.get("text") for event in tracker["events"] if event.get("event") == "user"]


def test_rasa_slower_than_the_budget_gets_the_reduced_mode_and_nothing_is_lost(
    own_stack: Stack, tmp_path: Path
) -> None:
    async def scenario() -> None:
        with SlowProxy(own_stack.rasa_port) as proxy:
            chat = service(tmp_path, proxy.url)
            first = await say(chat, "slow", STORY)
            assert not first.degraded and first.messages[-1].asks == "role"
            proxy.delay = BUDGET * 3
            began = time.monotonic()
            late = await say(chat, "slow", "ik ben zijn mama")
            waited = time.monotonic() - began
            assert late.degraded and late.messages, "the user must get the reduced mode, not silence"
            assert waited < BUDGET * 3, f"answered after {waited:.1f} s, beyond the budget"
            proxy.delay = 0
            await asyncio.sleep(BUDGET * 3)  # Rasa has finished the late turn
            assert "ik ben zijn mama" in rasa_texts(own_stack, "slow")  # what was sent is kept
            after = await say(chat, "slow", "we wonen in Mechelen")
            assert not after.degraded
            assert after.messages[0].referral is not None  # the role the late turn gave was kept
            await chat.rasa.close()

    play(scenario)


def test_the_action_server_stopped_mid_conversation(own_stack: Stack, tmp_path: Path) -> None:
    async def scenario() -> None:
        chat = service(tmp_path, own_stack.rasa_url)
        first = await say(chat, "actions", STORY)
        assert not first.degraded and first.messages[-1].asks == "role"
        stop_part(own_stack, "action server")
        down = await say(chat, "actions", "ik ben zijn papa")
        assert down.degraded and down.messages  # Rasa answered with nothing: the bot does not stay silent
        await revive(own_stack)
        back = await say(chat, "actions", "ik ben zijn papa, we wonen in Gent")
        assert not back.degraded
        assert any(m.referral is not None for m in back.messages)
        await chat.rasa.close()

    play(scenario)


def test_rasa_stopped_mid_conversation_and_started_again_goes_on_where_it_was(
    own_stack: Stack, tmp_path: Path
) -> None:
    async def scenario() -> None:
        chat = service(tmp_path, own_stack.rasa_url)
        first = await say(chat, "rasa", STORY)
        assert first.messages[-1].asks == "role"
        stop_part(own_stack, "Rasa")
        down = await say(chat, "rasa", "ik ben zijn mama")
        assert down.degraded and down.messages
        await revive(own_stack)
        back = await say(chat, "rasa", "we wonen in Gent")
        assert not back.degraded
        # The story told before Rasa stopped is still known, and "ik ben zijn mama", sent while it was
        # down, reached it once it was back: the referral comes, for a parent.
        referral = next(m.referral for m in back.messages if m.referral is not None)
        assert referral.situation.role.value == "parent"
        assert rasa_texts(own_stack, "rasa").count("ik ben zijn mama") == 1
        await chat.rasa.close()

    play(scenario)


def test_what_was_sent_while_rasa_was_down_survives_a_restart_of_the_bot(
    own_stack: Stack, tmp_path: Path
) -> None:
    async def scenario() -> None:
        chat = service(tmp_path, own_stack.rasa_url)
        first = await say(chat, "restart", STORY)
        assert first.messages[-1].asks == "role"
        stop_part(own_stack, "Rasa")
        down = await say(chat, "restart", "ik ben zijn mama")
        assert down.degraded
        await chat.rasa.close()
        # The bot stops and starts again (a deploy, a crash) before Rasa is back.
        restarted = service(tmp_path, own_stack.rasa_url)
        await revive(own_stack)
        back = await say(restarted, "restart", "we wonen in Gent")
        assert not back.degraded
        referral = next(m.referral for m in back.messages if m.referral is not None)
        assert referral.situation.role.value == "parent"  # the turn kept over the restart reached Rasa
        assert rasa_texts(own_stack, "restart").count("ik ben zijn mama") == 1
        assert restarted.store.kept_turns("restart") == []  # and was deleted once Rasa had it
        await restarted.rasa.close()

    play(scenario)


def test_turns_kept_in_memory_when_the_store_cannot_keep_them_reach_rasa_once_in_order(
    own_stack: Stack, tmp_path: Path
) -> None:
    async def scenario() -> None:
        chat = service(tmp_path, own_stack.rasa_url)
        first = await say(chat, "memory", STORY)
        assert first.messages[-1].asks == "role"
        with sqlite3.connect(tmp_path / "bot.sqlite3") as database:
            database.execute("DROP TABLE chat_pending_turn")  # the store can no longer keep turns
        stop_part(own_stack, "Rasa")
        assert (await say(chat, "memory", "ik ben zijn mama")).degraded
        assert (await say(chat, "memory", "we wonen in Gent")).degraded
        await revive(own_stack)
        await say(chat, "memory", "dank je")
        texts = rasa_texts(own_stack, "memory")
        assert texts.count("ik ben zijn mama") == texts.count("we wonen in Gent") == 1
        assert texts.index("ik ben zijn mama") < texts.index("we wonen in Gent") < texts.index("dank je")
        await chat.rasa.close()

    play(scenario)


def test_a_locked_session_store_costs_the_language_memory_not_the_answer(
    own_stack: Stack, tmp_path: Path
) -> None:
    async def scenario() -> None:
        chat = service(tmp_path, own_stack.rasa_url)
        await say(chat, "locked", "hallo")  # the store exists
        holder = sqlite3.connect(tmp_path / "bot.sqlite3", timeout=0)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the database
        try:
            reply = await say(chat, "locked", STORY)
        finally:
            holder.rollback()
            holder.close()
        assert reply.messages and reply.messages[-1].asks == "role"
        after = await say(chat, "locked", "ik ben zijn mama")
        assert after.messages[-1].asks == "municipality"
        await chat.rasa.close()

    play(scenario)
