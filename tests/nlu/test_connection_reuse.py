"""The Rasa server keeps its connections (nlu/connection_reuse.py): one aiohttp session per endpoint and
event loop, left open by `async with`, and a pool for a SQLite tracker store only.

Runs in `.venv-rasa`, where Rasa, aiohttp and SQLAlchemy 1.4 live: a child process prints what it finds.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.auxil.rasa_env import run_in_rasa

CHECK = """
import asyncio, json
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig
from nlu import connection_reuse
connection_reuse.install()

async def sessions():
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
    async with endpoint.session() as first:
        pass
    async with endpoint.session() as second:
        pass
    other = EndpointConfig("http://127.0.0.1:9/webhook")
    async with other.session() as third:
        pass
    found = {"same": first is second, "open": not first.closed, "own": third is not first}
    await first.close()
    await third.close()
    return found

found = asyncio.run(sessions())
found["fresh_loop"] = True
endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
async def one():
    async with endpoint.session() as session:
        return session
before = asyncio.run(one())
after = asyncio.run(one())
found["fresh_loop"] = before is not after
sqlite = SQLTrackerStore(dialect="sqlite", db="{db}")
found["sqlite_pool"] = type(sqlite.engine.pool).__name__
found["postgres"] = connection_reuse.engine_kwargs("postgresql://u@127.0.0.1:1/x")
found["memory"] = connection_reuse.engine_kwargs("sqlite://")
print("FOUND " + json.dumps(found))
"""


def test_connections_are_kept(tmp_path: Path) -> None:
    db = f"{tmp_path}/tracker.sqlite3"
    [line] = [line for line in run_in_rasa(CHECK.replace("{db}", db)) if line.startswith("FOUND ")]
    found = json.loads(line.removeprefix("FOUND "))
    assert found["same"] and found["open"] and found["own"]  # one session per endpoint, left open
    assert found["fresh_loop"]  # a session is never used outside the event loop it was made in
    assert found["sqlite_pool"] == "QueuePool"
    assert found["postgres"] == {"pool_size": 50, "max_overflow": 100}  # Rasa's own, unchanged
    assert found["memory"] == {}
