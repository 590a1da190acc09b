"""No message text outside the conversation store: a canary sent through the HTTP API is searched for in
every log file and every table of the bot's database (docs/DESIGN.md section 6)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Row, create_engine, inspect, select, text

from stack.processes import Stack


def test_a_message_text_is_in_no_log_and_no_table_but_the_conversation_store(
    stack: Stack, http_api: str
) -> None:
    canary = f"kanarie{uuid.uuid4().hex[:10]}"
    for words in [
        f"mijn zoon {canary} kijkt de hele dag IS-filmpjes",
        f"ik ben zijn moeder {canary}",
        f"Gent {canary}",
        f"hij heeft net een mes gekocht en zegt dat hij morgen {canary} iedereen gaat neersteken",
    ]:
        response = httpx.post(
            f"{http_api}/api/v1/chat", json={"session": canary, "text": words, "locale": "nl"}, timeout=60
        )
        assert response.status_code == 200

    logs = list((stack.state_dir / "logs").glob("*.log"))
    assert logs, "the stack writes its logs there"
    for log in logs:
        assert canary not in log.read_text(encoding="utf-8", errors="replace"), log.name

    engine = create_engine(os.environ["WEGWIJZER_DATABASE_URL"])
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            rows = connection.execute(select(text("*")).select_from(text(table))).fetchall()
            assert canary not in _whole(rows), table
    engine.dispose()

    # The conversation store itself (Rasa's tracker store) holds it until /forget or the retention limit.
    assert canary in _stored_events(stack.tracker_db)
    forgotten = httpx.post(f"{http_api}/api/v1/forget", json={"session": canary}, timeout=60)
    assert forgotten.status_code == 204
    assert canary not in _stored_events(stack.tracker_db)


def _stored_events(tracker_db: Path) -> str:
    engine = create_engine(f"sqlite:///{tracker_db}")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT data FROM events")).fetchall()
    engine.dispose()
    return _whole(rows)


def _whole(rows: Sequence[Row[Any]]) -> str:
    """Every value in full (the repr of SQLAlchemy rows shortens long strings)."""
    return "\n".join(str(value) for row in rows for value in row)
