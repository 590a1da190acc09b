"""`wegwijzer eval FILE`: play each case as a new conversation and score it (docs/DESIGN.md section 8).

Two ways to talk to the dialogue, both a `Send`: `RestClient` (Rasa's REST channel, the dialogue
alone) and `ApiClient` (the bot's HTTP chat API of section 5: the whole product, with its language
handling, rendering and reduced mode).
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from protocol.messages import Asks
from protocol.payloads import DESCRIBE, parse_payload
from referral_map.geography import gazetteer
from stack.measure import percentile

MAX_TURNS = 6
TOP = 3

# A client sends one user turn (text or button payload) and returns the bot's messages: dicts with
# `template`, `asks`, `buttons` (each with `payload`), `referral` (`situation`, `services` with `id`)
# and, when the client can tell, `degraded`.
Send = Callable[[str, str, str], list[dict[str, Any]]]


@dataclass
class CaseResult:
    id: str
    lang: str
    expect: dict[str, Any]
    turns: int = 0
    asked: list[str] = field(default_factory=list)
    situation: dict[str, Any] | None = None
    services: list[str] = field(default_factory=list)
    degraded: bool = False
    latency_ms: list[float] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "turns": self.turns,
            "asked": self.asked,
            "situation": self.situation,
            "services": self.services,
            "degraded": self.degraded,
            "latency_ms": [round(value, 1) for value in self.latency_ms],
            **({"error": self.error} if self.error else {}),
        }


class RestClient:
    """Talks to Rasa's REST channel, with the locale in the message metadata; a `Send`."""

    def __init__(self, rasa_url: str, timeout: float = 30.0) -> None:
        self.client = httpx.Client(base_url=rasa_url, timeout=timeout)

    def __call__(self, session: str, message: str, locale: str) -> list[dict[str, Any]]:
        response = self.client.post(
            "/webhooks/rest/webhook",
            json={"sender": session, "message": message, "metadata": {"locale": locale}},
        )
        response.raise_for_status()
        return [item["custom"] for item in response.json() if isinstance(item.get("custom"), dict)]

    def close(self) -> None:
        self.client.close()


class ApiClient:
    """Talks to the bot's HTTP chat API (`POST /api/v1/chat`), as the web chat does; a `Send`.

    A message that is a button payload (`/intent` or `/intent{...}`) goes as `payload`, anything
    else as `text`. Like the web chat, later turns of a session send the locale the bot last
    answered in (it may have detected another language). Each message the API answers with already
    has the shape `play()` reads (its buttons are `{"title", "payload"}`, its referral the rendered
    one, whose services carry their `id`); each is marked with the reply's `degraded` flag.
    """

    def __init__(self, api_url: str, timeout: float = 60.0) -> None:
        self.client = httpx.Client(base_url=api_url.rstrip("/"), timeout=timeout)
        self.locales: dict[str, str] = {}  # session -> the locale the bot last answered in

    def __call__(self, session: str, message: str, locale: str) -> list[dict[str, Any]]:
        kind = "payload" if message.startswith("/") and parse_payload(message) is not None else "text"
        body = {"session": session, kind: message, "locale": self.locales.get(session, locale)}
        response = self.client.post("/api/v1/chat", json=body)
        while response.status_code == 429:  # the bot's rate limit: wait as it asks, then send again
            time.sleep(float(response.headers.get("retry-after", "1")))
            response = self.client.post("/api/v1/chat", json=body)
        response.raise_for_status()
        reply = response.json()
        self.locales[session] = str(reply.get("locale") or locale)
        degraded = bool(reply.get("degraded"))
        return [
            {**item, "degraded": degraded} for item in reply.get("messages", []) if isinstance(item, dict)
        ]

    def close(self) -> None:
        self.client.close()


def _answer(asks: str, answers: dict[str, Any], buttons: Sequence[dict[str, Any]]) -> str | None:
    """The button payload that carries the answer, else the answer as text."""
    value = answers.get(asks)
    if value is None:
        return None
    if asks == Asks.MUNICIPALITY:
        chosen = _place_button(str(value), buttons)
        if chosen:
            return chosen
    for button in buttons:
        parsed = parse_payload(str(button.get("payload", "")))
        if parsed is None:
            continue
        if parsed.intent == DESCRIBE + str(value) or str(value) in parsed.entities.values():
            return str(button["payload"])
    return str(value)


def _place_button(postcode: str, buttons: Sequence[dict[str, Any]]) -> str | None:
    """A user asked which municipality their postcode means picks one that has that postcode."""
    for button in buttons:
        parsed = parse_payload(str(button.get("payload", "")))
        nis = parsed.entities.get("place", "") if parsed else ""
        if nis in gazetteer().by_nis and postcode in gazetteer().get(nis).postcodes:
            return str(button["payload"])
    return None


