"""What the scaled mode's tests need: PostgreSQL and Redis on loopback, and a database of their own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from stack.processes import listening
from stack.stores import drop_database, recreate_database

SERVER = os.environ.get("WEGWIJZER_TEST_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS = os.environ.get("WEGWIJZER_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


REQUIRED = os.environ.get("WEGWIJZER_REQUIRE_SCALED") == "1"  # set by .ci/run: the CI machine has both


def require_postgres_and_redis() -> None:
    """Skip, saying why, on a machine without the scaled mode's servers on loopback; fail where they are
    required (CI), so that the scaled mode's tests never pass by not running."""
    if not listening("127.0.0.1", 5432) or not listening("127.0.0.1", 6379):
        why = "the scaled mode needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379"
        if REQUIRED:
            pytest.fail(why)
        pytest.skip(why)


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """An empty PostgreSQL database for the time of the block; its URL."""
    recreate_database(f"{SERVER}/test", name)
    try:
        yield f"{SERVER}/{name}"
    finally:
        drop_database(f"{SERVER}/test", name)
