"""The referral map in a SQLite file, as the action server reads it."""

from __future__ import annotations

from pathlib import Path

from referral_map import db
from referral_map.directory import load_directory


def sqlite_map(folder: Path) -> str:
    """Loads the referral map into `folder`/map.sqlite3; its database URL."""
    url = f"sqlite:///{folder / 'map.sqlite3'}"
    engine = db.make_engine(url)
    db.load(load_directory(), engine)
    engine.dispose()
    return url
