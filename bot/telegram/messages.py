"""What the user writes and the buttons they press, sent through the chat core."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import WegwijzerContext
from bot.telegram.keyboards import is_emergency_key, payload_of, with_menu
from bot.telegram.replies import converse, show
from protocol import payloads
from protocol.messages import Template
from protocol.payloads import parse_payload


async def text(update: Update, context: WegwijzerContext) -> None:
    """Free text: sent to the chat core as the user wrote it; shows whatever it asks or refers next."""
    message = update.message
    if message is None or message.text is None:
        return
    if is_emergency_key(message.text):  # the key under the text field: the numbers at once
        await converse(update, context, payload=payloads.EMERGENCY)
        return
    await converse(update, context, text=message.text)


async def button(update: Update, context: WegwijzerContext) -> None:
    """A button under a bot message: removes the buttons, sends the payload; shows what comes next.

    A button whose payload is no longer remembered (an old message) gets the concern menu.
    """
    query = update.callback_query
    if query is None or not query.data:
        return
    payload = payload_of(query.data, context.chat_data)
    await query.answer()
    if payload is None or parse_payload(payload) is None:
        ask = context.bot_data.service.own(Template.ASK_CONCERN, context.language)
        await show(update, context, [with_menu(ask, context.language)])
        return
    if query.message is not None:
        await query.edit_message_reply_markup(reply_markup=None)
    await converse(update, context, payload=payload)
