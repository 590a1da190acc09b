"""Rendered messages as Telegram HTML: escaped text, referral cards, a copyable summary, 4096-character pieces."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

from bot.templates import Button, Rendered

# Telegram's limit for one message, counted in UTF-16 code units after the HTML is parsed.
MESSAGE_LIMIT = 4096
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message: HTML text and the buttons under it."""

    html: str
    buttons: list[Button] = field(default_factory=list)


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible(html_text: str) -> str:
    """What the user sees of an HTML message: tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut plain text into pieces Telegram accepts, at a paragraph, line or word break where possible."""
    pieces: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        window = rest[:limit]
        while utf16_len(window) > limit:
            window = window[:-1]
        cut = len(window)
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > len(window) // 2:
                cut = at
                break
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def plain_messages(text: str, buttons: list[Button]) -> list[Outgoing]:
    """Escaped pieces of a plain text; the buttons go under the last piece."""
    pieces = split_text(text) or ["…"]
    return [
        Outgoing(escape(piece), buttons if number == len(pieces) - 1 else [])
        for number, piece in enumerate(pieces)
    ]


def international(tel: str | None) -> str | None:
    """ "+32 78 15 00 10" for a full number (Telegram makes it tappable); None for short numbers like 112."""
    dial = (tel or "").removeprefix("tel:")
    if not dial.startswith("+"):
        return None
    try:
        number = phonenumbers.parse(dial, None)
    except phonenumbers.NumberParseException:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def _link(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url, quote=True)}">{escape(url)}</a>'
    return escape(url)


def _phone_line(line: str, phone: str, tel: str | None) -> str:
    before, _found, after = line.partition(phone)
    number = f"<b>{escape(phone)}</b>"
    full = international(tel)
    if full and full != phone:
        number += f" ({escape(full)})"
    return escape(before) + number + escape(after)


def card_html(card: dict[str, Any]) -> str:
    """A service card: the name in bold, the number and link tappable, the date it was last checked in italics."""
    lines = str(card.get("text", "")).split("\n")
    name = str(card.get("name") or lines[0])
    url, phone = card.get("url"), card.get("phone")
    out = [f"<b>{escape(name)}</b>"]
    rest = lines[1:]
    for number, line in enumerate(rest):
        if not line.strip():
            continue
        if url and line == url:
            out.append(_link(url))
        elif phone and phone in line:
            out.append(_phone_line(line, str(phone), card.get("tel")))
        elif number == len(rest) - 1:
            out.append(f"<i>{escape(line)}</i>")
        else:
            out.append(escape(line))
    return "\n".join(out)


def summary_html(closing: str, summary: str) -> str:
    """The closing sentence with the situation summary in a code block, so it can be copied in one tap."""
    before, found, after = closing.partition(summary) if summary else (closing, "", "")
    if not found:
        return escape(closing)
    return f"{escape(before.rstrip())}\n<pre>{escape(summary)}</pre>{escape(after)}"


def referral_messages(rendered: Rendered, referral: dict[str, Any]) -> list[Outgoing]:
    """The introduction, one message per service, then the summary; the buttons go under the last one."""
    paragraphs = rendered.text.split("\n\n")
    intro = escape(paragraphs[0])
    if rendered.template == "emergency_referral":
        intro = f"<b>{intro}</b>"
    messages = [Outgoing(intro)]
    messages += [Outgoing(card_html(card)) for card in referral.get("services", [])]
    if len(paragraphs) > 1:
        messages.append(Outgoing(summary_html(paragraphs[-1], str(referral.get("summary") or ""))))
    last = messages.pop()
    messages.append(Outgoing(last.html, rendered.buttons))
    return messages


def to_messages(rendered: Rendered) -> list[Outgoing]:
    """One rendered message as the Telegram messages that show it, each within Telegram's limit."""
    if rendered.referral:
        messages = referral_messages(rendered, rendered.referral)
        if all(utf16_len(visible(m.html)) <= MESSAGE_LIMIT for m in messages):
            return messages
    return plain_messages(rendered.text, rendered.buttons)
