"""Photos, stickers, voice, files and edits."""

from __future__ import annotations

from bot.settings import Settings
from bot.telegram.format import visible
from referral_map.taxonomy import Language
from tests.auxil import updates
from tests.bot.telegram.conftest import (
    MEDIA,
    Harness,
    play,
    rendered,
    sent,
    shown,
    title,
)


def test_media_and_edits_get_unsupported_media_and_the_concern_menu(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("fr-BE")
        expected = rendered(harness.service, "unsupported_media", Language.FR)
        menu = title("concern_radicalisation", Language.FR)
        for factory in MEDIA:
            answer = sent(await person.send(factory))
            assert [visible(c.text) for c in answer] == [expected], factory.__name__
            assert menu in [b["text"] for b in answer[0].buttons]
        answer = sent(await person.harness.deliver(updates.edited(person.chat, person.user, "autre chose")))
        assert [visible(c.text) for c in answer] == [expected]
        still = await person.command("help")
        assert shown(still) == [rendered(harness.service, "help", Language.FR)]

    play(settings, scenario)
