"""Buttons under a message: the callback data each carries, and the concern menu.

A button's callback_data is at most 64 bytes. The payload travels in it ("=" + payload) when it fits;
a longer one is kept in the chat's memory and the button carries a short key ("#" + a number).
The language buttons of /language carry "lang:" + the language code and never reach Rasa, nor does
the "this information is wrong" button under a card: "wrong:" + the service id (and "/" + the office's).
"""

from __future__ import annotations

from functools import cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import N_, _, use_language
from bot.telegram.context import ChatData
from bot.templates import Button, Rendered, titled
from protocol.messages import concern_buttons
from referral_map.taxonomy import Language

CALLBACK_LIMIT = 64  # bytes of callback_data Telegram accepts
REMEMBERED_PAYLOADS = 200  # per chat, for button payloads too long to travel in callback_data
LANGUAGE_PREFIX = "lang:"
MISTAKE_PREFIX = "wrong:"
DIRECT_PREFIX = "="  # "=" + the payload itself
KEY_PREFIX = "#"  # "#" + a short key into ChatData.payloads
# The key that stays under the text field: pressed, it sends its label, answered with the emergency numbers.
EMERGENCY_KEY = N_("Danger now? 112")


def remember(chat_data: ChatData, payload: str) -> str:
    """A short callback key for a payload too long for Telegram's 64 bytes."""
    for key, known in chat_data.payloads.items():
        if known == payload:
            return key
    key = f"{KEY_PREFIX}{chat_data.next_key:x}"
    chat_data.next_key += 1
    chat_data.payloads[key] = payload
    while len(chat_data.payloads) > REMEMBERED_PAYLOADS:
        del chat_data.payloads[next(iter(chat_data.payloads))]
    return key


def callback_data(button: Button, chat_data: ChatData | None) -> str:
    """What a button sends back when pressed: a language choice, its payload, or a key to its payload."""
    if button.payload.startswith((LANGUAGE_PREFIX, MISTAKE_PREFIX)):
        return button.payload
    data = DIRECT_PREFIX + button.payload
    if len(data.encode()) > CALLBACK_LIMIT:
        data = remember(chat_data or ChatData(), button.payload)
    return data


def mistake_button(title: str, service_id: str, location_id: str | None) -> Button:
    """The button under a card that reports a mistake in it; the office is left out if it does not fit."""
    data = f"{MISTAKE_PREFIX}{service_id}"
    if location_id and len(f"{data}/{location_id}".encode()) <= CALLBACK_LIMIT:
        data += f"/{location_id}"
    return Button(title, data[:CALLBACK_LIMIT])


def mistake_of(data: str) -> tuple[str, str | None]:
    """The service and office a pressed "this information is wrong" button names."""
    service_id, _, location_id = data.removeprefix(MISTAKE_PREFIX).partition("/")
    return service_id, location_id or None


def payload_of(data: str, chat_data: ChatData | None) -> str | None:
    """The payload a pressed button stands for; None when it is no longer remembered (an old message)."""
    if data.startswith(DIRECT_PREFIX):
        return data.removeprefix(DIRECT_PREFIX)
    return chat_data.payloads.get(data) if chat_data is not None else None


def keyboard(buttons: list[Button], chat_data: ChatData | None) -> InlineKeyboardMarkup | None:
    """One button per row; None when there are no buttons."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.title, callback_data=callback_data(button, chat_data))]
            for button in buttons
        ]
    )


def concern_menu(language: Language) -> list[Button]:
    """One button per concern, in the given language; a press sends the payload that describes it."""
    with use_language(language):
        return titled(concern_buttons())


def with_menu(rendered: Rendered, language: Language) -> Rendered:
    """The message with the concern menu as its buttons."""
    rendered.buttons = concern_menu(language)
    return rendered


def emergency_keyboard(language: Language) -> ReplyKeyboardMarkup:
    """One key, always shown under the text field, in the user's language."""
    with use_language(language):
        label = _(EMERGENCY_KEY)
    return ReplyKeyboardMarkup([[KeyboardButton(label)]], resize_keyboard=True, is_persistent=True)


@cache
def _emergency_labels() -> frozenset[str]:
    labels = set()
    for language in Language:
        with use_language(language):
            labels.add(_(EMERGENCY_KEY))
    return frozenset(labels)


def is_emergency_key(text: str) -> bool:
    """Whether a message is the emergency key's label, in any of the four languages."""
    return text.strip() in _emergency_labels()
