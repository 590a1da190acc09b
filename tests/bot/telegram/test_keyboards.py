"""Inline keyboards: long payloads travel as short keys."""

from __future__ import annotations

from bot.telegram import (
    ChatData,
)
from bot.telegram.keyboards import remember


def test_long_button_payloads_get_a_short_key_per_chat() -> None:
    chat = ChatData()
    payload = '/inform_place{"municipality":"Sint-Jans-Molenbeek","query":"molenbeek saint jean"}'
    key = remember(chat, payload)
    assert len(key.encode()) <= 64
    assert remember(chat, payload) == key
    assert chat.payloads[key] == payload
