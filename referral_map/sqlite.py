"""SQLite settings for stores written on every turn (the map's database, Rasa's tracker store).

Write-ahead logging lets the bot, the action server and Rasa read while one of them writes, and with
`synchronous=NORMAL` a commit no longer waits for the disk (no separate figure was measured for it; see
BENCHMARKS.md for the turns). A commit can be lost only if the machine itself stops, never when a process
dies. `busy_timeout` makes a writer wait for another one instead of failing.
"""

from __future__ import annotations

import sqlite3
from typing import Any

BUSY_TIMEOUT_MS = 5000


def tune_connection(connection: Any, _record: Any = None) -> None:
    """A SQLAlchemy "connect" listener; connections to other databases are left alone."""
    if not isinstance(connection, sqlite3.Connection):
        return
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()
