"""What the steps share: who the user is, which language, and sending the answer."""

from __future__ import annotations

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatAction, ParseMode

from bot.chat import ChatReply
from bot.sessions import pseudonym
from bot.telegram.context import BotData, WegwijzerContext, telegram_language
from bot.telegram.format import Outgoing, to_messages
from bot.telegram.keyboards import keyboard
from bot.templates import Rendered
from referral_map.taxonomy import Language


def session_of(bot_data: BotData, user_id: int) -> str:
    """The pseudonymous session of a Telegram user: a keyed hash of the id, never the id itself."""
    return pseudonym(bot_data.secret, "telegram", str(user_id))


def language_for(bot_data: BotData, session: str, code: str | None) -> Language:
    """The Telegram app language for a new session; afterwards what the chat core keeps."""
    if bot_data.service.store.get_locale(session) is None:
        return telegram_language(code)
    return bot_data.service.language_of(session, None)[0]


async def send(update: Update, context: WegwijzerContext, messages: list[Outgoing]) -> None:
    """The messages, in HTML, each with its buttons, link previews off."""
    chat = update.effective_chat
    if chat is None:
        return
    for message in messages:
        await context.bot.send_message(
            chat.id,
            message.html,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(message.buttons, context.chat_data),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )


async def show(update: Update, context: WegwijzerContext, rendered: list[Rendered]) -> None:
    """Rendered messages as the Telegram messages that show them."""
    await send(update, context, [m for r in rendered for m in to_messages(r)])


async def converse(
    update: Update, context: WegwijzerContext, text: str | None = None, payload: str | None = None
) -> ChatReply:
    """Send a text or a button payload through the chat core and show its answer."""
    if update.effective_chat:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    reply = await context.bot_data.service.handle(
        context.session, text=text, payload=payload, locale=context.language
    )
    context.language = reply.locale
    await show(update, context, reply.messages)
    return reply
