"""Pydantic records for the YAML directory, named after Open Referral HSDS.

HSDS core names (organization, service, location, service_at_location, phone,
schedule, service_area, language, assured_date) are kept; what Wegwijzer needs
beyond them (per-language text, audiences, concerns, urgency levels served,
confidentiality, sources) is added as extension fields.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from referral_map.taxonomy import Community, Concern, Language, Role, Urgency

# Facts not checked for this long are flagged to editors (map validate) and to users (the card).
STALE_AFTER = dt.timedelta(days=365)

SERVICE_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Record):
    """One sentence or name in each of the four languages."""

    nl: str = Field(min_length=1)
    fr: str = Field(min_length=1)
    de: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: Language | str) -> str:
        return str(getattr(self, str(language)))


class Source(Record):
    url: str = Field(pattern=r"^https?://")
    date: str | None = Field(default=None, description="publication date of the page, as precise as known")
    retrieved: dt.date | None = Field(default=None, description="when a Wegwijzer editor saw the page")
    supports: list[str] = Field(min_length=1)


class PhoneType(StrEnum):
    VOICE = "voice"
    TEXT = "text"
    FAX = "fax"


class Phone(Record):
    number: str = Field(min_length=2)
    type: PhoneType = PhoneType.VOICE
    description: Text | None = None


class Weekday(StrEnum):
    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    VISIT = "visit"
    ANY = "any"


class Schedule(Record):
    """One weekly opening block (HSDS schedule with byday/opens_at/closes_at)."""

    byday: list[Weekday] = Field(min_length=1)
    opens_at: str
    closes_at: str
    channel: Channel = Channel.ANY

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not TIME_OF_DAY.match(value):
            raise ValueError(f"expected HH:MM, got {value!r}")
        return value

    @model_validator(mode="after")
    def _opens_before_closing(self) -> Schedule:
        if self.opens_at >= self.closes_at:
            raise ValueError(f"opens_at {self.opens_at} is not before closes_at {self.closes_at}")
        return self


class Hours(Record):
    """Opening hours. `always_open` for lines open day and night on every channel; `schedules` otherwise,
    each for one channel or any ("phone 00:00-24:00 every day, chat 17:00-24:00"); neither: unknown."""

    always_open: bool = False
    schedules: list[Schedule] = Field(default_factory=list)
    closed_on_public_holidays: bool = True
    note: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Hours:
        if self.always_open and self.schedules:
            raise ValueError("a service is either always_open or has schedules, not both")
        return self

    @property
    def known(self) -> bool:
        return self.always_open or bool(self.schedules)


class Scope(StrEnum):
    """How far a service reaches, from most to least local."""

    MUNICIPALITY = "municipality"
    PROVINCE = "province"
    COMMUNITY = "community"
    NATIONAL = "national"


class ServiceArea(Record):
    scope: Scope
    communities: list[Community] = Field(default_factory=list)
    provinces: list[str] = Field(default_factory=list, description="province NIS codes (04000 for Brussels)")
    municipalities: list[str] = Field(default_factory=list, description="municipality NIS codes")

    @model_validator(mode="after")
    def _scope_has_places(self) -> ServiceArea:
        needed = {
            Scope.COMMUNITY: self.communities,
            Scope.PROVINCE: self.provinces,
            Scope.MUNICIPALITY: self.municipalities,
        }.get(self.scope)
        if needed is not None and not needed:
            raise ValueError(f"scope {self.scope.value} needs a list of {self.scope.value}s")
        return self


class Cost(StrEnum):
    FREE = "free"
    CALL_RATE = "call_rate"
    PAID = "paid"
    UNKNOWN = "unknown"


class PoliceContact(StrEnum):
    """Whether and when the service may inform police or security services."""

    NEVER = "never"
    IMMINENT_DANGER = "imminent_danger"
    YES = "yes"
    UNKNOWN = "unknown"


class Confidentiality(Record):
    anonymous: bool | None = Field(description="true: can be used without giving a name; null: unknown")
    informs_police: PoliceContact = PoliceContact.UNKNOWN
    note: Text | None = None


class Channels(Record):
    phones: list[Phone] = Field(default_factory=list)
    chat_url: str | None = Field(default=None, pattern=r"^https?://")
    emails: list[str] = Field(default_factory=list)
    website: str | None = Field(default=None, pattern=r"^https?://")

    @field_validator("emails")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", value):
                raise ValueError(f"not an e-mail address: {value!r}")
        return values


class Address(Record):
    street: str
    postcode: str = Field(pattern=r"^\d{4}$")
    municipality: str = Field(pattern=r"^\d{5}$", description="NIS code")


class Location(Record):
    """A local office of a service (HSDS location + service_at_location)."""

    id: Annotated[str, Field(pattern=SERVICE_ID)]
    name: Text
    address: Address | None = None
    service_area: ServiceArea
    channels: Channels = Field(default_factory=Channels)
    hours: Hours = Field(default_factory=Hours)
    sources: list[Source] = Field(min_length=1)


class Organization(Record):
    name: str = Field(min_length=1)
    website: str | None = Field(default=None, pattern=r"^https?://")


class Status(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class Service(Record):
    id: Annotated[str, Field(pattern=SERVICE_ID)]
    organization: Organization
    name: Text
    description: Text
    status: Status = Status.ACTIVE
    audiences: list[Role] = Field(min_length=1)
    concerns: list[Concern] = Field(min_length=1)
    urgencies: list[Urgency] = Field(min_length=1)
    languages: list[Language] = Field(min_length=1)
    service_area: ServiceArea
    channels: Channels
    hours: Hours = Field(default_factory=Hours)
    cost: Cost = Cost.UNKNOWN
    confidentiality: Confidentiality
    minimum_age: int | None = Field(default=None, ge=0)
    maximum_age: int | None = Field(default=None, ge=0)
    locations: list[Location] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    unverified: list[str] = Field(default_factory=list, description="facts looked for and not confirmed")
    last_verified: dt.date = Field(description="stored as HSDS assured_date")

    @model_validator(mode="after")
    def _reachable(self) -> Service:
        channels = self.channels
        if not (
            channels.phones or channels.chat_url or channels.emails or channels.website or self.locations
        ):
            raise ValueError("a service needs at least one way to reach it")
        return self
