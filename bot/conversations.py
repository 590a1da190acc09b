"""Scripted conversations through the bot (`tests/conversations/`): turns typed or pressed, then checked.

A script is a person's whole conversation: each turn either typed (`{"text": ...}`) or a button pressed by
what it means (`{"choose": "role:teacher"}`, `"concern:polarisation"`, `"place:Gent"`, `"emergency"`,
`"not_say"`, `"person"`, `"language:fr"`, `"helpful"`, `"not_helpful"`), found among the buttons of the
bot's last message. The last referral of the conversation is checked against `expect`, and no bot message
may come three times in a row.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.evaluate import Send
from protocol import payloads
from protocol.payloads import parse_payload
from referral_map.geography import UnknownPlaceError, gazetteer
from stack.measure import percentile

TOP = 3
NOT_SAY = {"unknown"}  # the entity value of "I'd rather not say" buttons


@dataclass
class Played:
    id: str
    lang: str
    expect: dict[str, Any]
    questions: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)  # each bot message's text, in order
    referral: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return not self.problems


def _button_for(choice: str, buttons: Sequence[dict[str, Any]]) -> str | None:
    """The payload of the button that means `choice`, among `buttons`."""
    kind, _, value = choice.partition(":")
    for button in buttons:
        pressed = str(button.get("payload", ""))
        parsed = parse_payload(pressed)
        if parsed is None:
            continue
        entities = {key: str(item) for key, item in parsed.entities.items()}
        if kind == "role" and parsed.intent == "inform_role" and entities.get("role") == value:
            return pressed
        if kind == "concern" and parsed.intent == payloads.DESCRIBE + value:
            return pressed
        if (
            kind == "place"
            and parsed.intent == "inform_place"
            and _same_place(entities.get("place", ""), value)
        ):
            return pressed
        if kind == "not_say" and NOT_SAY & set(entities.values()):
            return pressed
        if kind == "language" and parsed.intent == "change_language" and entities.get("language") == value:
            return pressed
        named = {
            "emergency": "emergency",
            "person": "ask_human",
            "helpful": "feedback_helpful",
            "not_helpful": "feedback_not_helpful",
        }
        if kind in named and parsed.intent == named[kind]:
            return pressed
    return None


def _same_place(nis: str, name: str) -> bool:
    try:
        return nis in {m.nis for m in gazetteer().resolve(name).matches}
    except UnknownPlaceError:
        return False


def play_script(script: dict[str, Any], send: Send) -> Played:
    played = Played(str(script["id"]), str(script["lang"]), dict(script.get("expect", {})))
    session = f"conv-{played.id}-{uuid.uuid4().hex[:8]}"
    last_buttons: list[dict[str, Any]] = []
    for number, turn in enumerate(script["turns"], start=1):
        if "choose" in turn:
            message = _button_for(str(turn["choose"]), last_buttons)
            if message is None:
                played.problems.append(f"turn {number}: no button for {turn['choose']!r}")
                break
        else:
            message = str(turn["text"])
        replies = send(session, message, played.lang)
        for reply in replies:
            played.replies.append(str(reply.get("text") or reply.get("template")))
            if reply.get("asks"):
                played.questions.append(str(reply["asks"]))
            if reply.get("referral"):
                played.referral = reply["referral"]
        with_buttons = [reply for reply in replies if reply.get("buttons")]
        last_buttons = list(with_buttons[-1]["buttons"]) if with_buttons else []
    played.problems += _judge(played)
    return played


def _judge(played: Played) -> list[str]:
    problems = []
    for first, second, third in zip(played.replies, played.replies[1:], played.replies[2:], strict=False):
        if first == second == third:
            problems.append(f"sent three times in a row: {first[:60]!r}")
            break
    expect = played.expect
    if played.referral is None:
        return [*problems, "no referral"]
    situation = played.referral.get("situation") or {}
    services = [service["id"] for service in played.referral.get("services", [])]
    for key in ("role", "concern", "urgency", "language"):
        if key in expect and expect[key] is not None and situation.get(key) != expect[key]:
            problems.append(f"{key} {situation.get(key)} (want {expect[key]})")
    if "municipality" in expect:
        wanted = expect["municipality"]
        got = situation.get("municipality")
        if (wanted is None) != (got is None) or (
            wanted is not None and not _same_place(str(got), str(wanted))
        ):
            problems.append(f"municipality {got} (want {wanted})")
    if expect.get("services_any") and not set(services[:TOP]) & set(expect["services_any"]):
        problems.append(f"services {services[:TOP]} (want one of {expect['services_any']})")
    if expect.get("first_service") and services[:1] != [expect["first_service"]]:
        problems.append(f"first service {services[:1]} (want {expect['first_service']})")
    return problems


def summary(played: Sequence[Played]) -> dict[str, Any]:
    """Per language and overall: right referrals, questions per conversation, repeated questions."""

    def figures(group: Sequence[Played]) -> dict[str, Any]:
        asked = [len(p.questions) for p in group]
        repeats = sum(1 for p in group for a, b in zip(p.questions, p.questions[1:], strict=False) if a == b)
        return {
            "conversations": len(group),
            "right": sum(p.right for p in group),
            "questions_median": statistics.median(asked) if asked else None,
            "questions_p90": round(percentile(asked, 0.9), 1) if asked else None,
            "repeated_questions": repeats,
        }

    languages = sorted({p.lang for p in played})
    return {
        **{language: figures([p for p in played if p.lang == language]) for language in languages},
        "overall": figures(played),
    }
