"""Private chats only."""

from __future__ import annotations

from bot.settings import Settings
from referral_map.taxonomy import Language
from tests.auxil import updates
from tests.bot.telegram.conftest import (
    Harness,
    play,
    rendered,
    sent,
    shown,
    user_ids,
)


def test_a_group_gets_one_short_private_only_notice(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        group = updates.group_chat(-100_200_300)
        member = updates.user(next(user_ids), "nl")
        first = await harness.deliver(updates.command(group, member, "start"))
        assert shown(first) == [rendered(harness.service, "private_only", Language.NL)]
        again = await harness.deliver(updates.text(group, member, "mijn zoon radicaliseert"))
        assert sent(again) == []

    play(settings, scenario)
