"""Rasa's tracker store and lock store, as endpoints.yml lines, from the URLs an operator sets.

`WEGWIJZER_TRACKER_DB_URL` is the SQLAlchemy URL the bot also uses to forget a conversation
(`postgresql+psycopg://user:password@host:5432/db`, `sqlite:////path/tracker.sqlite3`);
`WEGWIJZER_LOCK_STORE_URL` is `redis://host:6379/0`. Several Rasa servers need both shared: the tracker
store holds each conversation, the lock store keeps one conversation's turns in order across servers.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# SQLAlchemy dialect names to the ones Rasa's SQLTrackerStore writes in its own URL.
RASA_DIALECTS = {"postgresql": "postgresql", "sqlite": "sqlite"}


class StoreUrlError(ValueError):
    """A store URL Rasa cannot use, said in one line."""


def tracker_store_lines(url: str) -> str:
    """The `tracker_store:` block (indented lines) for Rasa's SQL tracker store at `url`."""
    parsed = make_url(url)
    dialect = RASA_DIALECTS.get(parsed.get_backend_name())
    if dialect is None:
        raise StoreUrlError(f"tracker store {parsed.get_backend_name()!r}: use postgresql or sqlite")
    if dialect == "sqlite":
        if not parsed.database:
            raise StoreUrlError("a SQLite tracker store needs a file: sqlite:////path/tracker.sqlite3")
        return f"  type: SQL\n  dialect: sqlite\n  db: {parsed.database}\n"
    lines = [
        "  type: SQL",
        "  dialect: postgresql",
        f"  url: {parsed.host or '127.0.0.1'}",
        f"  port: {parsed.port or 5432}",
        f"  db: {parsed.database or 'postgres'}",
    ]
    if parsed.username:
        lines.append(f"  username: {parsed.username}")
    if parsed.password:
        lines.append(f"  password: {_quoted(parsed.password)}")
    return "\n".join(lines) + "\n"


def lock_store_lines(url: str) -> str:
    """The `lock_store:` block for Rasa's Redis lock store at `redis://[:password@]host[:port][/db]`."""
    parts = urlsplit(url)
    if parts.scheme != "redis" or not parts.hostname:
        raise StoreUrlError(f"lock store {url!r}: expected redis://host:6379/0")
    database = parts.path.strip("/") or "0"
    if not database.isdigit():
        raise StoreUrlError(f"lock store {url!r}: the database after the port is a number")
    lines = [
        "  type: redis",
        f"  url: {parts.hostname}",
        f"  port: {parts.port or 6379}",
        f"  db: {database}",
    ]
    if parts.password:
        lines.append(f"  password: {_quoted(unquote(parts.password))}")
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def recreate_database(server_url: str, name: str) -> None:
    """Drop the PostgreSQL database `name` if it exists and create it empty; `server_url` is a database
    to connect to meanwhile (`postgresql+psycopg://postgres@127.0.0.1:5432/postgres`)."""
    _administer(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")


def drop_database(server_url: str, name: str) -> None:
    _administer(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _administer(server_url: str, *statements: str) -> None:
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        server.dispose()
