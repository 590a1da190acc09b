"""Conversations through Rasa's REST channel: a real model, a real action server, a real SQLite map."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from stack.processes import Stack


class Conversation:
    def __init__(self, stack: Stack, locale: str, metadata: dict[str, Any] | None = None) -> None:
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex[:10]}"
        self.metadata = {"locale": locale, **(metadata or {})}

    def say(self, text: str) -> list[dict[str, Any]]:
        response = httpx.post(
            self.url, json={"sender": self.sender, "message": text, "metadata": self.metadata}, timeout=30
        )
        assert response.status_code == 200
        replies = response.json()
        assert all("text" not in reply for reply in replies), "Rasa must not send user-facing text"
        return [reply["custom"] for reply in replies]

    def press(self, reply: dict[str, Any], payload_part: str) -> list[dict[str, Any]]:
        button = next(b for b in reply["buttons"] if payload_part in b["payload"])
        return self.say(button["payload"])


def referral(replies: list[dict[str, Any]]) -> dict[str, Any]:
    found = [reply for reply in replies if reply.get("referral")]
    assert found, f"expected a referral, got {[r.get('template') for r in replies]}"
    return dict(found[0]["referral"])


def asks(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["asks"] for reply in replies if reply.get("asks")]


def test_a_message_with_role_concern_and_place_is_referred_at_once(stack: Stack) -> None:
    chat = Conversation(stack, "nl")
    result = referral(
        chat.say("ik ben leerkracht in Gent en er is veel spanning in mijn klas sinds de oorlog in Gaza")
    )
    assert result["situation"]["role"] == "teacher"
    assert result["situation"]["concern"] == "polarisation"
    assert result["situation"]["municipality"] == "44021"
    assert result["services"][0]["id"] == "clb-clbchat"


def test_the_form_asks_only_what_is_missing_with_buttons(stack: Stack) -> None:
    chat = Conversation(stack, "fr")
    replies = chat.say("mon fils regarde des vidéos de daech toute la journée sur son téléphone")
    assert asks(replies) == ["municipality"] or asks(replies) == ["role"]
    if asks(replies) == ["role"]:
        replies = chat.press(replies[-1], '"parent"')
    assert asks(replies) == ["municipality"]
    result = referral(chat.say("Liège"))
    assert result["situation"] == {
        "role": "parent",
        "concern": "online_extremism",
        "urgency": "routine",
        "municipality": "62063",
        "language": "fr",
    }
    assert result["services"][0]["id"] == "caprev"


def test_role_question_offers_other_or_prefer_not_to_say(stack: Stack) -> None:
    chat = Conversation(stack, "en")
    replies = chat.say("/describe_polarisation")
    question = next(r for r in replies if r.get("asks") == "role")
    assert question["buttons"][-1]["payload"] == '/inform_role{"role":"unknown"}'
    replies = chat.press(question, '"unknown"')
    assert asks(replies) == ["municipality"]


def test_emergency_pre_empts_the_form(stack: Stack) -> None:
    chat = Conversation(stack, "nl")
    replies = chat.say("mijn zoon is aan het radicaliseren")
    assert asks(replies)
    replies = chat.say("hij staat nu met een mes in de keuken en dreigt zijn zus neer te steken")
    result = referral(replies)
    assert [s["id"] for s in result["services"]][:2] == ["emergency-112", "police-101"]
    assert replies[0]["template"] == "emergency_referral"


def test_self_harm_gets_the_suicide_line_first(stack: Stack) -> None:
    chat = Conversation(stack, "de")
    result = referral(chat.say("meine tochter sagt sie will nicht mehr leben und ritzt sich seit wochen"))
    assert result["services"][0]["id"] == "telefonhilfe-108"


@pytest.mark.parametrize(
    ("question", "template"),
    [
        ("wat ben jij eigenlijk, een robot?", "what_are_you"),
        ("wat doen jullie met mijn gegevens?", "privacy"),
    ],
)
def test_questions_are_answered_and_the_form_resumes(stack: Stack, question: str, template: str) -> None:
    chat = Conversation(stack, "nl")
    first = chat.say("onze dochter heeft nieuwe vrienden en praat over kafirs, ze wil niet meer naar school")
    pending = asks(first)[-1]
    replies = chat.say(question)
    assert replies[0]["template"] == template
    assert asks(replies)[-1] == pending


def test_talk_to_a_person_gives_the_helpline_of_the_users_community(stack: Stack) -> None:
    chat = Conversation(stack, "fr", {"municipality": "Namur"})
    replies = chat.say("je voudrais parler à une vraie personne")
    result = referral(replies)
    assert replies[0]["template"] == "talk_to_person"
    assert result["services"][0]["id"] == "tele-accueil-107"


def test_unknown_place_gets_suggestions(stack: Stack) -> None:
    chat = Conversation(stack, "nl", {"role": "parent"})
    chat.say("mijn zoon zit de hele dag op telegram groepen met extremistische filmpjes")
    replies = chat.say("Gentbrugge-Noord")
    hint = next(r for r in replies if r["template"] in {"place_not_found", "ask_municipality"})
    assert hint["asks"] == "municipality"
    if hint["template"] == "place_not_found":
        assert any('"44021"' in b["payload"] for b in hint["buttons"])


def test_ambiguous_postcode_asks_to_choose(stack: Stack) -> None:
    chat = Conversation(stack, "fr", {"role": "teacher"})
    chat.say("des tensions entre élèves depuis les attentats, ça dégénère en classe")
    replies = chat.say("1050")
    choice = next(r for r in replies if r["template"] == "place_ambiguous")
    result = referral(chat.press(choice, '"21009"'))
    assert result["situation"]["municipality"] == "21009"


def test_known_context_from_metadata_skips_questions(stack: Stack) -> None:
    chat = Conversation(stack, "nl", {"role": "imam", "municipality": "2000"})
    result = referral(chat.say("een jongen uit onze moskee zegt dat hij naar syrië wil vertrekken"))
    assert result["situation"]["role"] == "imam"
    assert result["situation"]["municipality"] == "11002"


def test_after_a_referral_it_asks_whether_it_helped_and_can_start_over(stack: Stack) -> None:
    chat = Conversation(stack, "en", {"role": "parent", "municipality": "1000"})
    replies = chat.say("my son is being drawn into far right groups, he talks about remigration all day")
    referral(replies)
    feedback = next(r for r in replies if r.get("asks") == "feedback")
    assert chat.press(feedback, "feedback_helpful")[0]["template"] == "feedback_thanks"
    replies = chat.say("/start_over")
    assert replies[0]["template"] == "start_over"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x" * 4000,
        "مرحبا، ابني يشاهد فيديوهات متطرفة",
        "我儿子在网上看极端视频",
        "👍👍👍",
        '{"broken": json',
    ],
)
def test_odd_input_gets_an_answer(stack: Stack, text: str) -> None:
    chat = Conversation(stack, "en")
    replies = chat.say(text)
    assert replies, "every message gets an answer"
    assert all("template" in reply for reply in replies)
