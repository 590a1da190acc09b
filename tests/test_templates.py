"""Rendering templates and referral cards in the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.i18n import _, use_language
from bot.render import UNKNOWN_TEMPLATE, Renderer
from bot.templates import SENTENCES, Rendered
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


@pytest.mark.parametrize("template", SENTENCE_TEMPLATES)
def test_every_template_is_a_real_sentence_in_every_language(template: Template) -> None:
    assert template in SENTENCES, f"no sentence written for {template}"
    texts = {language: render({"template": template.value}, language).text for language in Language}
    for language, text in texts.items():
        with use_language(language):
            assert text != _(UNKNOWN_TEMPLATE), (template, language)
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
    assert rendered.referral is not None and "Liège" in rendered.referral.summary
    assert "0800 11 172" in rendered.text


def test_closed_service_says_when_it_opens() -> None:
    card = card_of(render(referral(["caprev"], "fr"), Language.FR, now=SUNDAY_NIGHT))
    assert card["open_now"] is False
    assert "09:00" in card["opening"]


def test_old_information_is_flagged() -> None:
    card = card_of(render(referral(["wegweiser-ostbelgien"], "de", municipality="63023"), Language.DE))
    assert card["last_verified"] == "2017-01-01"
    with use_language(Language.DE):
        warning = _("It may be out of date.")
    assert warning in card["checked"] and warning in card["text"]


def test_recent_information_is_not_flagged() -> None:
    card = card_of(
        render(
            referral(["caprev"], "fr"), Language.FR, now=dt.datetime.fromisoformat("2026-12-01T10:00+01:00")
        )
    )
    assert dt.date.fromisoformat(card["last_verified"]) > dt.date(2025, 12, 1), (
        "pick a recently checked service"
    )
    with use_language(Language.FR):
        assert _("It may be out of date.") not in card["checked"]


def test_buttons_get_titles_in_the_language() -> None:
    payload = {
        "template": "ask_role",
        "asks": "role",
        "buttons": [{"template": "role_parent", "payload": "/x"}],
    }
    titles = {language: render(payload, language).buttons[0].title for language in Language}
    assert len(set(titles.values())) == 4


def test_unknown_template_still_answers() -> None:
    rendered = render({"template": "no_such_template"}, Language.NL)
    with use_language(Language.NL):
        assert rendered.text == _(UNKNOWN_TEMPLATE)
    assert rendered.asks == "concern"


def test_the_reason_shown_is_the_rules_explanation_in_routing_yaml() -> None:
    card = card_of(render(referral(["caprev"], "fr"), Language.FR))
    explain = default_directory().rules.explanation("worry_french")
    assert explain is not None
    with use_language(Language.FR):
        assert card["reason"] == _(explain) != explain
    assert card["reason_code"] == "worry_french"


def test_a_referral_is_rendered_as_the_action_sent_it() -> None:
    """The office and the moment the action chose are shown; nothing is routed again."""
    service = next(s for s in default_directory() if s.locations)
    office = service.locations[-1]
    payload = referral([service.id], "nl")
    payload["referral"]["services"][0]["location_id"] = office.id
    payload["referral"]["routed_at"] = SUNDAY_NIGHT.isoformat()
    caprev = referral(["caprev"], "fr")
    caprev["referral"]["routed_at"] = SUNDAY_NIGHT.isoformat()
    with use_language(Language.NL):
        rendered = Renderer(default_directory(), now=lambda: TUESDAY_MORNING).render(payload)
    assert rendered.referral is not None
    assert rendered.referral.cards[0].location_id == office.id
    assert rendered.referral.cards[0].name == office.name.get(Language.NL)
    assert (
        card_of(render(caprev, Language.FR, now=TUESDAY_MORNING))["open_now"] is False
    )  # closed on Sunday night
