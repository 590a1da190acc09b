"""The chat core: the bot's own messages, the configured retention, and the reduced mode without Rasa."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot.chat import ChatService, RasaClient, asked_about, danger_check, danger_metadata, with_check
from bot.sessions import SessionStore
from protocol import payloads
from protocol.danger import Danger
from protocol.messages import Template
from referral_map import db
from referral_map.directory import load_directory
from referral_map.taxonomy import Concern, Language

NOBODY = "http://127.0.0.1:9"  # nothing listens there: Rasa is down


def chat_service(tmp_path: Path, retention_days: int = 30) -> ChatService:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    store = SessionStore(engine, dt.timedelta(days=retention_days))
    return ChatService(load_directory(), store, RasaClient(NOBODY), retention_days)


def test_privacy_states_the_configured_retention(tmp_path: Path) -> None:
    service = chat_service(tmp_path, retention_days=7)
    for language in Language:
        text = service.own(Template.PRIVACY, language).text
        assert " 7 " in text and "30" not in text, (language, text)


def test_privacy_from_rasa_gets_the_configured_retention_too(tmp_path: Path) -> None:
    service = chat_service(tmp_path, retention_days=12)
    [rendered] = service.render([{"template": "privacy", "args": {}}], Language.FR)
    assert " 12 " in rendered.text


def test_with_rasa_down_the_reduced_mode_answers(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    reply = asyncio.run(service.handle("s1", text="ik maak me zorgen over mijn zoon", locale=Language.NL))
    assert reply.degraded is True
    menu, lines = reply.messages
    assert menu.template == "degraded" and menu.asks == "concern"
    assert [b.payload for b in menu.buttons][:1] == [payloads.describe(Concern.RADICALISATION)]
    assert lines.referral is not None and lines.template == Template.REFERRAL
    ids = [card.id for card in lines.referral.cards]
    assert "emergency-112" not in ids and "police-101" not in ids  # no emergency the user did not signal


def test_a_concern_button_in_the_reduced_mode_still_gets_its_referral(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    pressed = payloads.describe(Concern.PARENTING)
    reply = asyncio.run(service.handle("s2", payload=pressed, locale=Language.NL))
    referral = reply.messages[-1].referral
    assert referral is not None and referral.cards[0].id == "opvoedingslijn"
    assert referral.situation.concern is Concern.PARENTING


def test_empty_and_overlong_text_are_answered(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    empty = asyncio.run(service.handle("s3", text="   ", locale=Language.DE))
    assert [m.template for m in empty.messages] == ["empty"]
    long = asyncio.run(service.handle("s3", text="x " * 3000, locale=Language.DE))
    assert long.messages[0].template == "too_long" and "4000" in long.messages[0].text


def test_danger_in_the_reduced_mode_gets_the_emergency_numbers_first(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    text = "hij is net vertrokken met een mes en zegt dat hij die gasten gaat pakken"
    reply = asyncio.run(service.handle("s4", text=text, locale=Language.NL))
    referral = reply.messages[-1].referral
    assert reply.degraded and referral is not None
    assert reply.messages[-1].template == Template.EMERGENCY_REFERRAL
    assert [card.id for card in referral.cards][:2] == ["emergency-112", "police-101"]
    assert referral.situation.concern is Concern.VIOLENCE_THREAT


def test_talk_of_dying_in_the_reduced_mode_gets_the_suicide_line_first(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    reply = asyncio.run(
        service.handle("s5", text="mon fils m'a dit qu'il voulait se suicider", locale=Language.FR)
    )
    referral = reply.messages[-1].referral
    assert referral is not None and referral.cards[0].id == "centre-prevention-suicide"
    assert referral.situation.concern is Concern.SELF_HARM
    opening = referral.intro
    assert "112" in opening and "101" not in opening and "police" not in opening.lower()


def test_a_message_in_another_language_is_answered_in_it_with_the_four_as_buttons(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    text = "oğlum son zamanlarda arkadaşlarıyla hiç görüşmüyor ve sürekli telefonda"  # noqa: RUF001
    reply = asyncio.run(service.handle("s7", text=text, locale=Language.NL))
    [question] = reply.messages
    assert not reply.degraded and reply.locale is Language.NL  # not switched to German
    assert question.template == "other_language" and question.asks == "language"
    assert question.text.startswith("Şu anda yalnızca Felemenkçe")  # noqa: RUF001
    assert "112" in question.text.split("\n\n")[1]  # then the same in the conversation's language
    assert [b.payload for b in question.buttons] == [payloads.change_language(lang) for lang in Language]


def test_the_emergency_button_is_answered_at_once_without_the_dialogue_model(tmp_path: Path) -> None:
    service = chat_service(tmp_path)  # Rasa is down, and not needed
    for language in Language:
        reply = asyncio.run(
            service.handle(
                "s9", payload=payloads.EMERGENCY, locale=language, metadata={"municipality": "63023"}
            )
        )
        [answer] = reply.messages
        assert reply.degraded is False and answer.template == Template.EMERGENCY_REFERRAL
        assert answer.referral is not None
        assert [card.id for card in answer.referral.cards][:2] == ["emergency-112", "police-101"]
        assert answer.referral.situation.municipality == "63023"


def test_a_message_the_detector_cannot_rule_out_is_asked_about_danger_first(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    text = "hij heeft zijn rugzak gepakt en zijn paspoort is weg, hij zegt dat hij volgende maand vertrekt"
    reply = asyncio.run(service.handle("s10", text=text, locale=Language.NL))
    check, menu, lines = reply.messages  # then the reduced mode's answer, as without the doubt
    assert check.template == Template.DANGER_CHECK and "112" in check.text
    assert [b.payload for b in check.buttons] == [payloads.EMERGENCY, payloads.SUICIDAL_THOUGHTS]
    assert menu.template == Template.DEGRADED and lines.referral is not None
    assert "emergency-112" not in [card.id for card in lines.referral.cards]  # asked, not claimed


def test_a_doubt_of_self_harm_gives_the_suicide_line_first(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    text = "mijn dochter denkt aan zelfmoord"
    reply = asyncio.run(service.handle("s11", text=text, locale=Language.NL))
    check = reply.messages[0]
    assert check.template == Template.DANGER_CHECK_SELF_HARM and "112" in check.text
    assert "1813" in check.text.split("112")[0]  # the suicide line of the map, before 112
    assert [b.payload for b in check.buttons] == [payloads.SUICIDAL_THOUGHTS, payloads.EMERGENCY]


def test_the_suicide_line_button_is_answered_at_once_without_the_dialogue_model(tmp_path: Path) -> None:
    service = chat_service(tmp_path)  # Rasa is down, and not needed
    lines = {Language.NL: "zelfmoordlijn-1813", Language.FR: "centre-prevention-suicide"}
    for language, first in lines.items():
        reply = asyncio.run(service.handle("s12", payload=payloads.SUICIDAL_THOUGHTS, locale=language))
        [answer] = reply.messages
        assert reply.degraded is False and answer.template == Template.EMERGENCY_REFERRAL
        assert answer.referral is not None and answer.referral.cards[0].id == first
        assert answer.referral.situation.concern is Concern.SELF_HARM


def test_the_danger_check_is_not_added_to_an_answer_that_already_asks_it_or_refers() -> None:
    check = danger_check(Danger.WEAPON)
    asked = [{"template": Template.CLARIFY_DANGER.value, "args": {}}]
    referred = [{"template": Template.EMERGENCY_REFERRAL.value, "args": {}}]
    other = [{"template": Template.ASK_ROLE.value, "args": {}}]
    assert with_check(check, asked) == asked and with_check(check, referred) == referred
    assert with_check(check, other) == [check, *other] and with_check(None, other) == other
    self_harm = danger_check(Danger.SUICIDAL_INTENT, "1813")  # the suicide line, which the model's lacks
    assert with_check(self_harm, asked) == [self_harm, *asked] and with_check(self_harm, referred) == referred


def test_the_models_question_about_talk_of_dying_is_led_by_the_one_that_gives_the_suicide_line() -> None:
    check = danger_check(Danger.SUICIDAL_INTENT, "1813")
    dying = [{"template": Template.CLARIFY.value, "args": {"danger": "suicidal_intent"}}]
    assert with_check(check, dying) == [check, *dying]
    assert asked_about(dying) is Danger.SUICIDAL_INTENT
    assert asked_about([{"template": Template.CLARIFY_DANGER.value, "args": {}}]) is None
    assert asked_about([{"template": Template.ASK_ROLE.value, "args": {"danger": "weapon"}}]) is None
    assert asked_about([{"template": Template.CLARIFY_DANGER.value, "args": {"danger": "nonsense"}}]) is None


def test_the_same_danger_check_is_not_asked_twice_in_a_conversation(tmp_path: Path) -> None:
    service = chat_service(tmp_path)
    departure = (
        "hij heeft zijn rugzak gepakt en zijn paspoort is weg, hij zegt dat hij volgende maand vertrekt"
    )
    dying = "mijn dochter denkt aan zelfmoord"

    def first_template(text: str) -> str:
        return asyncio.run(service.handle("s13", text=text, locale=Language.NL)).messages[0].template

    assert first_template(departure) == Template.DANGER_CHECK
    assert first_template(departure) == Template.DEGRADED  # asked already: the answer comes at once
    restarted = ChatService(service.directory, service.store, RasaClient(NOBODY), 30)
    reply = asyncio.run(restarted.handle("s13", text=departure, locale=Language.NL))
    assert reply.messages[0].template == Template.DEGRADED  # kept in the store: not asked after a restart
    assert first_template(dying) == Template.DANGER_CHECK_SELF_HARM  # another question: asked
    asyncio.run(service.forget("s13"))
    assert first_template(departure) == Template.DANGER_CHECK  # a new conversation


def test_the_detectors_probability_reaches_rasa_unrounded() -> None:
    # just under the floor for the model's reading of talk of dying (protocol/danger.py): rounded to three
    # places it would be 0.01 and the floor would not hold
    verdict = danger_metadata(True, None, 0.00953)
    assert verdict == {"danger_checked": True, "danger": None, "danger_probability": 0.00953}
    assert danger_metadata(False, Danger.WEAPON, None)["danger"] == "weapon"