def play(case: dict[str, Any], send: Send) -> CaseResult:
    result = CaseResult(id=str(case["id"]), lang=str(case["lang"]), expect=dict(case.get("expect", {})))
    session = f"eval-{result.id}-{uuid.uuid4().hex[:8]}"
    message: str | None = str(case["text"])
    answers = dict(case.get("answers", {}))
    while message is not None and result.turns < MAX_TURNS:
        started = time.perf_counter()
        try:
            replies = send(session, message, result.lang)
        except httpx.HTTPError as error:
            result.error = f"{type(error).__name__}: {error}"
            return result
        result.latency_ms.append((time.perf_counter() - started) * 1000)
        result.turns += 1
        result.degraded = result.degraded or any(reply.get("degraded") for reply in replies)
        referral = next((reply["referral"] for reply in replies if reply.get("referral")), None)
        if referral:
            result.situation = referral.get("situation")
            result.services = [service["id"] for service in referral.get("services", [])]
            return result
        asking = [reply for reply in replies if reply.get("asks")]
        message = None
        if asking:
            question = asking[-1]
            result.asked.append(str(question["asks"]))
            message = _answer(str(question["asks"]), answers, question.get("buttons") or [])
            typed_place = (
                question["asks"] == Asks.MUNICIPALITY
                and message is not None
                and parse_payload(message) is None
            )
            if not typed_place:  # a typed place may come back as "which one?"; anything else is answered once
                answers.pop(str(question["asks"]), None)
    return result


def _percentile(values: Sequence[float], share: float) -> float | None:
    return round(percentile(values, share), 1) if values else None


def _share(hits: Iterable[bool]) -> float | None:
    values = list(hits)
    return round(sum(values) / len(values), 3) if values else None


def summarise(results: Sequence[CaseResult]) -> dict[str, Any]:
    def situation_value(result: CaseResult, key: str) -> Any:
        return (result.situation or {}).get(key)

    with_concern = [r for r in results if "concern" in r.expect and r.expect["concern"] != "out_of_scope"]
    with_role = [r for r in results if "role" in r.expect]
    emergencies = [r for r in results if r.expect.get("urgency") == "emergency"]
    # A threat of violence puts 112 and 101 first by design (docs/DESIGN.md section 6): not a false emergency.
    not_emergencies = [
        r
        for r in results
        if r.expect.get("urgency") in {"routine", "urgent"} and r.expect.get("concern") != "violence_threat"
    ]
    with_services = [r for r in results if r.expect.get("services_any")]
    with_forbidden = [r for r in results if r.expect.get("services_none")]
    latencies = [value for r in results for value in r.latency_ms]

    def is_emergency(result: CaseResult) -> bool:
        """The user was sent to 112/101 first."""
        return result.services[:1] == ["emergency-112"]

    return {
        "cases": len(results),
        "concern_accuracy": _share(
            situation_value(r, "concern") == r.expect["concern"] for r in with_concern
        ),
        "role_accuracy": _share(situation_value(r, "role") == r.expect["role"] for r in with_role),
        "emergency_recall": _share(is_emergency(r) for r in emergencies),
        "false_emergency_rate": _share(is_emergency(r) for r in not_emergencies),
        "services_top3": _share(
            bool(set(r.services[:TOP]) & set(r.expect["services_any"])) for r in with_services
        ),
        "services_none_respected": _share(
            not set(r.services) & set(r.expect["services_none"]) for r in with_forbidden
        ),
        "no_referral": _share(r.situation is None for r in results),
        "errors": sum(r.error is not None for r in results),
        "median_questions": statistics.median([len(r.asked) for r in results]) if results else None,
        "latency_ms": {
            "p50": _percentile(latencies, 0.5),
            "p95": _percentile(latencies, 0.95),
            "turns": len(latencies),
        },
    }


def figures_text(summary: dict[str, Any]) -> str:
    """One line of a summary's figures, as the test run and the closing notes quote them."""
    return (
        f"{summary['cases']} cases, top-3 {summary['services_top3']}, concern {summary['concern_accuracy']}, "
        f"role {summary['role_accuracy']}, emergency recall {summary['emergency_recall']}, "
        f"false emergencies {summary['false_emergency_rate']}, no referral {summary['no_referral']}, "
        f"median questions {summary['median_questions']}, turn p50 {summary['latency_ms']['p50']} ms"
    )


def evaluate(cases: Sequence[dict[str, Any]], send: Send) -> dict[str, Any]:
    results = [play(case, send) for case in cases]
    by_language: dict[str, list[CaseResult]] = {}
    for result in results:
        by_language.setdefault(result.lang, []).append(result)
    summary = {language: summarise(group) for language, group in sorted(by_language.items())}
    summary["overall"] = summarise(results)
    return {"cases": [r.as_dict() for r in results], "summary": summary}


def read_cases(paths: Sequence[Path]) -> list[dict[str, Any]]:
    cases = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON: {error.msg}") from None
            missing = {"id", "text", "lang"} - set(case)
            if missing:
                raise ValueError(f"{path}:{number}: missing {', '.join(sorted(missing))}")
            cases.append(case)
    return cases
