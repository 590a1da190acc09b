"""The Telegram channel (python-telegram-bot 22): commands, free text, buttons and referrals, private chats only.

Polling by default; webhook mode when `Settings.webhook_url` is set, with the web server kept apart:
the application is built with `.updater(None)` and `webhook_route` feeds its update queue from a
Starlette route that `bot.http_api` mounts. Users are known only by a keyed hash of their Telegram id.

```mermaid
flowchart LR
    any[any update] -->|group -1| resolve{private chat?}
    resolve -->|no| notice[private_only, once per chat]
    resolve -->|yes| step[command, text, button or media step]
    step --> core[ChatService.handle] --> send[messages, cards, summary]
```
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.chat import DEGRADED_CONCERNS, ChatReply, ChatService
from bot.i18n import N_, _, current_language, language_name
from bot.sessions import pseudonym
from bot.settings import Settings
from bot.telegram_format import Outgoing, plain_messages, to_messages
from bot.templates import Button, Rendered, button_title
from referral_map.taxonomy import Language

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
MAX_WEBHOOK_BODY = 1024 * 1024
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram accepts
REMEMBERED_PAYLOADS = 200  # per chat, for button payloads too long to travel in callback_data
LANGUAGE_PREFIX = "lang:"
DIRECT_PREFIX = "="  # "=" + the payload itself
KEY_PREFIX = "#"  # "#" + a short key into ChatData.payloads
COMMANDS = {
    "start": N_("Start a conversation"),
    "help": N_("How this assistant works"),
    "language": N_("Change the language"),
    "privacy": N_("What happens with my messages"),
    "forget": N_("Delete everything kept about this conversation"),
    "restart": N_("Start again"),
    "emergency": N_("Emergency numbers"),
}
SORRY = N_(
    "Sorry, something went wrong on my side. Please try again, or type /emergency if someone is in danger."
)


@dataclass
class ChatData:
    """What the bot keeps per chat, in memory only: long button payloads and whether a group was told once."""

    payloads: dict[str, str] = field(default_factory=dict)
    next_key: int = 0
    private_only_sent: bool = False

    def remember(self, payload: str) -> str:
        """A short callback key for a payload too long for Telegram's 64 bytes."""
        for key, known in self.payloads.items():
            if known == payload:
                return key
        key = f"{KEY_PREFIX}{self.next_key:x}"
        self.next_key += 1
        self.payloads[key] = payload
        while len(self.payloads) > REMEMBERED_PAYLOADS:
            del self.payloads[next(iter(self.payloads))]
        return key


@dataclass
class BotData:
    """Shared by every chat: the token Telegram sends with each webhook call."""

    webhook_secret: str = ""


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


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates of different chats run side by side; those of one chat run one after the other, in order."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: Counter[int] = Counter()
        self.processed = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        try:
            if chat is None:
                await coroutine
                return
            lock = self._locks.setdefault(chat.id, asyncio.Lock())
            self._users[chat.id] += 1
            try:
                async with lock:
                    await coroutine
            finally:
                self._users[chat.id] -= 1
                if not self._users[chat.id]:
                    del self._users[chat.id]
                    del self._locks[chat.id]
        finally:
            self.processed += 1

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def telegram_language(code: str | None) -> Language:
    """The user's Telegram app language: nl, nl-BE -> nl; fr, fr-BE -> fr; de -> de; anything else en."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    return Language(base) if base in {"nl", "fr", "de"} else Language.EN


def webhook_secret(settings: Settings) -> str:
    """The secret token Telegram sends with every webhook call, derived from the deployment's key."""
    return hmac.new(settings.secret(), b"telegram-webhook", hashlib.sha256).hexdigest()


def webhook_target(settings: Settings) -> str | None:
    """The public URL Telegram posts to: WEBHOOK_URL, with /telegram/webhook added unless it is there."""
    if not settings.webhook_url:
        return None
    url = settings.webhook_url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


