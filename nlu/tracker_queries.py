"""Rasa's SQL tracker store reading and writing with SQLAlchemy Core statements instead of ORM objects
(runs in `.venv-rasa`; mypy leaves it out).

A profile of the Rasa server under load (BENCHMARKS.md) put about 30% of its busy time in the SQL tracker
store, most of it the ORM's own work: building a `Query` for every read, making an object of every event
row it loads (some 40 per conversation of three turns) only to read one column, and running the unit of
work to insert a turn's dozen events. The same SQL is now sent as Core statements: the same rows are
read (the `data` column only) in the same order, the same rows written, in one transaction, and the
tracker is built from them as Rasa builds it (`tests/nlu/test_tracker_queries.py` compares both ways on
SQLite, and `tests/stack/test_workers.py` runs them on PostgreSQL).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


def _of_the_session(table: sa.Table, sender_id: str, all_sessions: bool) -> Any:
    """Rasa's `_event_query` filter: the sender's events, only those since its latest session start."""
    condition = table.c.sender_id == sender_id
    if all_sessions:
        return condition
    started = (
        sa.select(sa.func.max(table.c.timestamp))
        .where(table.c.sender_id == sender_id, table.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    return sa.and_(condition, sa.or_(table.c.timestamp >= started, started.is_(None)))


async def _retrieve(
    self: SQLTrackerStore, sender_id: str, fetch_events_from_all_sessions: bool
) -> DialogueStateTracker | None:
    table = self.SQLEvent.__table__
    query = (
        sa.select(table.c.data)
        .where(_of_the_session(table, sender_id, fetch_events_from_all_sessions))
        .order_by(table.c.id)
    )
    with self.engine.connect() as connection:
        events = [json.loads(data) for data in connection.execute(query).scalars()]
    if self.domain and events:
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
    return None


async def save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    await self.stream_events(tracker)
    table = self.SQLEvent.__table__
    stored = (
        sa.select(sa.func.count()).select_from(table).where(_of_the_session(table, tracker.sender_id, False))
    )
    with self.engine.begin() as connection:
        already = connection.execute(stored).scalar_one()
        rows = []
        for event in itertools.islice(tracker.events, already, None):
            data = event.as_dict()
            rows.append(
                {
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                }
            )
        if rows:
            connection.execute(table.insert(), rows)


def install() -> None:
    SQLTrackerStore._retrieve = _retrieve  # type: ignore[method-assign]
    SQLTrackerStore.save = save  # type: ignore[method-assign]
