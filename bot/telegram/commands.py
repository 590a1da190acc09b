"""The commands: /start, /help, /language (and its buttons), /privacy, /forget, /restart, /emergency."""

from __future__ import annotations

from telegram import BotCommand, Update

from bot.cards import REPORT_RECEIVED
from bot.i18n import N_, _, language_name, use_language
from bot.telegram.context import TelegramApplication, WegwijzerContext
from bot.telegram.keyboards import LANGUAGE_PREFIX, emergency_keyboard, mistake_of, with_menu
from bot.telegram.replies import converse, show
from bot.templates import Button
from protocol import payloads
from protocol.messages import Template
from referral_map.mistakes import ReportRefusedError
from referral_map.taxonomy import Language

COMMANDS = {
    "start": N_("Start a conversation"),
    "help": N_("How this assistant works"),
    "language": N_("Change the language"),
    "privacy": N_("What happens with my messages"),
    "forget": N_("Delete everything kept about this conversation"),
    "restart": N_("Start again"),
    "emergency": N_("Emergency numbers"),
}


EMERGENCY_KEY_NOTE = N_("In danger right now? The key below gives the emergency numbers at any moment.")


async def start(update: Update, context: WegwijzerContext) -> None:
    """/start: stores nothing; welcomes the user and asks what is going on, with the concern menu; then
    puts the emergency key under the text field, where it stays."""
    welcome = context.bot_data.service.own(Template.WELCOME, context.language)
    await show(update, context, [with_menu(welcome, context.language)])
    if update.effective_chat is not None:
        with use_language(context.language):
            note = _(EMERGENCY_KEY_NOTE)
        await context.bot.send_message(
            update.effective_chat.id, note, reply_markup=emergency_keyboard(context.language)
        )


async def help(update: Update, context: WegwijzerContext) -> None:
    """/help (and unknown commands): stores nothing; explains the assistant and its commands."""
    await show(update, context, [context.bot_data.service.own(Template.HELP, context.language)])


async def language(update: Update, context: WegwijzerContext) -> None:
    """/language: stores nothing; asks which language, with one button per language."""
    rendered = context.bot_data.service.own(Template.ASK_LANGUAGE, context.language)
    rendered.buttons = [Button(language_name(lang), LANGUAGE_PREFIX + lang.value) for lang in Language]
    await show(update, context, [rendered])


async def language_chosen(update: Update, context: WegwijzerContext) -> None:
    """A language button: stores the chosen language for the session; confirms it in that language."""
    query = update.callback_query
    if query is None or not query.data:
        return
    await query.answer()
    service = context.bot_data.service
    wanted = query.data.removeprefix(LANGUAGE_PREFIX)
    if wanted not in Language.__members__.values():
        ask = service.own(Template.ASK_CONCERN, context.language)
        await show(update, context, [with_menu(ask, context.language)])
        return
    await query.edit_message_reply_markup(reply_markup=None)
    context.language = Language(wanted)
    service.set_language(context.session, context.language)
    changed = service.own(Template.LANGUAGE_CHANGED, context.language, {"language": context.language.value})
    await show(update, context, [changed])


async def mistake_reported(update: Update, context: WegwijzerContext) -> None:
    """ "This information is wrong" under a card: one tap keeps a report, without any id, and thanks."""
    query = update.callback_query
    if query is None or not query.data:
        return
    service_id, location_id = mistake_of(query.data)
    try:
        context.bot_data.reports.add(service_id, location_id, None, context.language.value)
    except ReportRefusedError:  # an old card of a service no longer on the map
        await query.answer()
        return
    with use_language(context.language):
        await query.answer(_(REPORT_RECEIVED), show_alert=True)
    await query.edit_message_reply_markup(reply_markup=None)  # one report per card


async def privacy(update: Update, context: WegwijzerContext) -> None:
    """/privacy: stores nothing; says what is kept, for how long, and how to delete it."""
    await show(update, context, [context.bot_data.service.own(Template.PRIVACY, context.language)])


async def forget(update: Update, context: WegwijzerContext) -> None:
    """/forget: deletes the session in the chat core and Rasa and the chat's button memory; confirms."""
    await context.bot_data.service.forget(context.session)
    if context.chat_data is not None:
        context.chat_data.payloads.clear()
    await show(update, context, [context.bot_data.service.own(Template.FORGOTTEN, context.language)])


async def restart(update: Update, context: WegwijzerContext) -> None:
    """/restart: asks Rasa to start over, so it forgets the form; asks again what is going on."""
    await converse(update, context, payload=payloads.START_OVER)


async def emergency(update: Update, context: WegwijzerContext) -> None:
    """/emergency: asks Rasa for the emergency referral; the answer gives 112 and 101 first."""
    await converse(update, context, payload=payloads.EMERGENCY)


async def set_commands(application: TelegramApplication) -> None:
    """The command menu in each language (English as the default)."""
    for lang in Language:
        with use_language(lang):
            commands = [BotCommand(name, _(description)) for name, description in COMMANDS.items()]
        code = None if lang is Language.EN else lang.value
        await application.bot.set_my_commands(commands, language_code=code)
