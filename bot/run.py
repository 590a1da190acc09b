"""`wegwijzer run`: the embedded default. Action server, Rasa server and the bot, started together.

Scaled by configuration (stack/workers.py): `WEGWIJZER_RASA_WORKERS=N` starts N Rasa servers, each with
its action server, sharing the tracker store of `WEGWIJZER_TRACKER_DB_URL` (PostgreSQL) and the lock store
of `WEGWIJZER_LOCK_STORE_URL` (Redis); the bot spreads the turns over them.

The bot answers at once (in reduced mode until Rasa has loaded its model). A part that
dies is started again, waiting a little longer after each restart. Ctrl-C, SIGTERM and
SIGHUP stop everything and leave no process behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from bot.http_api import create_app
from bot.service import build_service
from bot.settings import Settings
from stack.heap import freeze_long_lived
from stack.processes import PortTakenError, check_ports
from stack.stores import StoreUrlError, lock_store_lines, tracker_store_lines
from stack.workers import Workers

log = logging.getLogger(__name__)


def _telegram(service: Any, settings: Settings) -> tuple[Any, list[Any]]:
    """The Telegram application and the web routes it needs (webhook mode), when a token is set."""
    if not settings.telegram_token:
        return None, []
    from bot.telegram import build_application, webhook_route

    application = build_application(service, settings, base_url=settings.telegram_api_url)
    return application, [webhook_route(application)] if settings.webhook_url else []


async def serve(settings: Settings, stack: Workers | None) -> None:
    began = time.monotonic()
    service = build_service(settings)
    telegram, extra_routes = _telegram(service, settings)
    app = create_app(
        service,
        settings.secret(),
        settings.actions_url,
        settings.limits,
        settings.cors_origins,
        settings.stats_token,
    )
    app.router.routes.extend(extra_routes)
    freeze_long_lived("bot")
    config = uvicorn.Config(app, host=settings.http_host, port=settings.http_port, log_level="warning")
    server = uvicorn.Server(config)
    web = f"http://{settings.http_host}:{settings.http_port}/"
    print(f"Web chat: {web}  (HTTP API {web}api/v1/chat)", flush=True)
    print("Console chat: .venv/bin/wegwijzer chat --lang nl", flush=True)
    mode = "webhook" if settings.webhook_url else "polling"
    print(
        f"Telegram: {mode}" if telegram else "Telegram: off (set TELEGRAM_BOT_TOKEN to serve it)", flush=True
    )
    waiting = asyncio.create_task(_report_ready(stack, began))
    purging = asyncio.create_task(_purge_regularly(service))
    supervising = asyncio.create_task(_supervise(stack))
    try:
        if telegram is None:
            await server.serve()
        else:
            from bot.telegram import running

            async with running(telegram, settings):
                await server.serve()
    finally:
        waiting.cancel()
        purging.cancel()
        supervising.cancel()


async def _supervise(stack: Workers | None, every_seconds: float = 2.0) -> None:
    """Start again a part that died (the bot answers in reduced mode meanwhile)."""
    if stack is None:
        return
    while True:
        await asyncio.sleep(every_seconds)
        for name in stack.revive():
            print(f"{name} had stopped: starting it again", flush=True)


async def _purge_regularly(service: Any, every_seconds: float = 3600) -> None:
    """The retention limit: conversations older than it are deleted, checked every hour."""
    while True:
        forgotten = await service.purge_expired()
        if forgotten:
            log.info("forgot %d conversations past the retention limit", forgotten)
        await asyncio.sleep(every_seconds)


async def _report_ready(stack: Workers | None, began: float) -> None:
    if stack is None:
        return
    try:
        await asyncio.to_thread(stack.wait_ready, 300.0)
    except (RuntimeError, TimeoutError) as error:
        print(f"Rasa did not start ({error}); the bot keeps answering in reduced mode", flush=True)
        return
    print(
        f"Ready: Rasa and the action server answer ({time.monotonic() - began:.1f} s after start)", flush=True
    )


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # unwinds through `finally`, which stops the parts


def workers_for(settings: Settings, model: Path) -> Workers:
    """The Rasa servers and action servers to start, with their shared stores when configured."""
    tracker = tracker_store_lines(settings.tracker_db_url) if settings.tracker_db_url else None
    lock = lock_store_lines(settings.lock_store_url) if settings.lock_store_url else None
    return Workers.create(
        model,
        settings.rasa_workers,
        rasa_port=settings.rasa_port,
        action_port=settings.actions_port,
        tracker_store=tracker,
        lock_store=lock,
    )


def run(settings: Settings | None = None) -> int:
    from stack.model import ensure_model

    settings = settings or Settings.from_env()
    try:
        workers = workers_for(settings, Path("model-not-chosen-yet"))  # checks the settings before training
        check_ports(
            [(name, "127.0.0.1", port) for name, port in workers.ports]
            + [("the web chat", settings.http_host, settings.http_port)]
        )
    except (PortTakenError, StoreUrlError, ValueError) as error:
        print(f"wegwijzer: {error}", file=sys.stderr, flush=True)
        return 1
    workers = workers_for(settings, ensure_model())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request lines carry the Telegram token
    # uvicorn handles SIGTERM itself and raises it again once it has shut down: without a handler
    # of ours the process would then die before `finally`, leaving Rasa and the action server behind.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    if settings.tracker_db_url is None:  # /forget deletes the conversation from the store Rasa writes to
        settings = settings.model_copy(update={"tracker_db_url": f"sqlite:///{workers.stacks[0].tracker_db}"})
    try:
        workers.launch()
        asyncio.run(serve(settings, workers))
    except KeyboardInterrupt:
        pass
    finally:
        with contextlib.suppress(Exception):
            workers.stop()
        print("Stopped.", flush=True)
    return 0
