"""Webhook mode: where Telegram posts updates, the token it proves itself with, and the route that takes them."""

from __future__ import annotations

import hashlib
import hmac
import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update

from bot.settings import Settings
from bot.telegram.context import TelegramApplication

WEBHOOK_PATH = "/telegram/webhook"
MAX_WEBHOOK_BODY = 1024 * 1024


def webhook_secret(settings: Settings) -> str:
    """The secret token Telegram sends with every webhook call, derived from the deployment's key."""
    return hmac.new(settings.secret(), b"telegram-webhook", hashlib.sha256).hexdigest()


def webhook_target(settings: Settings) -> str | None:
    """The public URL Telegram posts to: WEBHOOK_URL, with /telegram/webhook added unless it is there."""
    if not settings.webhook_url:
        return None
    url = settings.webhook_url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


def webhook_route(application: TelegramApplication) -> Route:
    """POST /telegram/webhook: checks Telegram's secret token and queues the update for the application."""

    async def receive(request: Request) -> Response:
        """One update from Telegram: queued at once; the answer goes out through the Bot API."""
        expected = application.bot_data.webhook_secret
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BODY:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return Route(WEBHOOK_PATH, receive, methods=["POST"])
