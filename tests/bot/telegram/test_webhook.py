"""Webhook mode: updates fed from the Starlette route."""

from __future__ import annotations

from bot.settings import Settings
from bot.telegram import (
    WEBHOOK_PATH,
)
from referral_map.taxonomy import Language
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
