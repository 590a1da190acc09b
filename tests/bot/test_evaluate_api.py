"""`wegwijzer eval --api`: the real-style development sets through the bot's HTTP chat API, the whole product."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.chat import ChatService, RasaClient
from bot.cli import main
from bot.evaluate import ApiClient, Send, _answer, evaluate, figures_text, play, read_cases
from bot.http_api import create_app
from bot.http_guard import EVALUATION_LIMITS
from bot.sessions import SessionStore
from protocol.messages import Asks
from referral_map import db
from referral_map.directory import load_directory
from tests.auxil.serving import served
from tests.conftest import FIGURES

REAL_STYLE = Path(__file__).resolve().parents[1] / "eval" / "real_style"
LANGUAGES = ("nl", "fr", "de", "en")
# The floors each set must hold through the whole product: a fitting service among the first three in
# each language, then, over all languages, the concern and role the referral names, emergencies with 112
# first, and at most so many false emergencies, cases without a referral and questions asked.
TOP3_FLOOR = {"real_style_dev": 0.95, "real_style_dev_hard": 0.92}
FLOORS = {
    "real_style_dev": {"concern_accuracy": 0.85, "role_accuracy": 0.90, "emergency_recall": 1.0},
    "real_style_dev_hard": {"concern_accuracy": 0.75, "role_accuracy": 0.85, "emergency_recall": 1.0},
}
CEILINGS = {
    "real_style_dev": {"false_emergency_rate": 0.02, "no_referral": 0.02, "median_questions": 2},
    "real_style_dev_hard": {"false_emergency_rate": 0.03, "no_referral": 0.02, "median_questions": 2},
}
NOBODY = "http://127.0.0.1:9"  # nothing listens there


class Answered:
    """A `Send` that passes each turn on and notes the sessions that got no message back."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.silent: list[str] = []

    def __call__(self, session: str, message: str, locale: str) -> list[dict[str, Any]]:
        messages = self.send(session, message, locale)
        if not messages:
            self.silent.append(session)
        return messages


def test_real_style_sets_through_the_http_api(http_api: str, artifacts: Path) -> None:
    reports = {}
    for name in TOP3_FLOOR:
        cases = read_cases([REAL_STYLE / f"{name}.jsonl"])
        with closing(ApiClient(http_api)) as client:
            send = Answered(client)
            reports[name] = evaluate(cases, send)
        reports[name]["silent_sessions"] = send.silent
    (artifacts / "real_style_eval.json").write_text(
        json.dumps(reports, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    for name, report in reports.items():
        summary = report["summary"]
        for language in (*LANGUAGES, "overall"):
            s = summary[language]
            FIGURES[f"{name} {language} (HTTP API)"] = figures_text(s)
    for name, report in reports.items():
        overall = report["summary"]["overall"]
        assert overall["errors"] == 0, (name, [c for c in report["cases"] if "error" in c][:3])
        assert report["silent_sessions"] == [], (name, report["silent_sessions"][:5])
        assert all(case["turns"] >= 1 for case in report["cases"]), name
        degraded = [case["id"] for case in report["cases"] if case["degraded"]]
        assert degraded == [], (name, degraded[:10])
        below = {
            language: report["summary"][language]["services_top3"]
            for language in LANGUAGES
            if report["summary"][language]["services_top3"] < TOP3_FLOOR[name]
        }
        assert below == {}, (name, "right service in the first three", below)
        low = {key: overall[key] for key, floor in FLOORS[name].items() if overall[key] < floor}
        high = {key: overall[key] for key, ceiling in CEILINGS[name].items() if overall[key] > ceiling}
        assert low == {} and high == {}, (name, low, high)


@pytest.fixture
def reduced_bot(tmp_path: Path) -> Iterator[ApiClient]:
    """The real HTTP API on loopback with no Rasa behind it (the reduced mode), and a client for it."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    directory = load_directory()
    db.load(directory, engine)
    service = ChatService(directory, SessionStore(engine, dt.timedelta(days=30)), RasaClient(NOBODY))
    app = create_app(service, b"k" * 32, NOBODY, EVALUATION_LIMITS)
    with served(app) as url, closing(ApiClient(url)) as client:
        assert httpx.get(f"{url}/healthz").status_code == 200
        yield client


def test_api_client_sends_buttons_as_payloads_and_keeps_the_bots_locale(reduced_bot: ApiClient) -> None:
    worried = "Je m'inquiète beaucoup pour mon fils, il regarde des vidéos extrémistes toute la journée."
    messages = reduced_bot("s1", worried, "nl")
    assert (
        reduced_bot.locales["s1"] == "fr"
    )  # the bot detected French; later turns say so, as the web chat does
    for message in messages:
        assert {"template", "asks", "buttons", "referral"} <= set(message) and message["degraded"] is True
    menu = next(m for m in messages if m["asks"] == Asks.CONCERN)
    assert all(set(button) == {"title", "payload"} for button in menu["buttons"])
    lines = next(m["referral"] for m in messages if m["referral"])
    assert lines["services"][0]["id"] == "caprev"  # the main line of the French community, not 112
    pressed = _answer(Asks.CONCERN, {"concern": "parenting"}, menu["buttons"])
    assert pressed == "/describe_parenting"
    referral = next(m["referral"] for m in reduced_bot("s1", pressed, "nl") if m["referral"])
    # Sent as a payload, the concern button gets its referral (the French community's parenting line, as
    # the bot answers in French now); sent as text it would get the menu and the main lines again.
    assert referral["services"][0]["id"] == "one"
    assert referral["situation"]["concern"] == "parenting" and referral["situation"]["language"] == "fr"
    assert reduced_bot("s2", "/ hoe werkt dit eigenlijk?", "nl")  # not a payload: sent as text, answered


def test_play_reads_the_api_messages(reduced_bot: ApiClient) -> None:
    case = {"id": "x", "lang": "nl", "text": "ik maak me zorgen over mijn zoon", "expect": {}}
    result = play(case, reduced_bot)
    assert result.error is None and result.turns == 1 and result.degraded is True
    assert result.services[0] == "opvoedingslijn"  # the reduced mode's main lines, no emergency numbers
    assert result.situation is not None and result.situation["language"] == "nl"


def test_a_place_is_answered_with_the_api_button_that_has_the_postcode() -> None:
    buttons = [
        {"title": "Antwerpen", "payload": '/inform_place{"place":"11002"}'},
        {"title": "Gent", "payload": '/inform_place{"place":"44021"}'},
    ]
    assert _answer(Asks.MUNICIPALITY, {"municipality": "9000"}, buttons) == buttons[1]["payload"]
    roles = [{"title": "Ik ben leerkracht", "payload": '/inform_role{"role":"teacher"}'}]
    assert _answer(Asks.ROLE, {"role": "teacher"}, roles) == roles[0]["payload"]


def test_eval_api_without_a_bot_says_so_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "a", "text": "hallo", "lang": "nl"}\n', encoding="utf-8")
    assert main(["eval", str(cases), "--api", NOBODY]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and "healthz" in captured.err
