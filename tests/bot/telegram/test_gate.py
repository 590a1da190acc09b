"""Private chats only."""

from __future__ import annotations

from bot.http_guard import rate_limited_message
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


def test_a_flood_gets_one_kind_notice_and_the_rest_is_held_back(settings: Settings) -> None:
    flooding = settings.model_copy(update={"rate_per_session": 2})

    async def scenario(harness: Harness) -> None:
        person = harness.person("de")
        assert sent(await person.command("help")) and sent(await person.command("help"))
        assert shown(await person.command("help")) == [rate_limited_message(Language.DE.value)]
        assert sent(await person.command("help")) == []  # told once, then quiet
        other = harness.person("de")
        assert sent(await other.command("help"))  # another user is not held back

    play(flooding, scenario)
