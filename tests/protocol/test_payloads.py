"""Rasa intent payloads: built and parsed in one place."""

from __future__ import annotations

import pytest

from protocol import payloads
from protocol.payloads import IntentPayload, parse_payload
from referral_map.taxonomy import Concern, Language, Role


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/greet", IntentPayload("greet")),
        ('/inform_role{"role":"teacher"}', IntentPayload("inform_role", {"role": "teacher"})),
        ('/inform_place{"place": "44021"}', IntentPayload("inform_place", {"place": "44021"})),
        ("hallo", None),
        ("/", None),
        ("/inform_role{not json}", None),
        ('/inform_role["teacher"]', None),
        ("/two words", None),
    ],
)
def test_parse(text: str, expected: IntentPayload | None) -> None:
    assert parse_payload(text) == expected


@pytest.mark.parametrize("role", list(Role))
def test_built_payloads_parse_back(role: Role) -> None:
    built = payloads.inform_role(role)
    assert parse_payload(built) == IntentPayload("inform_role", {"role": role.value})
    assert str(parse_payload(built)) == built


@pytest.mark.parametrize("concern", list(Concern))
def test_concern_of_describe(concern: Concern) -> None:
    assert payloads.concern_of(payloads.describe(concern)) is concern


def test_concern_of_other_payloads_and_text() -> None:
    assert payloads.concern_of("/describe_nothing") is None
    assert payloads.concern_of("/greet") is None
    assert payloads.concern_of("describe_radicalisation") is None


@pytest.mark.parametrize("language", list(Language))
def test_language_of(language: Language) -> None:
    assert payloads.language_of(payloads.change_language(language)) is language
    assert payloads.language_of('/change_language{"language":"es"}') is None
    assert payloads.language_of(payloads.describe(Concern.PARENTING)) is None
