"""The commands: /emergency, /language, /forget, /restart."""

from __future__ import annotations

import html

from bot.i18n import language_name
from bot.settings import Settings
from referral_map.taxonomy import Language
from tests.bot.telegram.conftest import (
    Harness,
    play,
    referral_parts,
    rendered,
    sent,
    shown,
    title,
)


def test_emergency_gives_112_and_101_first(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        answer = await harness.person("nl").command("emergency")
        intro, cards, _summary = referral_parts(answer)
        assert intro.startswith("<b>") and "112" in intro
        assert "<b>112</b>" in cards[0]
        assert "<b>101</b>" in cards[1]

    play(settings, scenario)


def test_start_leaves_an_emergency_key_under_the_text_field_that_gives_112_first(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("fr")
        welcome = await person.command("start")
        keys = [
            m.params["reply_markup"]
            for m in sent(welcome)
            if "keyboard" in (m.params.get("reply_markup") or {})
        ]
        assert len(keys) == 1 and keys[0]["is_persistent"] is True
        [[key]] = keys[0]["keyboard"]
        assert "112" in key["text"]
        answer = await person.say(key["text"])
        _intro, cards, _summary = referral_parts(answer)
        assert "<b>112</b>" in cards[0] and "<b>101</b>" in cards[1]

    play(settings, scenario)


def test_choosing_french_makes_later_replies_french(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("en")
        question = await person.command("language")
        buttons = [b["text"] for b in sent(question)[0].buttons]
        assert buttons == [
            language_name(lang) for lang in (Language.NL, Language.FR, Language.DE, Language.EN)
        ]
        confirmation = await person.press(language_name(Language.FR))
        assert shown(confirmation) == [
            rendered(harness.service, "language_changed", Language.FR, {"language": "fr"})
        ]
        assert any(c.method == "editMessageReplyMarkup" for c in confirmation)
        assert harness.service.language_of(person.session, None) == (Language.FR, True)
        welcome = await person.command("start")
        assert shown(welcome)[0] == rendered(harness.service, "welcome", Language.FR)
        answer = await person.press(title("concern_radicalisation", Language.FR))
        if any(b["text"] == title("role_parent", Language.FR) for c in sent(answer) for b in c.buttons):
            answer = await person.press(title("role_parent", Language.FR))
        answer = await person.say("Liège")
        _intro, cards, _summary = referral_parts(answer)
        assert "Centre d'aide" in html.unescape(cards[0])  # CAPREV's French name

    play(settings, scenario)


def test_forget_deletes_the_session_and_confirms(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("nl")
        await person.say("mijn dochter praat over kafirs en wil niet meer naar school")
        assert harness.service.store.get_locale(person.session) is not None
        answer = await person.command("forget")
        assert shown(answer) == [rendered(harness.service, "forgotten", Language.NL)]
        assert harness.service.store.get_locale(person.session) is None

    play(settings, scenario)


def test_restart_starts_the_conversation_over(settings: Settings) -> None:
    async def scenario(harness: Harness) -> None:
        person = harness.person("en")
        await person.say("my son watches isis videos all day")
        answer = await person.command("restart")
        assert rendered(harness.service, "start_over", Language.EN) in shown(answer)

    play(settings, scenario)
