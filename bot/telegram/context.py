"""What the steps share: per-chat memory, what every chat shares, the callback context, the user's language."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from telegram.ext import Application, CallbackContext, ExtBot

from bot.chat import ChatService
from bot.http_guard import Limits, RateLimit
from bot.settings import Settings
from referral_map.mistakes import MistakeReports
from referral_map.taxonomy import Language

# One logger for the whole channel, named as before it became a package: operators and tests filter on it.
log = logging.getLogger("bot.telegram")


@dataclass
class ChatData:
    """What the bot keeps per chat, in memory only: long button payloads and whether a group was told once."""

    payloads: dict[str, str] = field(default_factory=dict)
    next_key: int = 0
    private_only_sent: bool = False
    told_to_slow_down_at: float = -1e9  # when the flood message was last sent (monotonic seconds)


@dataclass
class BotData:
    """Shared by every chat: the chat core, the settings, the key of the pseudonyms, the webhook token.

    python-telegram-bot makes it empty; `build_application` fills it in before any update arrives.
    """

    service: ChatService = field(init=False, repr=False)
    settings: Settings = field(init=False, repr=False)
    secret: bytes = field(init=False, repr=False)  # the key of the users' pseudonymous session ids
    webhook_secret: str = field(default="", repr=False)  # the token Telegram sends with each webhook call
    flood: RateLimit = field(
        default_factory=lambda: RateLimit(Limits().per_session)
    )  # updates a minute per user
    reports: MistakeReports = field(init=False, repr=False)  # "this information is wrong", kept apart


class WegwijzerContext(CallbackContext[ExtBot[None], dict[Any, Any], ChatData, BotData]):
    """The callback context with the pseudonymous session and language, resolved once per update."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.session: str = ""
        self.language: Language = Language.EN


TelegramApplication: TypeAlias = Application[
    ExtBot[None], WegwijzerContext, dict[Any, Any], ChatData, BotData, Any
]


def telegram_language(code: str | None) -> Language:
    """The user's Telegram app language: nl, nl-BE -> nl; fr, fr-BE -> fr; de -> de; anything else en."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    return Language(base) if base in {"nl", "fr", "de"} else Language.EN
