"""Loading the referral map into a database (SQLite by default) and reading it back."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.orm import Session, selectinload

from referral_map import models as m
from referral_map import schemas as s
from referral_map.directory import Directory
from referral_map.geography import gazetteer
from referral_map.phones import parse_phone
from referral_map.rules import RoutingRules
from referral_map.sqlite import tune_connection

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{PROJECT_DIR / 'var' / 'wegwijzer.sqlite3'}"


def database_url() -> str:
    return os.environ.get("WEGWIJZER_DATABASE_URL", DEFAULT_DB_URL)


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", tune_connection)
    return engine


@dataclass(frozen=True)
class LoadReport:
    changed: bool
    services: int
    locations: int
    municipalities: int
    postcodes: int
    fingerprint: str


def fingerprint(directory: Directory) -> str:
    payload = {
        "services": [service.model_dump(mode="json") for service in directory],
        "rules": directory.rules.model_dump(mode="json"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def load(directory: Directory, engine: Engine) -> LoadReport:
    """Replace the map in the database by `directory`, in one transaction; a no-op when unchanged."""
    m.Base.metadata.create_all(engine)
    digest = fingerprint(directory)
    with Session(engine) as session, session.begin():
        stored = session.get(m.MapMeta, "fingerprint")
        changed = stored is None or stored.value.get("sha256") != digest
        if changed:
            _clear(session)
            session.expunge_all()
            _write_geography(session)
            _write_services(session, directory)
            session.add(m.MapMeta(key="rules", value=directory.rules.model_dump(mode="json")))
            session.add(m.MapMeta(key="fingerprint", value={"sha256": digest}))
        services, locations, municipalities, postcodes = (
            session.scalar(select(func.count()).select_from(table)) or 0 for table in _COUNTED
        )
    return LoadReport(changed, services, locations, municipalities, postcodes, digest)


_COUNTED = (m.Service, m.Location, m.Municipality, m.Postcode)


def _clear(session: Session) -> None:
    for table in reversed(m.Base.metadata.sorted_tables):
        session.execute(delete(table))


def _write_geography(session: Session) -> None:
    places = list(gazetteer())
    session.add_all(
        m.Municipality(
            nis=p.nis,
            name_nl=p.names["nl"],
            name_fr=p.names["fr"],
            name_de=p.names["de"],
            province=p.province,
            region=p.region,
            community=p.community.value,
        )
        for p in places
    )
    session.flush()
    session.add_all(m.Postcode(postcode=code, nis=p.nis) for p in places for code in p.postcodes)


def _write_services(session: Session, directory: Directory) -> None:
    organizations: dict[tuple[str, str | None], m.Organization] = {}
    for service in directory:
        key = (service.organization.name, service.organization.website)
        org = organizations.get(key)
        if org is None:
            org = organizations[key] = m.Organization(name=key[0], website=key[1])
        row = m.Service(
            id=service.id,
            organization=org,
            name=service.name.model_dump(),
            description=service.description.model_dump(),
            status=service.status.value,
            cost=service.cost.value,
            anonymous=service.confidentiality.anonymous,
            informs_police=service.confidentiality.informs_police.value,
            confidentiality_note=_text(service.confidentiality.note),
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
            chat_url=service.channels.chat_url,
            website=service.channels.website,
            emails=list(service.channels.emails),
            always_open=service.hours.always_open,
            closed_on_public_holidays=service.hours.closed_on_public_holidays,
            hours_note=_text(service.hours.note),
            unverified=list(service.unverified),
            assured_date=service.last_verified,
            audiences=[m.ServiceAudience(position=i, role=v.value) for i, v in enumerate(service.audiences)],
            concerns=[m.ServiceConcern(position=i, concern=v.value) for i, v in enumerate(service.concerns)],
            urgencies=[
                m.ServiceUrgency(position=i, urgency=v.value) for i, v in enumerate(service.urgencies)
            ],
            languages=[m.Language(position=i, code=v.value) for i, v in enumerate(service.languages)],
            areas=[_area(service.service_area)],
            phones=_phones(service.channels),
            schedules=_schedules(service.hours),
            sources=_sources(service.sources),
            locations=[
                m.ServiceAtLocation(position=i, location=_location(location))
                for i, location in enumerate(service.locations)
            ],
        )
        session.add(row)


def _text(text: s.Text | None) -> dict[str, Any] | None:
    return text.model_dump() if text else None


def _area(area: s.ServiceArea) -> m.ServiceArea:
    return m.ServiceArea(
        scope=area.scope.value,
        communities=[c.value for c in area.communities],
        provinces=list(area.provinces),
        municipalities=list(area.municipalities),
    )


def _phones(channels: s.Channels) -> list[m.Phone]:
    return [
        m.Phone(
            position=i,
            number=phone.number,
            dial=parse_phone(phone.number).dial,
            type=phone.type.value,
            description=_text(phone.description),
        )
        for i, phone in enumerate(channels.phones)
    ]


def _schedules(hours: s.Hours) -> list[m.Schedule]:
    return [
        m.Schedule(
            position=i,
            byday=",".join(day.value for day in block.byday),
            opens_at=block.opens_at,
            closes_at=block.closes_at,
            channel=block.channel.value,
        )
        for i, block in enumerate(hours.schedules)
    ]


def _sources(sources: list[s.Source]) -> list[m.Source]:
    return [
        m.Source(position=i, url=src.url, date=src.date, retrieved=src.retrieved, supports=list(src.supports))
        for i, src in enumerate(sources)
    ]


def _location(location: s.Location) -> m.Location:
    address = location.address
    return m.Location(
        id=location.id,
        name=location.name.model_dump(),
        street=address.street if address else None,
        postcode=address.postcode if address else None,
        municipality_nis=address.municipality if address else None,
        chat_url=location.channels.chat_url,
        website=location.channels.website,
        emails=list(location.channels.emails),
        always_open=location.hours.always_open,
        closed_on_public_holidays=location.hours.closed_on_public_holidays,
        hours_note=_text(location.hours.note),
        area=_area(location.service_area),
        phones=_phones(location.channels),
        schedules=_schedules(location.hours),
        sources=_sources(location.sources),
    )


# --- reading back -----------------------------------------------------------------------------


def read(engine: Engine) -> Directory:
    """The directory as stored in the database; equal to the YAML it was loaded from."""
    with Session(engine) as session:
        rules_row = session.get(m.MapMeta, "rules")
        if rules_row is None:
            raise LookupError("the database holds no referral map: run `wegwijzer map load` first")
        rows = session.scalars(
            select(m.Service)
            .order_by(m.Service.id)
            .options(
                selectinload(m.Service.organization),
                selectinload(m.Service.audiences),
                selectinload(m.Service.concerns),
                selectinload(m.Service.urgencies),
                selectinload(m.Service.languages),
                selectinload(m.Service.areas),
                selectinload(m.Service.phones),
                selectinload(m.Service.schedules),
                selectinload(m.Service.sources),
                selectinload(m.Service.locations)
                .selectinload(m.ServiceAtLocation.location)
                .options(
                    selectinload(m.Location.area),
                    selectinload(m.Location.phones),
                    selectinload(m.Location.schedules),
                    selectinload(m.Location.sources),
                ),
            )
        ).all()
        services = {row.id: _service_record(row) for row in rows}
        return Directory(services, RoutingRules.model_validate(rules_row.value))


def _service_record(row: m.Service) -> s.Service:
    return s.Service.model_validate(
        {
            "id": row.id,
            "organization": {"name": row.organization.name, "website": row.organization.website},
            "name": row.name,
            "description": row.description,
            "status": row.status,
            "audiences": [a.role for a in row.audiences],
            "concerns": [c.concern for c in row.concerns],
            "urgencies": [u.urgency for u in row.urgencies],
            "languages": [lang.code for lang in row.languages],
            "service_area": _area_record(row.areas[0]),
            "channels": _channels_record(row.phones, row.chat_url, row.emails, row.website),
            "hours": _hours_record(
                row.always_open, row.schedules, row.closed_on_public_holidays, row.hours_note
            ),
            "cost": row.cost,
            "confidentiality": {
                "anonymous": row.anonymous,
                "informs_police": row.informs_police,
                "note": row.confidentiality_note,
            },
            "minimum_age": row.minimum_age,
            "maximum_age": row.maximum_age,
            "locations": [_location_record(link.location) for link in row.locations],
            "sources": [_source_record(src) for src in row.sources],
            "unverified": row.unverified,
            "last_verified": row.assured_date,
        }
    )


def _area_record(area: m.ServiceArea) -> dict[str, Any]:
    return {
        "scope": area.scope,
        "communities": area.communities,
        "provinces": area.provinces,
        "municipalities": area.municipalities,
    }


def _channels_record(
    phones: list[m.Phone], chat_url: str | None, emails: list[str], website: str | None
) -> dict[str, Any]:
    return {
        "phones": [{"number": p.number, "type": p.type, "description": p.description} for p in phones],
        "chat_url": chat_url,
        "emails": emails,
        "website": website,
    }


def _hours_record(
    always_open: bool, schedules: list[m.Schedule], on_holidays: bool, note: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "always_open": always_open,
        "schedules": [
            {
                "byday": b.byday.split(","),
                "opens_at": b.opens_at,
                "closes_at": b.closes_at,
                "channel": b.channel,
            }
            for b in schedules
        ],
        "closed_on_public_holidays": on_holidays,
        "note": note,
    }


def _source_record(src: m.Source) -> dict[str, Any]:
    return {"url": src.url, "date": src.date, "retrieved": src.retrieved, "supports": src.supports}


def _location_record(row: m.Location) -> dict[str, Any]:
    address = None
    if row.street and row.postcode and row.municipality_nis:
        address = {"street": row.street, "postcode": row.postcode, "municipality": row.municipality_nis}
    return {
        "id": row.id,
        "name": row.name,
        "address": address,
        "service_area": _area_record(row.area),
        "channels": _channels_record(row.phones, row.chat_url, row.emails, row.website),
        "hours": _hours_record(row.always_open, row.schedules, row.closed_on_public_holidays, row.hours_note),
        "sources": [_source_record(src) for src in row.sources],
    }
