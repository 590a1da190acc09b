"""Rendering helpers shared by the template, card and renderer tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.i18n import use_language
from bot.render import Renderer
from bot.templates import Rendered
from protocol.messages import REFERRAL_TEMPLATES, Template
from referral_map.hours import BRUSSELS
from referral_map.routing import default_directory
from referral_map.taxonomy import Language

TUESDAY_MORNING = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BRUSSELS)


SUNDAY_NIGHT = dt.datetime(2026, 11, 22, 23, 0, tzinfo=BRUSSELS)


SENTENCE_TEMPLATES = [template for template in Template if template not in REFERRAL_TEMPLATES]


def render(payload: dict[str, Any], language: Language, now: dt.datetime = TUESDAY_MORNING) -> Rendered:
    with use_language(language):
        return Renderer(default_directory(), now=lambda: now).render(payload)


def referral(
    service_ids: list[str], language: str, concern: str = "radicalisation", municipality: str = "62063"
) -> dict[str, Any]:
    return {
        "template": "referral",
        "referral": {
            "situation": {"role": "parent", "concern": concern, "urgency": "routine", "municipality": municipality,
                          "language": language},
            "services": [{"id": sid, "location_id": None, "reason": "worry_french"} for sid in service_ids],
        },
    }  # fmt: skip


def card_of(rendered: Rendered) -> dict[str, Any]:
    assert rendered.referral is not None
    return rendered.referral.cards[0].as_json()
