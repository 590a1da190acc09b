"""Telegram through python-telegram-bot against a Bot API stand-in on loopback (`stack.bot_api`):
fixtures, a harness that plays users, and what the tests read back from the calls the bot made."""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import os
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.chat import ChatService
from bot.i18n import use_language
from bot.service import build_service
from bot.sessions import pseudonym
from bot.settings import Settings
from bot.telegram import (
    WEBHOOK_PATH,
    ChatOrderedProcessor,
    TelegramApplication,
    build_application,
    running,
    webhook_route,
)
from bot.telegram.format import visible
from bot.templates import button_title
from referral_map.taxonomy import Language
from stack.bot_api import TOKEN, BotApi, Call
from stack.processes import Stack
from tests.auxil import updates

WAIT = 90.0  # seconds for one update, Rasa included


user_ids = itertools.count(700_000_001)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket connection off loopback fails the test."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                raise AssertionError(f"a network call left loopback: {host}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def settings(stack: Stack, tmp_path: Path) -> Settings:
    return Settings(
        rasa_url=stack.rasa_url,
        actions_url=stack.action_url,
        database_url=os.environ["WEGWIJZER_DATABASE_URL"],
        secret_file=tmp_path / "secret",
        telegram_token=TOKEN,
    )


def rendered(
    service: ChatService, template: str, language: Language, args: dict[str, Any] | None = None
) -> str:
    """What the bot's own template says in a language, as Telegram shows it."""
    with use_language(language):
        return service.renderer.render({"template": template, "args": args or {}}).text


def title(template: str, language: Language) -> str:
    with use_language(language):
        return button_title(template)


def shown(calls: list[Call]) -> list[str]:
    """The texts of the messages sent, as the user sees them."""
    return [visible(c.text) for c in calls if c.method == "sendMessage"]


def sent(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage"]


@dataclass
class Harness:
    api: BotApi
    application: TelegramApplication
    service: ChatService
    settings: Settings
    webhook: httpx.AsyncClient | None = None
    delivered: int = 0
    next_update_id: int = 1

    @property
    def processor(self) -> ChatOrderedProcessor:
        processor = self.application.update_processor
        assert isinstance(processor, ChatOrderedProcessor)
        return processor

    async def deliver(self, update: dict[str, Any]) -> list[Call]:
        """Queue an update, wait until the bot has handled it; the Bot API calls it made meanwhile."""
        before = len(self.api.calls)
        if self.webhook is None:
            self.api.push(update)
        else:
            self.api.remember_chats(update)
            body = {"update_id": self.next_update_id, **update}
            self.next_update_id += 1
            secret = self.application.bot_data.webhook_secret
            response = await self.webhook.post(
                WEBHOOK_PATH, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            )
            assert response.status_code == 200
        self.delivered += 1
        deadline = asyncio.get_running_loop().time() + WAIT
        while self.processor.processed < self.delivered:
            assert asyncio.get_running_loop().time() < deadline, "the bot did not handle the update in time"
            await asyncio.sleep(0.01)
        return [c for c in self.api.calls[before:] if c.method != "getUpdates"]

    def person(self, language_code: str | None = "nl") -> Person:
        return Person(self, next(user_ids), language_code)


@dataclass
class Person:
    harness: Harness
    id: int
    language_code: str | None
    chat: dict[str, Any] = field(init=False)
    user: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.chat = updates.private_chat(self.id)
        self.user = updates.user(self.id, self.language_code)

    @property
    def session(self) -> str:
        return pseudonym(self.harness.settings.secret(), "telegram", str(self.id))

    async def say(self, words: str) -> list[Call]:
        return await self.harness.deliver(updates.text(self.chat, self.user, words))

    async def command(self, name: str) -> list[Call]:
        return await self.harness.deliver(updates.command(self.chat, self.user, name))

    async def send(self, factory: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]) -> list[Call]:
        return await self.harness.deliver(factory(self.chat, self.user))

    def button(self, text: str) -> tuple[Call, dict[str, Any]] | None:
        """The newest message of this chat with a button of this title."""
        for call in reversed(self.harness.api.sent(self.id)):
            for button in call.buttons:
                if button["text"] == text:
                    return call, button
        return None

    async def press(self, text: str) -> list[Call]:
        found = self.button(text)
        assert found is not None, f"no button {text!r}"
        call, button = found
        assert call.result is not None
        return await self.harness.deliver(updates.callback(self.user, call.result, button["callback_data"]))


def play(settings: Settings, scenario: Callable[[Harness], Awaitable[None]]) -> None:
    """Run a scenario against the real Application, polling (or webhook) against the stand-in."""

    async def main() -> None:
        api = BotApi()
        await api.start()
        service = build_service(settings)
        try:
            application = build_application(service, settings, base_url=api.base_url)
            async with running(application, settings):
                harness = Harness(api, application, service, settings)
                if settings.webhook_url:
                    transport = httpx.ASGITransport(app=Starlette(routes=[webhook_route(application)]))
                    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
                        harness.webhook = client
                        await scenario(harness)
                else:
                    await scenario(harness)
        finally:
            await service.rasa.close()
            await api.stop()

    asyncio.run(main())


def referral_parts(calls: list[Call]) -> tuple[str, list[str], str]:
    """The introduction, the service cards and the summary message of the referral among the calls."""
    messages = [c.text for c in sent(calls)]
    summaries = [i for i, text in enumerate(messages) if "<pre>" in text]
    assert summaries, f"expected a referral, got {messages}"
    last = summaries[0]
    first = last - 1
    while first > 0 and messages[first].startswith("<b>") and "\n" in messages[first]:
        first -= 1
    return messages[first], messages[first + 1 : last], messages[last]


def no_emergency_numbers(texts: list[str]) -> bool:
    return not any(re.search(r"\b(112|101)\b", text) for text in texts)


CONVERSATIONS = [
    pytest.param(
        "nl-BE",
        "mijn zoon van 16 noemt zijn zus een kafira omdat ze geen hoofddoek draagt en hij heeft al zijn oude vrienden laten vallen",
        "Gent",
        "Opvoedingslijn",
        "078 15 00 10",
        id="nl",
    ),
    pytest.param(
        "fr",
        "mon fils de 16 ans dit que son père est un mécréant et il a coupé tous ses amis, ça fait 3 mois",
        "Liège",
        "CAPREV",
        "0800 11 172",
        id="fr",
    ),
    pytest.param(
        "de",
        "mein sohn ist 16 und redet nur noch von der jüdischen weltverschwörung, er hat alle alten freunde fallen lassen",
        "Eupen",
        "Wegweiser Ostbelgien",
        "0471 91 94 90",
        id="de",
    ),
    pytest.param(
        "en-GB",
        "our son is 16 and since the summer he hangs out with older guys from another neighbourhood, he now calls me and his dad kuffar because we don't pray",
        "Antwerp",
        "Opvoedingslijn",
        "078 15 00 10",
        id="en",
    ),
]


MEDIA = [updates.photo, updates.sticker, updates.voice, updates.document, updates.location]
