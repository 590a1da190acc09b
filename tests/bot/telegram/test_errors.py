"""An error is logged, the user is told, the bot goes on."""

from __future__ import annotations

import logging

import pytest

from bot.i18n import _, use_language
from bot.settings import Settings
from bot.telegram import (
    SORRY,
)
from referral_map.taxonomy import Language
from tests.bot.telegram.conftest import (
    Harness,
    play,
    rendered,
    sent,
    shown,
)


def test_an_error_is_logged_then_the_user_is_told_and_the_bot_keeps_answering(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("nl")
        harness.api.fail_next("sendMessage", 500)
        answer = await person.command("help")
        attempts = sent(answer)
        assert len(attempts) == 2  # the help that failed, then the apology
        with use_language(Language.NL):
            apology = _(SORRY)
        assert attempts[1].text == apology
        later = await person.command("help")
        assert shown(later) == [rendered(harness.service, "help", Language.NL)]

    with caplog.at_level(logging.ERROR, logger="bot.telegram"):
        play(settings, scenario)
    errors = [r for r in caplog.records if r.name == "bot.telegram" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
    assert str(errors[0].getMessage()).isascii()
