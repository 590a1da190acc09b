"""Anonymous counts for operators (bot/stats.py): counted as the bot answers, no text and no ids kept,
every count below five hidden, printed by `wegwijzer stats` and drawn at /stats behind a token."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.chat import ChatService, RasaClient
from bot.cli import main
from bot.http_api import create_app
from bot.sessions import SessionStore
from bot.stats import Stats
from protocol import payloads
from referral_map import db
from referral_map.directory import load_directory
from referral_map.taxonomy import Language

NOBODY = "http://127.0.0.1:9"  # Rasa is down: the reduced mode answers from the map
TOKEN = "operator-token-0123456789"
SECRET_WORDS = "kanarie-51 mijn zoon Yusuf"


def service_at(url: str) -> ChatService:
    engine = db.make_engine(url)
    return ChatService(
        load_directory(), SessionStore(engine, dt.timedelta(days=30)), RasaClient(NOBODY), 30, Stats(engine)
    )


def parents_asking(service: ChatService, how_many: int) -> None:
    async def talk() -> None:
        for index in range(how_many):
            session = f"parent-{index}"
            await service.handle(session, text=SECRET_WORDS, locale=Language.NL)  # the menu: not counted
            await service.handle(
                session, payload="/describe_parenting", locale=Language.NL, metadata={"role": "parent"}
            )
        await service.handle("parent-0", payload=payloads.FEEDBACK_HELPFUL, locale=Language.NL)
        await service.rasa.close()

    asyncio.run(talk())


def test_the_bot_counts_what_it_answers_and_keeps_no_text_and_no_ids(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    service = service_at(url)
    parents_asking(service, 6)
    report = service.stats.report() if service.stats else None
    assert report is not None
    assert report.conversations == 6
    assert report.totals["role"]["parent"] == 6 and report.totals["concern"]["parenting"] == 6
    assert report.totals["service"]["opvoedingslijn"] == 6
    assert (report.totals["reduced_mode"]["answers"] or 0) >= 12  # every answer came without Rasa
    assert report.totals["feedback"] == {"helpful": None}  # one answer: fewer than five
    engine = db.make_engine(url)
    with engine.connect() as connection:
        rows = [" ".join(map(str, row)) for row in connection.execute(text("SELECT * FROM stat_daily_count"))]
    engine.dispose()
    assert rows and not [row for row in rows if "kanarie" in row or "Yusuf" in row or "parent-" in row]


def test_counts_below_five_are_hidden_everywhere(tmp_path: Path) -> None:
    service = service_at(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    parents_asking(service, 3)
    assert service.stats is not None
    report = service.stats.report()
    assert report.conversations is None and report.as_json()["smallest_shown"] == 5
    assert all(count is None for count in report.conversations_per_day.values())
    assert report.as_json()["role"] == {"parent": None}
    assert "<5" in service.stats.report().text()


def test_wegwijzer_stats_prints_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    parents_asking(service_at(url), 5)
    monkeypatch.setenv("WEGWIJZER_DATABASE_URL", url)
    assert main(["stats", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["conversations"] == 5 and printed["concern"] == {"parenting": 5}
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    assert main(["stats", "--since", tomorrow]) == 0
    assert capsys.readouterr().out.startswith("conversations: 0")
    assert main(["stats", "--since", "yesterday"]) == 2


def _get(app: object, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            return await client.get(path, headers=headers or {})

    return asyncio.run(go())


def test_the_stats_page_draws_them_for_whoever_holds_the_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    service = service_at(url)
    parents_asking(service, 5)
    app = create_app(service, b"k" * 32, NOBODY, stats_token=TOKEN)
    assert _get(app, "/stats").status_code == 401
    assert _get(app, "/stats?token=wrong-token-0123456789").status_code == 401
    page = _get(app, "/stats?lang=nl", {"authorization": f"Bearer {TOKEN}"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in page.text and page.text.count("<svg") >= 5
    assert "Gesprekken per dag" in page.text and "opvoedingslijn" in page.text
    assert "kanarie" not in page.text and "content-security-policy" in page.headers
    figures = _get(app, f"/stats?token={TOKEN}&format=json&since=2020-01-01").json()
    assert figures["conversations"] == 5
    assert _get(app, f"/stats?token={TOKEN}&since=01/12/2026").status_code == 422
    without = create_app(service_at(url), b"k" * 32, NOBODY)
    assert _get(without, f"/stats?token={TOKEN}").status_code == 404  # no token set: no page at all
