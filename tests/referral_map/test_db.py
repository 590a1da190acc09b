"""Loading the map into SQLite (and PostgreSQL where it runs) is idempotent and loses nothing."""

import os

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral_map import db
from referral_map import models as m
from referral_map.directory import load_directory


def test_load_is_idempotent_and_reads_back_equal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    directory = load_directory()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'map.sqlite3'}")
    first = db.load(directory, engine)
    second = db.load(directory, engine)
    assert first.changed and not second.changed
    assert (first.services, first.municipalities, first.postcodes) == (len(directory), 565, 1152)
    assert (second.services, second.locations) == (first.services, first.locations)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(m.Phone)) == sum(
            len(s.channels.phones) + sum(len(loc.channels.phones) for loc in s.locations) for s in directory
        )
    assert db.read(engine) == directory


def test_changed_data_replaces_the_map_without_duplicates(tmp_path) -> None:  # type: ignore[no-untyped-def]
    directory = load_directory()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'map.sqlite3'}")
    db.load(directory, engine)
    smaller = type(directory)(dict(list(directory.services.items())[:5]), directory.rules)
    report = db.load(smaller, engine)
    assert report.changed and report.services == 5
    assert db.read(engine).services.keys() == smaller.services.keys()


def test_hsds_tables_hold_the_facts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = db.make_engine(f"sqlite:///{tmp_path / 'map.sqlite3'}")
    db.load(load_directory(), engine)
    with Session(engine) as session:
        caprev = session.get(m.Service, "caprev")
        assert caprev is not None
        assert caprev.phones[0].dial == "+3280011172"
        assert {lang.code for lang in caprev.languages} == {"fr"}
        assert caprev.sources and caprev.assured_date
        french_services = session.scalars(select(m.Language.service_id).where(m.Language.code == "fr")).all()
        assert "tele-accueil-107" in french_services


def test_reading_an_empty_database_says_what_to_do(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    m.Base.metadata.create_all(engine)
    with pytest.raises(LookupError, match="wegwijzer map load"):
        db.read(engine)


POSTGRES_URL = os.environ.get("WEGWIJZER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def test_load_into_postgresql() -> None:
    """The scaled mode's database: this machine kind runs PostgreSQL on loopback."""
    engine = db.make_engine(POSTGRES_URL)
    m.Base.metadata.drop_all(engine)
    directory = load_directory()
    assert db.load(directory, engine).changed
    assert not db.load(directory, engine).changed
    assert db.read(engine) == directory
    m.Base.metadata.drop_all(engine)
    engine.dispose()
