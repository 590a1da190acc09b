"""Rendered messages as Telegram HTML: escaped text, referral cards, a copyable summary, 4096-character pieces."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import phonenumbers

from bot.cards import Card, ReferralView
from bot.telegram.keyboards import mistake_button
from bot.templates import Button, Rendered
from protocol.messages import Template

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


def _phone_line(card: Card) -> str:
    """ "Phone: <b>078 15 00 10</b> (+32 78 15 00 10)": the number bold, the full form for tapping abroad."""
    phone, line = card.phone or "", card.phone_text or ""
    before, _found, after = line.partition(phone)
    number = f"<b>{escape(phone)}</b>"
    full = international(card.tel)
    if full and full != phone:
        number += f" ({escape(full)})"
    return escape(before) + number + escape(after)


def card_html(card: Card) -> str:
    """A service card: the name in bold, the number and link tappable, the date it was last checked in italics."""
    lines = [f"<b>{escape(card.name)}</b>", escape(card.description)]
    if card.office:
        lines.append(escape(card.office))
    if card.phone_text:
        lines.append(_phone_line(card))
    if card.url:
        lines.append(_link(card.url))
    lines += [escape(card.opening), escape(card.confidentiality)]
    if card.cost:
        lines.append(escape(card.cost))
    lines += [escape(card.reason), f"<i>{escape(card.checked)}</i>" if card.checked else ""]
    return "\n".join(line for line in lines if line)


def summary_html(view: ReferralView) -> str:
    """The closing sentence with the situation summary in a code block, so it can be copied in one tap."""
    before, found, after = view.closing.partition(view.summary) if view.summary else (view.closing, "", "")
    if not found:
        return escape(view.closing)
    return f"{escape(before.rstrip())}\n<pre>{escape(view.summary)}</pre>{escape(after)}"


def referral_messages(view: ReferralView, buttons: list[Button]) -> list[Outgoing]:
    """The introduction, one message per service, then the summary; the buttons go under the last one."""
    intro = escape(view.intro)
    if view.template is Template.EMERGENCY_REFERRAL:
        intro = f"<b>{intro}</b>"
    messages = [Outgoing(intro)]
    for card in view.cards:
        report = [mistake_button(card.report_label, card.id, card.location_id)] if card.report_label else []
        messages.append(Outgoing(card_html(card), report))
    messages.append(Outgoing(summary_html(view), buttons))
    return messages


def to_messages(rendered: Rendered) -> list[Outgoing]:
    """One rendered message as the Telegram messages that show it, each within Telegram's limit."""
    if rendered.referral:
        messages = referral_messages(rendered.referral, rendered.buttons)
        if all(utf16_len(visible(m.html)) <= MESSAGE_LIMIT for m in messages):
            return messages
    return plain_messages(rendered.text, rendered.buttons)
