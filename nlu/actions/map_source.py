"""The one adapter to the referral map: loaded once from the database, else from the YAML."""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache

from sqlalchemy.exc import SQLAlchemyError

from referral_map import db
from referral_map.directory import Directory, load_directory
from referral_map.routing import RouteResult, Situation, route

log = logging.getLogger(__name__)


@cache
def directory() -> Directory:
    try:
        return db.read(db.make_engine())
    except (LookupError, SQLAlchemyError) as error:
        log.warning(
            "referral map not in the database (%s); reading the YAML data", str(error).splitlines()[0]
        )
        return load_directory()


def refer(situation: Situation, at: dt.datetime | None = None) -> RouteResult:
    return route(situation, at=at, directory=directory())
