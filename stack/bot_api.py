"""A Bot API stand-in on loopback: the methods the bot calls, each call recorded, failures on demand (the
Telegram tests and `wegwijzer bench`).

It checks what Telegram checks and the bot could get wrong: the token, HTML that Telegram can parse,
4096 characters per message, 64 bytes of callback_data per button.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TOKEN = "123456789:wegwijzer-test-token"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Wegwijzer",
    "username": "wegwijzer_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
JSON_FIELDS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "reply_markup",
    "commands",
    "allowed_updates",
    "link_preview_options",
    "drop_pending_updates",
    "scope",
    "show_alert",
    "entities",
}
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
    "span", "blockquote",
}  # fmt: skip
MESSAGE_LIMIT = 4096
CALLBACK_LIMIT = 64


class BadRequestError(Exception):
    pass


class TelegramHtml(HTMLParser):
    """Parses a message the way Telegram's HTML parse mode does, or raises BadRequestError."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise BadRequestError(f'can\'t parse entities: unsupported start tag "{tag}"')
        if tag == "a" and not dict(attrs).get("href"):
            raise BadRequestError("can't parse entities: a link needs an href")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise BadRequestError(f'can\'t parse entities: unexpected end tag "{tag}"')
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or "&" in data:
            raise BadRequestError("can't parse entities: unescaped < or &")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            raise BadRequestError(f"can't parse entities: unsupported entity &{name};")
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))

    @classmethod
    def visible(cls, text: str) -> str:
        parser = cls()
        parser.feed(text)
        parser.close()
        if parser.open:
            raise BadRequestError(f'can\'t parse entities: unclosed tag "{parser.open[-1]}"')
        return "".join(parser.text)


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    result: Any = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


class BotApi:
    """Serves /bot<token>/<method> on 127.0.0.1; the test queues updates and reads the recorded calls."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.sent_per_chat: Counter[int] = Counter()  # messages sent to each chat, read without a scan
        self.failures: dict[str, list[int]] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = 0
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self.endpoint, methods=["GET", "POST"])])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=0, log_level="warning", lifespan="off", ws="none", http="h11"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        deadline = time.monotonic() + 10
        while not self._server.started:
            if self._task.done() or time.monotonic() > deadline:
                raise RuntimeError("the Bot API stand-in did not start")
            await asyncio.sleep(0.01)
        self.port = int(self._server.servers[0].sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            self._new_update.set()
            await self._task

    # --- what the test does ------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update_id = next(self._update_ids)
        self.remember_chats(update)
        self.updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def remember_chats(self, update: dict[str, Any]) -> None:
        """Know the chats an update comes from, to answer with the right chat type."""
        for part in update.values():
            if isinstance(part, dict):
                chat = part.get("chat") or (part.get("message") or {}).get("chat")
                if chat:
                    self.chats[int(chat["id"])] = chat

    def fail_next(self, method: str, status: int = 500) -> None:
        """The next call of the method answers with this HTTP status."""
        self.failures.setdefault(method, []).append(status)

    def sent(self, chat_id: int | None = None) -> list[Call]:
        return [
            c for c in self.calls if c.method == "sendMessage" and (chat_id is None or c.chat_id == chat_id)
        ]

    # --- the Bot API -------------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = str(request.path_params["method"])
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        failures = self.failures.get(method)
        if failures:
            status = failures.pop(0)
            return self._error(status, "Internal Server Error" if status >= 500 else "Bad Request")
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        try:
            call.result = await handler(params)
        except BadRequestError as error:
            return self._error(400, f"Bad Request: {error}")
        return JSONResponse({"ok": True, "result": call.result})

    async def _params(self, request: Request) -> dict[str, Any]:
        body = await request.body()
        if not body:
            return {}
        if request.headers.get("content-type", "").startswith("application/json"):
            return dict(json.loads(body))
        raw = {key: values[-1] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}
        return {key: json.loads(value) if key in JSON_FIELDS else value for key, value in raw.items()}

    def _error(self, status: int, description: str) -> JSONResponse:
        return JSONResponse(
            {"ok": False, "error_code": status, "description": description}, status_code=status
        )

    async def api_getMe(self, params: dict[str, Any]) -> Any:  # noqa: N802 - Bot API method names
        return BOT_USER

    async def api_getUpdates(self, params: dict[str, Any]) -> Any:  # noqa: N802
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and float(params.get("timeout") or 0) > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):  # a short long poll: the bot asks again at once
                await asyncio.wait_for(self._new_update.wait(), timeout=0.5)
        return self.updates[: int(params.get("limit") or 100)]

    async def api_deleteWebhook(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def api_setMyCommands(self, params: dict[str, Any]) -> Any:  # noqa: N802
        for command in params.get("commands", []):
            if not 1 <= len(command["description"]) <= 256:
                raise BadRequestError("command description must be 1-256 characters")
        return True

    async def api_setWebhook(self, params: dict[str, Any]) -> Any:  # noqa: N802
        if not str(params.get("url", "")).startswith("https://"):
            raise BadRequestError("bad webhook: an HTTPS URL must be provided for webhook")
        return True

    async def api_sendChatAction(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def api_sendMessage(self, params: dict[str, Any]) -> Any:  # noqa: N802
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        shown = TelegramHtml.visible(text) if params.get("parse_mode") == "HTML" else text
        if not shown.strip():
            raise BadRequestError("message text is empty")
        if len(shown.encode("utf-16-le")) // 2 > MESSAGE_LIMIT:
            raise BadRequestError("message is too long")
        self._check_markup(params.get("reply_markup"))
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chats.get(chat_id, {"id": chat_id, "type": "private"}),
            "from": BOT_USER,
            "text": shown,
        }
        # As Telegram does: a message carries its inline keyboard; a reply keyboard stays with the chat.
        if (params.get("reply_markup") or {}).get("inline_keyboard"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message_id)] = message
        self.sent_per_chat[chat_id] += 1
        return message

    async def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:  # noqa: N802
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise BadRequestError("message to edit not found")
        self._check_markup(params.get("reply_markup"))
        message = self.messages[key]
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _check_markup(self, markup: Any) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_LIMIT:
                    raise BadRequestError("BUTTON_DATA_INVALID")