def concern_menu() -> list[Button]:
    """One button per concern, in the current language; a press is a Rasa payload."""
    return [
        Button(button_title(f"concern_{concern.value}"), f"/describe_{concern.value}")
        for concern in DEGRADED_CONCERNS
    ]


class TelegramChannel:
    """The steps of the Telegram conversation; each turns one update into ChatService calls and messages."""

    def __init__(self, service: ChatService, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self.secret = settings.secret()

    # --- helpers -----------------------------------------------------------------------------------

    def session_of(self, user_id: int) -> str:
        return pseudonym(self.secret, "telegram", str(user_id))

    def language_for(self, session: str, code: str | None) -> Language:
        """The Telegram app language for a new session; afterwards what the chat core keeps."""
        if self.service.store.get_locale(session) is None:
            return telegram_language(code)
        return self.service.language_of(session, None)[0]

    def own(self, template: str, language: Language, args: dict[str, Any] | None = None) -> Rendered:
        """One of the bot's own templates, rendered in the given language."""
        token = current_language.set(language)
        try:
            return self.service.renderer.render({"template": template, "args": args or {}})
        finally:
            current_language.reset(token)

    def with_menu(self, rendered: Rendered, language: Language) -> Rendered:
        token = current_language.set(language)
        try:
            rendered.buttons = concern_menu()
        finally:
            current_language.reset(token)
        return rendered

    def sentence(self, message: str, language: Language) -> str:
        token = current_language.set(language)
        try:
            return _(message)
        finally:
            current_language.reset(token)

    def keyboard(self, buttons: list[Button], chat_data: ChatData | None) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        rows = []
        for button in buttons:
            if button.payload.startswith(LANGUAGE_PREFIX):
                data = button.payload
            else:
                data = DIRECT_PREFIX + button.payload
                if len(data.encode()) > CALLBACK_LIMIT:
                    data = (chat_data or ChatData()).remember(button.payload)
            rows.append([InlineKeyboardButton(button.title, callback_data=data)])
        return InlineKeyboardMarkup(rows)

    async def send(self, update: Update, context: WegwijzerContext, messages: list[Outgoing]) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        for message in messages:
            await context.bot.send_message(
                chat.id,
                message.html,
                parse_mode=ParseMode.HTML,
                reply_markup=self.keyboard(message.buttons, context.chat_data),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )

    async def show(self, update: Update, context: WegwijzerContext, rendered: list[Rendered]) -> None:
        await self.send(update, context, [m for r in rendered for m in to_messages(r)])

    async def converse(
        self, update: Update, context: WegwijzerContext, text: str | None = None, payload: str | None = None
    ) -> ChatReply:
        """Send a text or a button payload through the chat core and show its answer."""
        if update.effective_chat:
            await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
        reply = await self.service.handle(
            context.session, text=text, payload=payload, locale=context.language
        )
        context.language = reply.locale
        await self.show(update, context, reply.messages)
        return reply

    # --- steps ---------------------------------------------------------------------------------------

    async def resolve(self, update: Update, context: WegwijzerContext) -> None:
        """Before every step (group -1): private chats only; stores the session and language on the context.

        In a group or channel it answers "private_only" once per chat and stops the update.
        """
        chat = update.effective_chat
        if chat is not None and chat.type != ChatType.PRIVATE:
            message = update.effective_message
            if (
                message is not None
                and context.chat_data is not None
                and not context.chat_data.private_only_sent
            ):
                context.chat_data.private_only_sent = True
                user = update.effective_user
                language = telegram_language(user.language_code if user else None)
                await self.send(update, context, plain_messages(self.own("private_only", language).text, []))
            raise ApplicationHandlerStop
        user = update.effective_user
        if user is None or user.is_bot:
            raise ApplicationHandlerStop
        context.session = self.session_of(user.id)
        context.language = self.language_for(context.session, user.language_code)

    async def start(self, update: Update, context: WegwijzerContext) -> None:
        """/start: stores nothing; welcomes the user and asks what is going on, with the concern menu."""
        await self.show(
            update, context, [self.with_menu(self.own("welcome", context.language), context.language)]
        )

    async def help(self, update: Update, context: WegwijzerContext) -> None:
        """/help (and unknown commands): stores nothing; explains the assistant and its commands."""
        await self.show(update, context, [self.own("help", context.language)])

    async def language(self, update: Update, context: WegwijzerContext) -> None:
        """/language: stores nothing; asks which language, with one button per language."""
        rendered = self.own("ask_language", context.language)
        rendered.buttons = [Button(language_name(lang), LANGUAGE_PREFIX + lang.value) for lang in Language]
        await self.show(update, context, [rendered])

    async def language_chosen(self, update: Update, context: WegwijzerContext) -> None:
        """A language button: stores the chosen language for the session; confirms it in that language."""
        query = update.callback_query
        if query is None or not query.data:
            return
        await query.answer()
        wanted = query.data.removeprefix(LANGUAGE_PREFIX)
        if wanted not in Language.__members__.values():
            await self.show(
                update, context, [self.with_menu(self.own("ask_concern", context.language), context.language)]
            )
            return
        await query.edit_message_reply_markup(reply_markup=None)
        context.language = Language(wanted)
        self.service.set_language(context.session, context.language)
        changed = self.own("language_changed", context.language, {"language": context.language.value})
        await self.show(update, context, [changed])

    async def privacy(self, update: Update, context: WegwijzerContext) -> None:
        """/privacy: stores nothing; says what is kept, for how long, and how to delete it."""
        rendered = self.own("privacy", context.language, {"days": self.settings.retention_days})
        await self.show(update, context, [rendered])

    async def forget(self, update: Update, context: WegwijzerContext) -> None:
        """/forget: deletes the session in the chat core and Rasa and the chat's button memory; confirms."""
        await self.service.forget(context.session)
        if context.chat_data is not None:
            context.chat_data.payloads.clear()
        await self.show(update, context, [self.own("forgotten", context.language)])

    async def restart(self, update: Update, context: WegwijzerContext) -> None:
        """/restart: sends /start_over so Rasa forgets the form; asks again what is going on."""
        await self.converse(update, context, payload="/start_over")

    async def emergency(self, update: Update, context: WegwijzerContext) -> None:
        """/emergency: sends /emergency; the answer gives 112 and 101 first."""
        await self.converse(update, context, payload="/emergency")

    async def text(self, update: Update, context: WegwijzerContext) -> None:
        """Free text: sent to the chat core as the user wrote it; shows whatever it asks or refers next."""
        message = update.message
        if message is not None and message.text is not None:
            await self.converse(update, context, text=message.text)

    async def button(self, update: Update, context: WegwijzerContext) -> None:
        """A button under a bot message: removes the buttons, sends the payload; shows what comes next.

        A button whose payload is no longer remembered (an old message) gets the concern menu.
        """
        query = update.callback_query
        if query is None or not query.data:
            return
        data = query.data
        if data.startswith(DIRECT_PREFIX):
            payload: str | None = data.removeprefix(DIRECT_PREFIX)
        else:
            payload = context.chat_data.payloads.get(data) if context.chat_data is not None else None
        await query.answer()
        if not payload or not payload.startswith("/"):
            await self.show(
                update, context, [self.with_menu(self.own("ask_concern", context.language), context.language)]
            )
            return
        if query.message is not None:
            await query.edit_message_reply_markup(reply_markup=None)
        await self.converse(update, context, payload=payload)

    async def unsupported(self, update: Update, context: WegwijzerContext) -> None:
        """Photos, stickers, voice, video, files, places, contacts, edits: stores nothing; asks for text."""
        rendered = self.with_menu(self.own("unsupported_media", context.language), context.language)
        await self.show(update, context, [rendered])

    async def error(self, update: object, context: WegwijzerContext) -> None:
        """Logs the error first (never the update: it holds the raw id and text), then apologises."""
        log.error("Telegram update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        if update.effective_chat.type != ChatType.PRIVATE or update.effective_user is None:
            return
        user = update.effective_user
        try:
            language = self.language_for(self.session_of(user.id), user.language_code)
        except Exception:  # the store itself may be what failed
            language = telegram_language(user.language_code)
        try:
            await context.bot.send_message(update.effective_chat.id, self.sentence(SORRY, language))
        except TelegramError as error:
            log.warning("could not tell the user about the error: %s", type(error).__name__)

    # --- wiring --------------------------------------------------------------------------------------

    def add_handlers(self, application: TelegramApplication) -> None:
        """Every handler, in one place."""
        private = filters.ChatType.PRIVATE
        application.add_handler(TypeHandler(Update, self.resolve), group=-1)
        application.add_handlers(
            [
                CommandHandler("start", self.start, filters=private),
                CommandHandler("help", self.help, filters=private),
                CommandHandler("language", self.language, filters=private),
                CommandHandler("privacy", self.privacy, filters=private),
                CommandHandler("forget", self.forget, filters=private),
                CommandHandler("restart", self.restart, filters=private),
                CommandHandler("emergency", self.emergency, filters=private),
                CallbackQueryHandler(self.language_chosen, pattern=f"^{LANGUAGE_PREFIX}"),
                CallbackQueryHandler(self.button),
                MessageHandler(filters.UpdateType.EDITED, self.unsupported),
                MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, self.help),
                MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, self.text),
                MessageHandler(filters.UpdateType.MESSAGE, self.unsupported),
            ]
        )
        application.add_error_handler(self.error)


