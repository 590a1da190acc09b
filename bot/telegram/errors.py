"""When a step fails: logged without the update, and the user gets an apology in their language."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.i18n import N_, _, use_language
from bot.telegram.context import WegwijzerContext, log, telegram_language
from bot.telegram.replies import language_for, session_of

# Never send someone in danger back to the bot that just failed (shared/reviews/language-2026-11.md).
SORRY = N_("Sorry, something went wrong on my side. Please try again. Is someone in danger? Call 112 now.")


async def error(update: object, context: WegwijzerContext) -> None:
    """Logs the error first (never the update: it holds the raw id and text), then apologises."""
    log.error("Telegram update failed", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE or update.effective_user is None:
        return
    user = update.effective_user
    try:
        language = language_for(context.bot_data, session_of(context.bot_data, user.id), user.language_code)
    except Exception:  # the store itself may be what failed
        language = telegram_language(user.language_code)
    with use_language(language):
        apology = _(SORRY)
    try:
        await context.bot.send_message(update.effective_chat.id, apology)
    except TelegramError as failure:
        log.warning("could not tell the user about the error: %s", type(failure).__name__)
