"""Before every step: private chats only; who the user is and which language, resolved once per update."""

from __future__ import annotations

import time

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.http_guard import rate_limited_message
from bot.telegram.context import WegwijzerContext, telegram_language
from bot.telegram.format import plain_messages
from bot.telegram.replies import language_for, send, session_of
from protocol.messages import Template


async def resolve(update: Update, context: WegwijzerContext) -> None:
    """Before every step (group -1): private chats only; stores the session and language on the context.

    In a group or channel it answers "private_only" once per chat and stops the update.
    """
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        message = update.effective_message
        if message is not None and context.chat_data is not None and not context.chat_data.private_only_sent:
            context.chat_data.private_only_sent = True
            user = update.effective_user
            language = telegram_language(user.language_code if user else None)
            notice = context.bot_data.service.own(Template.PRIVATE_ONLY, language)
            await send(update, context, plain_messages(notice.text, []))
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    context.session = session_of(context.bot_data, user.id)
    context.language = language_for(context.bot_data, context.session, user.language_code)
    await _hold_back_floods(update, context)


async def _hold_back_floods(update: Update, context: WegwijzerContext) -> None:
    """More updates a minute than a person writes: say once, kindly, to slow down; drop the rest."""
    flood = context.bot_data.flood
    if not flood.retry_after(context.session):
        return
    chat_data = context.chat_data
    now = time.monotonic()
    if chat_data is not None and now - chat_data.told_to_slow_down_at > flood.window:
        chat_data.told_to_slow_down_at = now
        await send(update, context, plain_messages(rate_limited_message(context.language.value), []))
    raise ApplicationHandlerStop
