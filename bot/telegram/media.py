"""Updates the bot cannot read: photos, stickers, voice, video, files, places, contacts, edits."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import WegwijzerContext
from bot.telegram.keyboards import with_menu
from bot.telegram.replies import show
from protocol.messages import Template


async def unsupported(update: Update, context: WegwijzerContext) -> None:
    """Photos, stickers, voice, video, files, places, contacts, edits: stores nothing; asks for text."""
    rendered = context.bot_data.service.own(Template.UNSUPPORTED_MEDIA, context.language)
    await show(update, context, [with_menu(rendered, context.language)])
