"""The application: every handler wired in one place, and running it beside the web server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.chat import ChatService
from bot.http_guard import RateLimit
from bot.settings import Settings
from bot.telegram import commands, errors, gate, media, messages
from bot.telegram.context import BotData, ChatData, TelegramApplication, WegwijzerContext, log
from bot.telegram.keyboards import LANGUAGE_PREFIX, MISTAKE_PREFIX
from bot.telegram.processor import ChatOrderedProcessor
from bot.telegram.webhook import webhook_secret, webhook_target
from referral_map.mistakes import MistakeReports


def add_handlers(application: TelegramApplication) -> None:
    """Every handler, in one place."""
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, gate.resolve), group=-1)
    application.add_handlers(
        [
            CommandHandler("start", commands.start, filters=private),
            CommandHandler("help", commands.help, filters=private),
            CommandHandler("language", commands.language, filters=private),
            CommandHandler("privacy", commands.privacy, filters=private),
            CommandHandler("forget", commands.forget, filters=private),
            CommandHandler("restart", commands.restart, filters=private),
            CommandHandler("emergency", commands.emergency, filters=private),
            CallbackQueryHandler(commands.language_chosen, pattern=f"^{LANGUAGE_PREFIX}"),
            CallbackQueryHandler(commands.mistake_reported, pattern=f"^{MISTAKE_PREFIX}"),
            CallbackQueryHandler(messages.button),
            MessageHandler(filters.UpdateType.EDITED, media.unsupported),
            MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, commands.help),
            MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, messages.text),
            MessageHandler(filters.UpdateType.MESSAGE, media.unsupported),
        ]
    )
    application.add_error_handler(errors.error)


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
    application.bot_data.service = service
    application.bot_data.settings = settings
    application.bot_data.secret = settings.secret()
    application.bot_data.flood = RateLimit(settings.rate_per_session)
    application.bot_data.webhook_secret = webhook_secret(settings)
    application.bot_data.reports = MistakeReports(service.store.engine, service.directory)
    add_handlers(application)
    return application


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
            await commands.set_commands(application)
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
