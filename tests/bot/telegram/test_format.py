"""Telegram HTML: escaping and 4096-character pieces."""

from __future__ import annotations

from bot.telegram.format import MESSAGE_LIMIT, Outgoing, to_messages, utf16_len, visible
from bot.templates import Rendered


def test_long_text_is_split_at_telegrams_limit() -> None:
    text = "\n\n".join(["Een zin die zich herhaalt. " * 40] * 12)
    pieces = to_messages(Rendered("place_not_found", text, buttons=[]))
    assert len(pieces) > 1
    assert all(utf16_len(visible(p.html)) <= MESSAGE_LIMIT for p in pieces)
    assert " ".join(visible(p.html) for p in pieces).split() == text.split()
    emoji = to_messages(Rendered("place_not_found", "😀" * 5000))
    assert all(utf16_len(visible(p.html)) <= MESSAGE_LIMIT for p in emoji)


def test_dynamic_text_is_escaped() -> None:
    (piece,) = to_messages(Rendered("place_not_found", "“<b>Gent & co</b>” <script>"))
    assert piece == Outgoing("“&lt;b&gt;Gent &amp; co&lt;/b&gt;” &lt;script&gt;")
