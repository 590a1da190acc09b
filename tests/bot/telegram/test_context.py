"""The user's Telegram app language."""

from __future__ import annotations

import pytest

from bot.telegram import (
    telegram_language,
)
from referral_map.taxonomy import Language


@pytest.mark.parametrize(
    ("code", "language"),
    [("nl", "nl"), ("nl-BE", "nl"), ("fr", "fr"), ("fr-BE", "fr"), ("de", "de"), ("es", "en"), (None, "en")],
)
def test_telegram_language_codes(code: str | None, language: str) -> None:
    assert telegram_language(code) is Language(language)
