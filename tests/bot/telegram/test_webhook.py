"""Webhook mode: updates fed from the Starlette route."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from bot.telegram import (
    WEBHOOK_PATH,
)
from referral_map.taxonomy import Language
from tests.auxil import updates
from tests.bot.telegram.conftest import (
    Harness,
    play,
    rendered,
    shown,
)


def test_webhook_mode_feeds_updates_from_the_starlette_route(settings: Settings) -> None:
    webhook_settings = settings.model_copy(
        update={"webhook_url": "https://wegwijzer.example", "retention_days": 7}
    )

    async def scenario(harness: Harness) -> None:
        assert harness.application.updater is None
        registered = [c for c in harness.api.calls if c.method == "setWebhook"]
        assert registered and registered[0].params["url"] == "https://wegwijzer.example/telegram/webhook"
        assert registered[0].params["secret_token"] == harness.application.bot_data.webhook_secret
        person = harness.person("de")
        answer = await person.command("privacy")
        assert shown(answer) == [rendered(harness.service, "privacy", Language.DE, {"days": 7})]
        assert " 7 " in shown(answer)[0]  # the configured retention, not the default 30
        assert harness.webhook is not None
        refused = await harness.webhook.post(WEBHOOK_PATH, json={"update_id": 99}, headers={})
        assert refused.status_code == 403

    play(webhook_settings, scenario)


def test_an_update_telegram_sends_twice_gets_one_reply(settings: Settings) -> None:
    webhook_settings = settings.model_copy(update={"webhook_url": "https://wegwijzer.example"})

    async def scenario(harness: Harness) -> None:
        person = harness.person("nl")
        first = await person.command("privacy")
        assert len(shown(first)) == 1
        assert harness.webhook is not None
        repeated = harness.next_update_id - 1  # the update just handled, sent again as after a timeout
        update = {**updates.command(person.chat, person.user, "privacy"), "update_id": repeated}
        before = len(harness.api.calls)
        secret = harness.application.bot_data.webhook_secret
        response = await harness.webhook.post(
            WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
        )
        assert response.status_code == 200
        harness.delivered += 1
        while harness.processor.processed < harness.delivered:
            await asyncio.sleep(0.01)
        assert [c for c in harness.api.calls[before:] if c.method == "sendMessage"] == []

    play(webhook_settings, scenario)
