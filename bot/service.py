"""Assembling the chat core every channel uses: the referral map, the session store, the Rasa client."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.chat import ChatService, RasaClient
from bot.sessions import SessionStore
from bot.settings import Settings
from bot.stats import Stats
from referral_map import db
from referral_map.directory import load_directory

log = logging.getLogger(__name__)


def build_service(settings: Settings) -> ChatService:
    """The chat core on the configured database; the map is loaded into it when missing or stale."""
    engine = db.make_engine(settings.database_url)
    directory = load_directory()
    try:
        db.load(directory, engine)
    except SQLAlchemyError as error:
        log.warning("cannot load the referral map into the database (%s): using the YAML data", error)
    return ChatService(
        directory,
        SessionStore(engine, settings.retention),
        RasaClient(settings.rasa_urls, timeout=settings.rasa_timeout, tracker_db_url=settings.tracker_db_url),
        settings.retention_days,
        Stats(engine),
    )
