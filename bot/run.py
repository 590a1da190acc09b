"""`wegwijzer run`: the embedded default. Action server, Rasa server and the bot, started together.

The bot answers at once (in reduced mode until Rasa has loaded its model);
Ctrl-C stops everything cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import uvicorn

from bot.http_api import create_app
from bot.service import build_service
from bot.settings import Settings
from stack.processes import Stack

log = logging.getLogger(__name__)


def _telegram(service: Any, settings: Settings) -> tuple[Any, list[Any]]:
    """The Telegram application and the web routes it needs (webhook mode), when a token is set."""
    if not settings.telegram_token:
        return None, []
    from bot.telegram import build_application, webhook_route

    application = build_application(service, settings)
    return application, [webhook_route(application)] if settings.webhook_url else []


async def serve(settings: Settings, stack: Stack | None) -> None:
    began = time.monotonic()
    service = build_service(settings)
    telegram, extra_routes = _telegram(service, settings)
    app = create_app(service, settings.secret(), settings.actions_url)
    app.router.routes.extend(extra_routes)
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


async def _purge_regularly(service: Any, every_seconds: float = 3600) -> None:
    """The retention limit: conversations older than it are deleted, checked every hour."""
    while True:
        forgotten = await service.purge_expired()
        if forgotten:
            log.info("forgot %d conversations past the retention limit", forgotten)
        await asyncio.sleep(every_seconds)


async def _report_ready(stack: Stack | None, began: float) -> None:
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


def run(settings: Settings | None = None) -> int:
    from stack.model import ensure_model

    settings = settings or Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request lines carry the Telegram token
    stack = Stack(ensure_model(), rasa_port=settings.rasa_port, action_port=settings.actions_port)
    stack.launch()
    try:
        asyncio.run(serve(settings, stack))
    except KeyboardInterrupt:
        pass
    finally:
        with contextlib.suppress(Exception):
            stack.stop()
        print("Stopped.", flush=True)
    return 0
