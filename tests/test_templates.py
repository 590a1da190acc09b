"""Rendering templates and referral cards in the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.i18n import current_language
from bot.templates import Rendered, Renderer
from referral_map.hours import BRUSSELS
from referral_map.routing import default_directory
from referral_map.taxonomy import Language

TUESDAY_MORNING = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BRUSSELS)
SUNDAY_NIGHT = dt.datetime(2026, 11, 22, 23, 0, tzinfo=BRUSSELS)
TEMPLATES = [
    "ask_role", "ask_concern", "ask_municipality", "greet", "goodbye", "you_are_welcome", "what_are_you", "privacy",
    "out_of_scope", "ask_feedback", "feedback_thanks", "feedback_sorry", "fallback_menu", "clarify", "start_over",
    "degraded", "welcome", "help", "forgotten", "private_only", "unsupported_media", "empty", "ask_language",
]  # fmt: skip


def render(payload: dict[str, Any], language: Language, now: dt.datetime = TUESDAY_MORNING) -> Rendered:
    token = current_language.set(language)
    try:
        return Renderer(default_directory(), now=lambda: now).render(payload)
    finally:
        current_language.reset(token)


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
    return dict(rendered.referral["services"][0])


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_is_a_real_sentence_in_every_language(template: str) -> None:
    texts = {language: render({"template": template}, language).text for language in Language}
    assert all(len(text) > 5 for text in texts.values())
    assert len({texts[Language.NL], texts[Language.FR], texts[Language.DE]}) == 3, texts


def test_referral_card_in_french_with_phone_hours_confidentiality_and_summary() -> None:
    rendered = render(referral(["caprev"], "fr"), Language.FR)
    card = card_of(rendered)
    assert card["name"].startswith("CAPREV")
    assert card["phone"] == "0800 11 172" and card["tel"] == "tel:+3280011172"
    assert card["open_now"] is True
    assert "13:00" in card["opening"]
    assert card["confidentiality"]
    assert rendered.referral is not None and "Liège" in rendered.referral["summary"]
    assert "0800 11 172" in rendered.text


def test_closed_service_says_when_it_opens() -> None:
    card = card_of(render(referral(["caprev"], "fr"), Language.FR, now=SUNDAY_NIGHT))
    assert card["open_now"] is False
    assert "09:00" in card["opening"]


def test_old_information_is_flagged() -> None:
    card = card_of(render(referral(["wegweiser-ostbelgien"], "de", municipality="63023"), Language.DE))
    assert card["last_verified"] == "2017-01-01"
    assert "2017" in card["text"]


def test_buttons_get_titles_in_the_language() -> None:
    payload = {
        "template": "ask_role",
        "asks": "role",
        "buttons": [{"template": "role_parent", "payload": "/x"}],
    }
    titles = {language: render(payload, language).buttons[0].title for language in Language}
    assert len(set(titles.values())) == 4


def test_unknown_template_still_answers() -> None:
    assert render({"template": "no_such_template"}, Language.NL).text
