"""Assembling the chat core every channel uses: the referral map, the session store, the Rasa client."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.chat import ChatService, RasaClient
from bot.danger import assess
from bot.language import read_language
from bot.sessions import SessionStore
from bot.settings import Settings
from bot.stats import Stats
from referral_map import db
from referral_map.directory import load_directory
from referral_map.geography import gazetteer

log = logging.getLogger(__name__)

# Read once at start-up so that the language and danger models (and the gazetteer) are loaded before the first
# user's message (about 0.6 s, which the first messages after a start otherwise wait for).
WARM_UP = (
    "Mijn zoon is de laatste tijd erg veranderd en ik maak me zorgen.",
    "Ma fille a beaucoup changé ces derniers temps et je m'inquiète.",
    "Mein Sohn hat sich in letzter Zeit sehr verändert und ich mache mir Sorgen.",
    "My son has changed a lot lately and I am worried about him.",
)


def warm_up() -> None:
    gazetteer()
    for text in WARM_UP:
        read_language(text)
        assess(text)


def build_service(settings: Settings) -> ChatService:
    """The chat core on the configured database; the map is loaded into it when missing or stale."""
    warm_up()
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
