"""'This information is wrong': the report store, the HTTP endpoint and the editors' command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from bot.chat import ChatService, RasaClient
from bot.http_api import create_app
from bot.http_guard import Limits
from bot.sessions import SessionStore, pseudonym
from referral_map import db
from referral_map.cli import main
from referral_map.directory import load_directory
from referral_map.mistakes import MAX_COMMENT, MistakeReport
from tests.bot.test_http_api import InProcess


@pytest.fixture
def bot(tmp_path: Path) -> InProcess:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    directory = load_directory()
    service = ChatService(
        directory, SessionStore(engine, dt.timedelta(days=30)), RasaClient("http://127.0.0.1:9")
    )
    limits = Limits(reports_per_address=4)
    return InProcess(create_app(service, b"k" * 32, "http://127.0.0.1:9", limits), service)


def _rows(bot: InProcess) -> list[MistakeReport]:
    with Session(bot.service.store.engine) as session:
        return list(session.scalars(select(MistakeReport)))


def test_a_report_is_kept_without_any_id_of_the_user(bot: InProcess) -> None:
    chatted = bot.post("/api/v1/chat", json={"session": "s-canary-7", "text": "help", "locale": "nl"})
    assert chatted.status_code == 200
    answer = bot.post(
        "/api/v1/report",
        json={"service": "caw", "comment": "het nummer klopt niet", "locale": "nl", "session": "s-canary-7"},
    )
    assert answer.status_code == 201
    assert answer.json()["message"].startswith("Dank je.")
    [row] = _rows(bot)
    assert (row.service_id, row.comment, row.language) == ("caw", "het nummer klopt niet", "nl")
    columns = {
        column["name"] for column in inspect(bot.service.store.engine).get_columns("map_mistake_report")
    }
    assert columns == {"id", "service_id", "location_id", "comment", "language", "reported_on", "closed_on"}
    stored = json.dumps([getattr(row, name) for name in sorted(columns)], default=str)
    assert "s-canary-7" not in stored
    assert pseudonym(b"k" * 32, "web", "s-canary-7") not in stored  # nor the session's pseudonym


def test_an_office_may_be_named(bot: InProcess) -> None:
    body = {"service": "justitiehuizen-vlaanderen", "location": "justitiehuis-gent", "locale": "fr"}
    assert bot.post("/api/v1/report", json=body).status_code == 201
    assert _rows(bot)[0].location_id == "justitiehuis-gent"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"service": "no-such-service", "locale": "nl"}, 422, "unknown_service"),
        ({"service": "caw", "location": "justitiehuis-gent", "locale": "nl"}, 422, "unknown_location"),
        ({"service": "caw", "comment": "x" * 10_000, "locale": "nl"}, 413, "comment_too_long"),
        (
            {"service": "caw", "comment": "<script>alert(1)</script>", "locale": "nl"},
            422,
            "markup_in_comment",
        ),
        (
            {"service": "caw", "comment": "see [here](http://x.example)", "locale": "nl"},
            422,
            "markup_in_comment",
        ),
        ({"service": "caw", "comment": 12, "locale": "nl"}, 422, "invalid_comment"),
        ({"service": "caw", "locale": "xx"}, 422, "unknown_locale"),
        ({"service": ["caw"], "locale": "nl"}, 422, "unknown_service"),
    ],
)
def test_a_bad_report_is_refused_with_a_clear_message(
    bot: InProcess, body: dict[str, object], status: int, code: str
) -> None:
    answer = bot.post("/api/v1/report", json=body)
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code
    assert _rows(bot) == []


def test_a_comment_at_the_limit_is_kept(bot: InProcess) -> None:
    assert (
        bot.post(
            "/api/v1/report", json={"service": "caw", "comment": "y" * MAX_COMMENT, "locale": "en"}
        ).status_code
        == 201
    )


def test_reports_are_rate_limited_per_address(bot: InProcess) -> None:
    statuses = [
        bot.post("/api/v1/report", json={"service": "caw", "locale": "de"}).status_code for _ in range(6)
    ]
    assert statuses == [201, 201, 201, 201, 429, 429]
    limited = bot.post("/api/v1/report", json={"service": "caw", "locale": "de"})
    assert limited.json()["error"]["code"] == "rate_limited"
    assert len(_rows(bot)) == 4


def test_editors_list_and_close_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'map.sqlite3'}"
    from referral_map.mistakes import MistakeReports

    store = MistakeReports(db.make_engine(url), load_directory())
    first = store.add("caw", None, "wrong hours", "en")
    store.add("awel-102", None, None, "nl")
    assert main(["map", "reports", "--db", url, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["reports"]
    assert [item["service"] for item in listed] == ["caw", "awel-102"]
    assert main(["map", "reports", "--db", url, "--close", str(first.id)]) == 0
    capsys.readouterr()
    assert main(["map", "reports", "--db", url, "--json"]) == 0
    assert [item["service"] for item in json.loads(capsys.readouterr().out)["reports"]] == ["awel-102"]
    assert main(["map", "reports", "--db", url, "--all"]) == 0
    assert "wrong hours" in capsys.readouterr().out
    assert main(["map", "reports", "--db", url, "--close", str(first.id)]) == 2  # already closed
