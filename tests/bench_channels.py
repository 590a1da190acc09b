"""Channel benchmark: one turn through Rasa's REST channel, the HTTP API and the Telegram path, same run.

`.venv/bin/python -m tests.bench_channels` starts the action server and Rasa, the bot's HTTP API, and a
Bot API stand-in on loopback that python-telegram-bot polls; it prints median and p95 per turn for each
path and the RSS of each process. Not a test: figures from a shared machine are noisy.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn

from bot.http_api import create_app
from bot.http_guard import EVALUATION_LIMITS
from bot.service import build_service
from bot.settings import Settings
from bot.telegram import build_application, running
from referral_map import db
from referral_map.directory import load_directory
from stack.bot_api import TOKEN, BotApi
from stack.measure import latency_text, rss_mb
from stack.model import ensure_model
from stack.processes import Stack, free_port
from tests.auxil import updates
from tests.bot.telegram.conftest import Harness

TURNS = [
    ("nl", "mijn zoon van 15 kijkt de hele dag IS-filmpjes"),
    ("fr", "je suis prof et il y a des tensions dans ma classe depuis Gaza"),
    ("de", "meine Tochter redet nur noch von der Ummah und nennt uns Ungläubige"),
    ("en", "my son talks about leaving for syria"),
]
ROUNDS = 10


def _timed(call: object) -> float:
    started = time.perf_counter()
    call()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


async def _telegram_turns(settings: Settings) -> list[float]:
    api = BotApi()
    await api.start()
    service = build_service(settings)
    timings: list[float] = []
    try:
        application = build_application(service, settings, base_url=api.base_url)
        async with running(application, settings):
            harness = Harness(api, application, service, settings)
            for round_number in range(ROUNDS):
                for index, (language, text) in enumerate(TURNS):
                    user_id = 10_000 + round_number * 10 + index
                    chat, user = updates.private_chat(user_id), updates.user(user_id, language)
                    started = time.perf_counter()
                    await harness.deliver(updates.text(chat, user, text))
                    timings.append((time.perf_counter() - started) * 1000)
    finally:
        await service.rasa.close()
        await api.stop()
    return timings


def main() -> None:
    state = Path(tempfile.mkdtemp())
    url = f"sqlite:///{state / 'map.sqlite3'}"
    engine = db.make_engine(url)
    db.load(load_directory(), engine)
    engine.dispose()
    stack = Stack(ensure_model(), rasa_port=free_port(), action_port=free_port(), state_dir=state)
    with stack:
        settings = Settings(
            rasa_url=stack.rasa_url,
            actions_url=stack.action_url,
            database_url=url,
            secret_file=state / "secret",
            http_port=free_port(),
            telegram_token=TOKEN,
        )
        app = create_app(build_service(settings), settings.secret(), settings.actions_url, EVALUATION_LIMITS)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=settings.http_port, log_level="warning", loop="asyncio"
        )
        server = uvicorn.Server(config)
        threading.Thread(target=server.run, daemon=True).start()
        api_url = f"http://127.0.0.1:{settings.http_port}"
        while not server.started:
            time.sleep(0.1)
        rest, http_api = [], []
        with httpx.Client(timeout=30) as client:
            for _ in range(ROUNDS):
                for language, text in TURNS:
                    body = {"sender": uuid.uuid4().hex, "message": text, "metadata": {"locale": language}}
                    rest.append(
                        _timed(lambda b=body: client.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=b))
                    )
                    chat = {"session": uuid.uuid4().hex, "text": text, "locale": language}
                    http_api.append(_timed(lambda c=chat: client.post(f"{api_url}/api/v1/chat", json=c)))
        telegram = asyncio.run(_telegram_turns(settings))
        print(f"Rasa REST channel (plain):  {latency_text(rest)}")
        print(f"bot HTTP API:               {latency_text(http_api)}")
        print(f"Telegram path (polling):    {latency_text(telegram)}")
        print(
            f"RSS: Rasa {rss_mb(stack.processes[1].pid):.0f} MB, action server {rss_mb(stack.processes[0].pid):.0f} MB, "
            f"bot process (HTTP API + Telegram + lingua) {rss_mb(os.getpid()):.0f} MB"
        )
        server.should_exit = True


if __name__ == "__main__":
    main()
