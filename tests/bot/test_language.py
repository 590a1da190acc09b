"""Which of the four languages a message is in: only when it is clear."""

from __future__ import annotations

import pytest

from bot.language import detect_language, read_language
from referral_map.taxonomy import Language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("mijn zoon praat de laatste tijd alleen nog over de ongelovigen op school", Language.NL),
        ("ma fille ne voit plus ses amies et passe ses nuits sur des vidéos bizarres", Language.FR),
        ("mein Sohn redet seit Wochen nur noch von diesen Leuten aus dem Internet", Language.DE),
        ("my son has been talking about these people online for weeks now", Language.EN),
    ],
)
def test_a_clear_message_is_recognised(text: str, language: Language) -> None:
    assert detect_language(text) is language


@pytest.mark.parametrize("text", ["ok", "merci", "Gent", "ja dank je", '/inform_role{"role":"parent"}'])
def test_short_messages_and_payloads_say_nothing(text: str) -> None:
    assert detect_language(text) is None


def test_a_language_outside_the_four_is_not_forced_into_one() -> None:
    assert detect_language("oğlum son zamanlarda arkadaşlarıyla hiç görüşmüyor ve sürekli telefonda") is None  # noqa: RUF001


def test_without_the_four_languages_only_another_language_is_read() -> None:
    assert read_language("mijn zoon van zestien zegt rare dingen", ours=False) == (None, None)
    assert read_language("Oğlum son zamanlarda çok değişti ve çok endişeliyim", ours=False) == (None, "tr")
