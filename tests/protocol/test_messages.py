"""The custom payloads: every template Rasa's domain names exists, every button payload parses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from protocol.messages import (
    REFERRAL_TEMPLATES,
    Asks,
    ButtonTemplate,
    Template,
    concern_buttons,
    language_buttons,
    message,
    referral,
    role_buttons,
)
from protocol.payloads import parse_payload
from referral_map.routing import Situation, route
from referral_map.taxonomy import Concern, Language

DOMAIN = Path(__file__).resolve().parents[2] / "nlu" / "domain.yml"


def _customs() -> list[dict[str, Any]]:
    domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    return [variant["custom"] for variants in domain["responses"].values() for variant in variants]


def test_every_template_in_the_domain_is_known() -> None:
    customs = _customs()
    assert customs, "the domain has no custom responses"
    for custom in customs:
        Template(custom["template"])
        if "asks" in custom:
            Asks(custom["asks"])


def test_every_button_in_the_domain_sends_a_valid_payload() -> None:
    for custom in _customs():
        for button in custom.get("buttons", []):
            assert parse_payload(button["payload"]) is not None, button
            ButtonTemplate(button["template"])


def test_menus_send_valid_payloads() -> None:
    for button in [*role_buttons(), *concern_buttons(), *language_buttons()]:
        assert parse_payload(button["payload"]) is not None
    assert Concern.OUT_OF_SCOPE.value not in {b["payload"] for b in concern_buttons()}


def test_message_leaves_out_what_is_not_asked() -> None:
    assert message(Template.GREET) == {"template": "greet", "args": {}}
    assert message(Template.ASK_ROLE, Asks.ROLE)["asks"] == "role"


def test_referral_carries_the_routes_services_and_moment() -> None:
    at = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    result = route(Situation(concern=Concern.RADICALISATION, municipality="44021", language=Language.NL), at)
    body = referral(result, Template.REFERRAL, at=at)
    assert Template(body["template"]) in REFERRAL_TEMPLATES
    sent = body["referral"]
    assert sent["routed_at"] == at.isoformat()
    assert [s["id"] for s in sent["services"]] == [r.service.id for r in result.referrals]
    assert sent["situation"]["municipality"] == "44021"
