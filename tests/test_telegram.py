"""The Telegram channel end to end: python-telegram-bot polling a Bot API stand-in on loopback, real Rasa behind.

Every test builds the real Application with `build_application`, starts it with `running` (initialize,
start, start_polling: the production path) in its own event loop, queues updates in the stand-in and reads
the Bot API calls the bot made. Any connection off loopback fails the test.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import itertools
import logging
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
from bot.i18n import _, language_name, use_language
from bot.service import build_service
from bot.sessions import pseudonym
from bot.settings import Settings
from bot.telegram import (
    SORRY,
    WEBHOOK_PATH,
    ChatData,
    ChatOrderedProcessor,
    TelegramApplication,
    build_application,
    running,
    telegram_language,
    webhook_route,
)
from bot.telegram.format import MESSAGE_LIMIT, Outgoing, to_messages, utf16_len, visible
from bot.telegram.keyboards import remember
from bot.templates import Rendered, button_title
from referral_map.taxonomy import Language
from stack.processes import Stack
from tests.auxil import updates
from tests.auxil.bot_api import TOKEN, BotApi, Call

WAIT = 90.0  # seconds for one update, Rasa included
_user_ids = itertools.count(700_000_001)


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
        return Person(self, next(_user_ids), language_code)


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


@pytest.mark.slow
@pytest.mark.parametrize(("language_code", "story", "place", "first_service", "phone"), CONVERSATIONS)
def test_a_conversation_from_start_to_referral(
    settings: Settings, language_code: str, story: str, place: str, first_service: str, phone: str
) -> None:
    language = telegram_language(language_code)

    async def scenario(harness: Harness) -> None:
        parent = harness.person(language_code)
        welcome = await parent.command("start")
        assert shown(welcome) == [rendered(harness.service, "welcome", language)]
        assert title("concern_radicalisation", language) in [b["text"] for b in sent(welcome)[0].buttons]
        conversation = await parent.say(story)
        answer = conversation
        for _step in range(4):
            if any("<pre>" in c.text for c in sent(answer)):
                break
            if any(b["text"] == title("role_parent", language) for c in sent(answer) for b in c.buttons):
                answer = await parent.press(title("role_parent", language))
            else:
                answer = await parent.say(place)
            conversation += answer
        _intro, cards, summary = referral_parts(answer)
        assert first_service in visible(cards[0]).split("\n")[0]
        assert f"<b>{phone}</b>" in cards[0]
        assert "<pre>" in summary and "</pre>" in summary
        assert no_emergency_numbers(shown(conversation)), "a routine case must not get 112/101"
        assert any(c.method == "sendChatAction" for c in conversation)
        assert harness.service.language_of(parent.session, None)[0] is language

    play(settings, scenario)


@pytest.mark.slow
def test_emergency_gives_112_and_101_first(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        answer = await harness.person("nl").command("emergency")
        intro, cards, _summary = referral_parts(answer)
        assert intro.startswith("<b>") and "112" in intro
        assert "<b>112</b>" in cards[0]
        assert "<b>101</b>" in cards[1]

    play(settings, scenario)


@pytest.mark.slow
def test_a_group_gets_one_short_private_only_notice(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        group = updates.group_chat(-100_200_300)
        member = updates.user(next(_user_ids), "nl")
        first = await harness.deliver(updates.command(group, member, "start"))
        assert shown(first) == [rendered(harness.service, "private_only", Language.NL)]
        again = await harness.deliver(updates.text(group, member, "mijn zoon radicaliseert"))
        assert sent(again) == []

    play(settings, scenario)


MEDIA = [updates.photo, updates.sticker, updates.voice, updates.document, updates.location]


@pytest.mark.slow
def test_media_and_edits_get_unsupported_media_and_the_concern_menu(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("fr-BE")
        expected = rendered(harness.service, "unsupported_media", Language.FR)
        menu = title("concern_radicalisation", Language.FR)
        for factory in MEDIA:
            answer = sent(await person.send(factory))
            assert [visible(c.text) for c in answer] == [expected], factory.__name__
            assert menu in [b["text"] for b in answer[0].buttons]
        answer = sent(await person.harness.deliver(updates.edited(person.chat, person.user, "autre chose")))
        assert [visible(c.text) for c in answer] == [expected]
        still = await person.command("help")
        assert shown(still) == [rendered(harness.service, "help", Language.FR)]

    play(settings, scenario)


@pytest.mark.slow
def test_a_5000_character_message_is_answered_within_telegrams_limit(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("nl")
        words = ("ik maak me zorgen om mijn zoon en zijn nieuwe vrienden. " * 100)[:5000]
        answer = await person.say(words)
        texts = shown(answer)
        assert texts and texts[0] == rendered(harness.service, "too_long", Language.NL, {"count": 4000})
        assert all(utf16_len(text) <= MESSAGE_LIMIT for text in texts)
        assert visible(SORRY) not in texts

    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        play(settings, scenario)
    assert not [r for r in caplog.records if r.name == "bot.telegram" and r.levelno >= logging.ERROR]


def test_long_text_is_split_at_telegrams_limit() -> None:
    text = "\n\n".join(["Een zin die zich herhaalt. " * 40] * 12)
    pieces = to_messages(Rendered("place_not_found", text, buttons=[]))
    assert len(pieces) > 1
    assert all(utf16_len(visible(p.html)) <= MESSAGE_LIMIT for p in pieces)
    assert " ".join(visible(p.html) for p in pieces).split() == text.split()
    emoji = to_messages(Rendered("place_not_found", "😀" * 5000))
    assert all(utf16_len(visible(p.html)) <= MESSAGE_LIMIT for p in emoji)


def test_dynamic_text_is_escaped() -> None:
    (piece,) = to_messages(Rendered("place_not_found", "“<b>Gent & co</b>” <script>"))
    assert piece == Outgoing("“&lt;b&gt;Gent &amp; co&lt;/b&gt;” &lt;script&gt;")


def test_long_button_payloads_get_a_short_key_per_chat() -> None:
    chat = ChatData()
    payload = '/inform_place{"municipality":"Sint-Jans-Molenbeek","query":"molenbeek saint jean"}'
    key = remember(chat, payload)
    assert len(key.encode()) <= 64
    assert remember(chat, payload) == key
    assert chat.payloads[key] == payload


@pytest.mark.parametrize(
    ("code", "language"),
    [("nl", "nl"), ("nl-BE", "nl"), ("fr", "fr"), ("fr-BE", "fr"), ("de", "de"), ("es", "en"), (None, "en")],
)
def test_telegram_language_codes(code: str | None, language: str) -> None:
    assert telegram_language(code) is Language(language)


@pytest.mark.slow
def test_choosing_french_makes_later_replies_french(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("en")
        question = await person.command("language")
        buttons = [b["text"] for b in sent(question)[0].buttons]
        assert buttons == [
            language_name(lang) for lang in (Language.NL, Language.FR, Language.DE, Language.EN)
        ]
        confirmation = await person.press(language_name(Language.FR))
        assert shown(confirmation) == [
            rendered(harness.service, "language_changed", Language.FR, {"language": "fr"})
        ]
        assert any(c.method == "editMessageReplyMarkup" for c in confirmation)
        assert harness.service.language_of(person.session, None) == (Language.FR, True)
        welcome = await person.command("start")
        assert shown(welcome) == [rendered(harness.service, "welcome", Language.FR)]
        answer = await person.press(title("concern_radicalisation", Language.FR))
        if any(b["text"] == title("role_parent", Language.FR) for c in sent(answer) for b in c.buttons):
            answer = await person.press(title("role_parent", Language.FR))
        answer = await person.say("Liège")
        _intro, cards, _summary = referral_parts(answer)
        assert "Centre d'aide" in html.unescape(cards[0])  # CAPREV's French name

    play(settings, scenario)


@pytest.mark.slow
def test_forget_deletes_the_session_and_confirms(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("nl")
        await person.say("mijn dochter praat over kafirs en wil niet meer naar school")
        assert harness.service.store.get_locale(person.session) is not None
        answer = await person.command("forget")
        assert shown(answer) == [rendered(harness.service, "forgotten", Language.NL)]
        assert harness.service.store.get_locale(person.session) is None

    play(settings, scenario)


@pytest.mark.slow
def test_restart_starts_the_conversation_over(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("en")
        await person.say("my son watches isis videos all day")
        answer = await person.command("restart")
        assert rendered(harness.service, "start_over", Language.EN) in shown(answer)

    play(settings, scenario)


@pytest.mark.slow
def test_an_error_is_logged_then_the_user_is_told_and_the_bot_keeps_answering(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("nl")
        harness.api.fail_next("sendMessage", 500)
        answer = await person.command("help")
        attempts = sent(answer)
        assert len(attempts) == 2  # the help that failed, then the apology
        with use_language(Language.NL):
            apology = _(SORRY)
        assert attempts[1].text == apology
        later = await person.command("help")
        assert shown(later) == [rendered(harness.service, "help", Language.NL)]

    with caplog.at_level(logging.ERROR, logger="bot.telegram"):
        play(settings, scenario)
    errors = [r for r in caplog.records if r.name == "bot.telegram" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
    assert str(errors[0].getMessage()).isascii()


@pytest.mark.slow
def test_webhook_mode_feeds_updates_from_the_starlette_route(settings: Settings) -> None:
    webhook_settings = settings.model_copy(update={"webhook_url": "https://wegwijzer.example"})

    async def scenario(harness: Harness) -> None:
        assert harness.application.updater is None
        registered = [c for c in harness.api.calls if c.method == "setWebhook"]
        assert registered and registered[0].params["url"] == "https://wegwijzer.example/telegram/webhook"
        assert registered[0].params["secret_token"] == harness.application.bot_data.webhook_secret
        person = harness.person("de")
        answer = await person.command("privacy")
        assert shown(answer) == [rendered(harness.service, "privacy", Language.DE, {"days": 30})]
        assert harness.webhook is not None
        refused = await harness.webhook.post(WEBHOOK_PATH, json={"update_id": 99}, headers={})
        assert refused.status_code == 403

    play(webhook_settings, scenario)