def build_application(
    service: ChatService, settings: Settings, base_url: str | None = None
) -> TelegramApplication:
    """The Telegram application: polling by default, no updater when a webhook URL is configured."""
    if not settings.telegram_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .context_types(ContextTypes(context=WegwijzerContext, chat_data=ChatData, bot_data=BotData))
        .concurrent_updates(ChatOrderedProcessor())
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.removesuffix("/bot") + "/file/bot")
    if settings.webhook_url:
        builder = builder.updater(None)
    application: TelegramApplication = builder.build()
    application.bot_data.webhook_secret = webhook_secret(settings)
    TelegramChannel(service, settings).add_handlers(application)
    return application


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


async def set_commands(application: TelegramApplication) -> None:
    """The command menu in each language (English as the default)."""
    for language in Language:
        token = current_language.set(language)
        try:
            commands = [BotCommand(name, _(description)) for name, description in COMMANDS.items()]
        finally:
            current_language.reset(token)
        code = None if language is Language.EN else language.value
        await application.bot.set_my_commands(commands, language_code=code)


@asynccontextmanager
async def running(application: TelegramApplication, settings: Settings) -> AsyncIterator[TelegramApplication]:
    """Start the application (polling, or registering the webhook) for the time of the block, then stop it.

    Use it beside the HTTP server, e.g. in its lifespan: `async with running(app, settings): ...`.
    """
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger("httpx").level))
    await application.initialize()
    try:
        try:
            await set_commands(application)
        except TelegramError as error:
            log.warning("could not set the command menu: %s", type(error).__name__)
        target = webhook_target(settings)
        if target:
            await application.bot.set_webhook(
                target,
                secret_token=application.bot_data.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        await application.start()
        if application.updater is not None:
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        try:
            yield application
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()


async def serve_polling(service: ChatService, settings: Settings) -> None:
    """Run the Telegram bot alone, polling, until cancelled (the HTTP API runs it beside uvicorn instead)."""
    application = build_application(service, settings)
    async with running(application, settings):
        await asyncio.Event().wait()
