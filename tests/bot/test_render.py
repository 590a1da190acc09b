"""The renderer: payloads from Rasa as messages; referrals rendered as the action sent them."""

from __future__ import annotations

from bot.i18n import _, use_language
from bot.render import UNKNOWN_TEMPLATE, Renderer
from referral_map.routing import default_directory
from referral_map.taxonomy import Language
from tests.bot.rendering import SUNDAY_NIGHT, TUESDAY_MORNING, card_of, referral, render


def test_unknown_template_still_answers() -> None:
    rendered = render({"template": "no_such_template"}, Language.NL)
    with use_language(Language.NL):
        assert rendered.text == _(UNKNOWN_TEMPLATE)
    assert rendered.asks == "concern"


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
