"""`wegwijzer chat`: a conversation in the terminal, through the same core as Telegram and the web."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable

from bot.chat import ChatService
from bot.service import build_service
from bot.settings import Settings
from bot.templates import Rendered
from protocol.messages import Template
from referral_map.taxonomy import Language
from stack.processes import Stack, answers

PROMPT = "> "


def show(messages: list[Rendered], write: Callable[[str], None]) -> list[str]:
    """Print the messages; return the payloads of the buttons, numbered from 1."""
    payloads: list[str] = []
    for message in messages:
        write(message.text)
        for button in message.buttons:
            payloads.append(button.payload)
            write(f"  [{len(payloads)}] {button.title}")
        write("")
    return payloads


async def converse(
    service: ChatService,
    language: Language,
    read: Callable[[], str | None],
    write: Callable[[str], None],
) -> None:
    session = f"console-{uuid.uuid4().hex}"
    payloads = show([service.own(Template.WELCOME, language)], write)
    while True:
        line = await asyncio.to_thread(read)
        if line is None or line.strip() in {"/quit", "/exit"}:
            break
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(payloads):
            reply = await service.handle(session, payload=payloads[int(choice) - 1], locale=language)
        elif choice == "/forget":
            await service.forget(session)
            write(service.own(Template.FORGOTTEN, language).text)
            continue
        else:
            reply = await service.handle(session, text=line, locale=language)
        language = reply.locale
        payloads = show(reply.messages, write)


def _read() -> str | None:
    try:
        return input(PROMPT)
    except EOFError:
        return None


def chat(language: Language) -> int:
    settings = Settings.from_env()
    service = build_service(settings)
    if any(answers(f"{url}/status") for url in settings.rasa_urls):
        asyncio.run(converse(service, language, _read, print))
        return 0
    from stack.model import ensure_model

    print("Starting Rasa and the action server (about half a minute)...", file=sys.stderr)
    with Stack(ensure_model(), rasa_port=settings.rasa_port, action_port=settings.actions_port):
        asyncio.run(converse(service, language, _read, print))
    return 0
