"""Connections the Rasa server keeps instead of opening one per use (runs in `.venv-rasa`; mypy leaves it
out).

A profile of the Rasa server under load (BENCHMARKS.md) found two kinds of connection made anew for every
use, about a sixth of its busy time between them:

- Every call to the action server opened a new aiohttp session, and with it a new TCP connection
  (`EndpointConfig.session`, used as `async with endpoint.session() as session`). Each endpoint now keeps
  one session, with keep-alive connections, for the event loop it was made in; `async with` no longer
  closes it. Idle connections are dropped after `KEEP_ALIVE_S`, before the action server (Sanic, 5 s)
  drops its end.
- SQLAlchemy 1.4, which Rasa 3.6 pins, gives a SQLite file database no connection pool: every read and
  write of a conversation opened the file, read its schema and closed it again. A SQLite tracker store
  now keeps its connections in a pool (what SQLAlchemy 2 does by default).
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import aiohttp
import rasa.core.tracker_store as tracker_store
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

KEEP_ALIVE_S = 2.0
_rasa_engine_kwargs = tracker_store.create_engine_kwargs


class _KeptSession:
    """`async with` on a kept session: gives the session, leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None


def kept_session(self: EndpointConfig) -> _KeptSession:
    loop = asyncio.get_running_loop()
    kept: aiohttp.ClientSession | None = getattr(self, "_kept_session", None)
    if kept is None or kept.closed or kept._loop is not loop:
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        kept = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE_S),
        )
        self._kept_session = kept
    return _KeptSession(kept)


def engine_kwargs(url: Any) -> dict[str, Any]:
    """Rasa's `create_engine` arguments, with a pool for a SQLite file."""
    kwargs: dict[str, Any] = _rasa_engine_kwargs(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        kwargs |= {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}
    return kwargs


def install() -> None:
    EndpointConfig.session = kept_session  # type: ignore[method-assign]
    tracker_store.create_engine_kwargs = engine_kwargs


__all__ = ["KEEP_ALIVE_S", "engine_kwargs", "install", "kept_session"]
