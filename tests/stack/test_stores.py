"""Rasa's tracker store and lock store lines from the URLs an operator sets (stack/stores.py)."""

from __future__ import annotations

import pytest

from stack.stores import StoreUrlError, lock_store_lines, tracker_store_lines


def test_a_postgresql_url_becomes_rasas_sql_tracker_store() -> None:
    lines = tracker_store_lines("postgresql+psycopg://wegwijzer:s3cr%22t@db.local:6543/rasa")
    assert lines == (
        "  type: SQL\n  dialect: postgresql\n  url: db.local\n  port: 6543\n  db: rasa\n"
        '  username: wegwijzer\n  password: "s3cr\\"t"\n'
    )


def test_a_sqlite_url_keeps_its_file() -> None:
    assert tracker_store_lines("sqlite:////srv/var/tracker.sqlite3") == (
        "  type: SQL\n  dialect: sqlite\n  db: /srv/var/tracker.sqlite3\n"
    )


def test_a_redis_url_becomes_rasas_lock_store() -> None:
    assert lock_store_lines("redis://127.0.0.1:6379/2") == (
        "  type: redis\n  url: 127.0.0.1\n  port: 6379\n  db: 2\n"
    )
    assert "password" in lock_store_lines("redis://:pw@cache:6380")


@pytest.mark.parametrize(
    ("maker", "url"),
    [
        (tracker_store_lines, "mysql://root@127.0.0.1/rasa"),
        (tracker_store_lines, "sqlite://"),
        (lock_store_lines, "http://127.0.0.1:6379"),
        (lock_store_lines, "redis://127.0.0.1:6379/zero"),
    ],
)
def test_a_store_rasa_cannot_use_is_refused_in_one_line(maker: object, url: str) -> None:
    with pytest.raises(StoreUrlError):
        maker(url)  # type: ignore[operator]
