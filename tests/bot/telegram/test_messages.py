"""Free text and button presses."""

from __future__ import annotations

import logging

import pytest

from bot.settings import Settings
from bot.telegram import (
    SORRY,
    telegram_language,
)
from bot.telegram.format import MESSAGE_LIMIT, utf16_len, visible
from referral_map.taxonomy import Language
from tests.bot.telegram.conftest import (
    CONVERSATIONS,
    Harness,
    no_emergency_numbers,
    play,
    referral_parts,
    rendered,
    sent,
    shown,
    title,
)


@pytest.mark.parametrize(("language_code", "story", "place", "first_service", "phone"), CONVERSATIONS)
def test_a_conversation_from_start_to_referral(
    settings: Settings, language_code: str, story: str, place: str, first_service: str, phone: str
) -> None:
    language = telegram_language(language_code)

    async def scenario(harness: Harness) -> None:
        parent = harness.person(language_code)
        welcome = await parent.command("start")
        assert shown(welcome)[0] == rendered(harness.service, "welcome", language)
        assert title("concern_radicalisation", language) in [b["text"] for b in sent(welcome)[0].buttons]
        conversation = await parent.say(story)
        answer = conversation
        for _step in range(4):
            if any("<pre>" in c.text for c in sent(answer)):
                break
            if any(b["text"] == title("role_parent", language) for c in sent(answer) for b in c.buttons):
                answer = await parent.press(title("role_parent", language))
            else:
                answer = await parent.say(place)
            conversation += answer
        _intro, cards, summary = referral_parts(answer)
        assert first_service in visible(cards[0]).split("\n")[0]
        assert f"<b>{phone}</b>" in cards[0]
        assert "<pre>" in summary and "</pre>" in summary
        assert no_emergency_numbers(shown(conversation)), "a routine case must not get 112/101"
        assert any(c.method == "sendChatAction" for c in conversation)
        assert harness.service.language_of(parent.session, None)[0] is language

    play(settings, scenario)


def test_a_5000_character_message_is_answered_within_telegrams_limit(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("nl")
        words = ("ik maak me zorgen om mijn zoon en zijn nieuwe vrienden. " * 100)[:5000]
        answer = await person.say(words)
        texts = shown(answer)
        assert texts and texts[0] == rendered(harness.service, "too_long", Language.NL, {"count": 4000})
        assert all(utf16_len(text) <= MESSAGE_LIMIT for text in texts)
        assert visible(SORRY) not in texts

    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        play(settings, scenario)
    assert not [r for r in caplog.records if r.name == "bot.telegram" and r.levelno >= logging.ERROR]


def test_a_doubtful_message_is_asked_about_first_and_its_button_gives_the_suicide_line(
    settings: Settings,
) -> None:
    async def scenario(harness: Harness) -> None:
        parent = harness.person("nl-BE")
        await parent.command("start")
        text = "mijn dochter zegt dat ze het niet meer ziet zitten en vanavond wil ze niemand zien"
        answer = await parent.say(text)
        question = sent(answer)[0]
        assert "1813" in question.text and "112" in question.text
        suicide_line = title("button_suicidal_thoughts", Language.NL)
        assert [b["text"] for b in question.buttons][:1] == [suicide_line]
        referral = await parent.press(suicide_line)
        _intro, cards, _summary = referral_parts(referral)
        assert "Zelfmoordlijn 1813" in visible(cards[0]).split("\n")[0]

    play(settings, scenario)
