"""SQLAlchemy 2 tables of the referral map, named after Open Referral HSDS.

Per-language text is kept as JSON objects ({"nl": ..., "fr": ..., "de": ..., "en": ...});
audiences, concerns, urgency levels and languages are rows of their own so
that coverage can be queried in SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class Organization(Base):
    __tablename__ = "organization"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (UniqueConstraint("name", "website"),)


class Service(Base):
    __tablename__ = "service"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[dict[str, Any]]
    description: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20))
    cost: Mapped[str] = mapped_column(String(20))
    anonymous: Mapped[bool | None] = mapped_column(Boolean)
    informs_police: Mapped[str] = mapped_column(String(30))
    confidentiality_note: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    chat_url: Mapped[str | None] = mapped_column(String(500))
    website: Mapped[str | None] = mapped_column(String(500))
    emails: Mapped[list[str]]
    always_open: Mapped[bool]
    closed_on_public_holidays: Mapped[bool]
    hours_note: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    unverified: Mapped[list[str]]
    assured_date: Mapped[dt.date] = mapped_column(Date)  # the record's last_verified

    organization: Mapped[Organization] = relationship()
    audiences: Mapped[list[ServiceAudience]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceAudience.position"
    )
    concerns: Mapped[list[ServiceConcern]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceConcern.position"
    )
    urgencies: Mapped[list[ServiceUrgency]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceUrgency.position"
    )
    languages: Mapped[list[Language]] = relationship(
        cascade="all, delete-orphan", order_by="Language.position"
    )
    locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceAtLocation.position"
    )
    areas: Mapped[list[ServiceArea]] = relationship(
        cascade="all, delete-orphan",
        primaryjoin="and_(Service.id == ServiceArea.service_id, ServiceArea.location_id == None)",
    )
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan",
        primaryjoin="and_(Service.id == Phone.service_id, Phone.location_id == None)",
        order_by="Phone.position",
    )
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan",
        primaryjoin="and_(Service.id == Schedule.service_id, Schedule.location_id == None)",
        order_by="Schedule.position",
    )
    sources: Mapped[list[Source]] = relationship(
        cascade="all, delete-orphan",
        primaryjoin="and_(Service.id == Source.service_id, Source.location_id == None)",
        order_by="Source.position",
    )


class _Tag:
    position: Mapped[int] = mapped_column(Integer, primary_key=True)


class ServiceAudience(_Tag, Base):
    __tablename__ = "service_audience"
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(30), index=True)


class ServiceConcern(_Tag, Base):
    __tablename__ = "service_concern"
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    concern: Mapped[str] = mapped_column(String(30), index=True)


class ServiceUrgency(_Tag, Base):
    __tablename__ = "service_urgency"
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    urgency: Mapped[str] = mapped_column(String(20))


class Language(_Tag, Base):
    """HSDS language: one row per language a service is offered in (ISO 639-1 code)."""

    __tablename__ = "language"
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(2), index=True)


class Location(Base):
    __tablename__ = "location"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[dict[str, Any]]
    street: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(4))
    municipality_nis: Mapped[str | None] = mapped_column(String(5))
    chat_url: Mapped[str | None] = mapped_column(String(500))
    website: Mapped[str | None] = mapped_column(String(500))
    emails: Mapped[list[str]]
    always_open: Mapped[bool]
    closed_on_public_holidays: Mapped[bool]
    hours_note: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    area: Mapped[ServiceArea] = relationship(cascade="all, delete-orphan", single_parent=True)
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan", order_by="Phone.position")
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan", order_by="Schedule.position"
    )
    sources: Mapped[list[Source]] = relationship(cascade="all, delete-orphan", order_by="Source.position")


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int]
    location: Mapped[Location] = relationship(cascade="all, delete-orphan", single_parent=True)


class _Detail:
    """Rows that belong either to a service or to one of its locations."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)


class ServiceArea(_Detail, Base):
    __tablename__ = "service_area"
    scope: Mapped[str] = mapped_column(String(20))
    communities: Mapped[list[str]]
    provinces: Mapped[list[str]]
    municipalities: Mapped[list[str]]


class Phone(_Detail, Base):
    __tablename__ = "phone"
    number: Mapped[str] = mapped_column(String(40))
    dial: Mapped[str] = mapped_column(String(20))  # E.164 or the short number
    type: Mapped[str] = mapped_column(String(10))
    description: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Schedule(_Detail, Base):
    __tablename__ = "schedule"
    byday: Mapped[str] = mapped_column(String(20))  # "MO,TU,WE"
    opens_at: Mapped[str] = mapped_column(String(5))
    closes_at: Mapped[str] = mapped_column(String(5))
    channel: Mapped[str] = mapped_column(String(10))


class Source(_Detail, Base):
    __tablename__ = "source"
    url: Mapped[str] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(20))
    retrieved: Mapped[dt.date | None] = mapped_column(Date)
    supports: Mapped[list[str]]


class Municipality(Base):
    __tablename__ = "municipality"
    nis: Mapped[str] = mapped_column(String(5), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(100))
    name_fr: Mapped[str] = mapped_column(String(100))
    name_de: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(5))
    region: Mapped[str] = mapped_column(String(5))
    community: Mapped[str] = mapped_column(String(10))


class Postcode(Base):
    __tablename__ = "postcode"
    postcode: Mapped[str] = mapped_column(String(4), primary_key=True)
    nis: Mapped[str] = mapped_column(ForeignKey("municipality.nis"), primary_key=True)


class MapMeta(Base):
    """The routing rules and a fingerprint of the loaded data."""

    __tablename__ = "map_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]]
