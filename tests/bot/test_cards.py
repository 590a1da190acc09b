"""Referral cards: phone, hours, confidentiality, reason, how current the facts are."""

from __future__ import annotations

import datetime as dt

from bot.cards import CALL_NOW, POLICE_SENTENCES
from bot.i18n import _, use_language
from referral_map.routing import default_directory
from referral_map.schemas import PoliceContact
from referral_map.taxonomy import Language
from tests.bot.rendering import SUNDAY_NIGHT, card_of, referral, render


def test_referral_card_in_french_with_phone_hours_confidentiality_and_summary() -> None:
    rendered = render(referral(["caprev"], "fr"), Language.FR)
    card = card_of(rendered)
    assert card["name"].startswith("CAPREV")
    assert card["phone"] == "0800 11 172" and card["tel"] == "tel:+3280011172"
    assert card["open_now"] is True
    assert card["opening"] == "Par t\u00e9l\u00e9phone\u00a0: ouvert maintenant, jusqu\u2019\u00e0 13\u00a0h."
    assert card["confidentiality"]
    assert rendered.referral is not None and "Liège" in rendered.referral.summary
    assert "0800 11 172" in rendered.text


def test_phone_and_chat_hours_are_told_apart_at_night() -> None:
    at_three = dt.datetime(2026, 12, 1, 3, 0, tzinfo=SUNDAY_NIGHT.tzinfo)
    card = card_of(render(referral(["zelfmoordlijn-1813"], "nl"), Language.NL, now=at_three))
    assert card["open_now"] is True
    assert (
        card["opening"]
        == "Telefonisch: dag en nacht open. Chat: nu gesloten, weer open op dinsdag om 17 uur."
    )


def test_closed_service_says_when_it_opens() -> None:
    card = card_of(render(referral(["caprev"], "fr"), Language.FR, now=SUNDAY_NIGHT))
    assert card["open_now"] is False
    assert "lundi à 9\u00a0h" in card["opening"]  # as people say it, not "lundi 09:00"


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


def test_the_reason_shown_is_the_rules_explanation_in_routing_yaml() -> None:
    card = card_of(render(referral(["caprev"], "fr"), Language.FR))
    explain = default_directory().rules.explanation("worry_french")
    assert explain is not None
    with use_language(Language.FR):
        assert card["reason"] == _(explain) != explain
    assert card["reason_code"] == "worry_french"


def test_the_emergency_numbers_say_what_happens_when_you_call_and_nothing_about_the_police() -> None:
    for language in Language:
        for number in ("emergency-112", "police-101"):
            card = card_of(render(referral([number], language.value, concern="violence_threat"), language))
            assert card["confidentiality"] == card["reason"] == card["checked"] == ""
            with use_language(language):
                assert card["description"] == _(CALL_NOW[number])
                assert _(POLICE_SENTENCES[PoliceContact.YES]) not in card["text"]
            assert card["phone"] == number.split("-")[1] and card["open_now"] is True
            assert len(card["text"].split()) < 45


def test_a_local_office_card_says_it_is_the_office_for_where_you_live_and_where_it_is() -> None:
    payload = referral(["justitiehuizen-vlaanderen"], "en", concern="detention", municipality="11002")
    payload["referral"]["services"][0]["location_id"] = "justitiehuis-antwerpen"
    card = card_of(render(payload, Language.EN))
    assert card["name"].startswith("Justitiehuis Antwerpen")
    assert card["office"] == "The office for where you live: Quinten Matsijslei 55, 2018 Antwerp."
    assert card["office"] in card["text"] and card["phone"] == "03 614 52 00"
    payload["referral"]["situation"]["language"] = "nl"
    dutch = card_of(render(payload, Language.NL))["office"]
    assert dutch == "Het kantoor voor jouw gemeente: Quinten Matsijslei 55, 2018 Antwerpen."


def test_a_card_without_a_local_office_has_no_office_line() -> None:
    card = card_of(render(referral(["caprev"], "fr"), Language.FR))
    assert card["office"] is None
