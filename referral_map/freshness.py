"""How current each contact fact of the map is: which source supports it, and how old that source is.

A fact is a phone number, an e-mail address, a chat link, opening hours, a confidentiality promise or a
cost, of a service or of one of its local offices. A source supports a fact when its `supports` notes (or
its address) name it: the number's digits, the address or its domain, or the words for the kind of fact
("chat", "hours", "police", "free" ...). An office's facts may rest on the office's sources or the
service's. A fact's age is that of its newest supporting source: the page's publication `date` when
known, else the day an editor `retrieved` it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from referral_map.directory import Directory
from referral_map.schemas import STALE_AFTER, Channels, Hours, PoliceContact, Service, Source

TOO_OLD = dt.timedelta(days=5 * 365)  # a fact resting only on a source this old is shown with a warning

KIND_WORDS = {  # what a source's notes say when they support a kind of fact, in the languages they use
    "chat": r"chat",
    "hours": r"hours|uur|heures|uhr|24/7|24 ?h|day and night|dag en nacht|jour et nuit|always|open|\d{1,2}[:h.]\d\d|\d{1,2}-\d{1,2}",
    # a promise about the police rests on a page that says when secrecy is broken, not on secrecy alone
    "confidentiality": (
        r"police|politie|polizei|parquet|parket|staatsanwalt|prosecutor|justice|justitie|justiz"
        r"|broken|danger|gevaar|gefahr|without consent|zonder toestemming|sans (leur )?accord"
    ),
    "cost": r"free|gratis|gratuit|kostenlos|cost|tarif|rate|zone",
}


class State(StrEnum):
    UNSUPPORTED = "unsupported"  # no source names it
    UNDATED = "undated"  # its sources carry no date at all
    TOO_OLD = "too_old"  # the newest source is older than five years
    STALE = "stale"  # older than twelve months
    CURRENT = "current"


ORDER = {state: rank for rank, state in enumerate(State)}  # worst first


@dataclass(frozen=True)
class Fact:
    record: str  # service id, or service id/office id
    kind: str  # phone, email, chat, hours, confidentiality, cost
    value: str
    state: State
    source: str | None  # the supporting source's address
    source_date: dt.date | None
    age_days: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "record": self.record,
            "kind": self.kind,
            "value": self.value,
            "state": self.state.value,
            "source": self.source,
            "source_date": self.source_date.isoformat() if self.source_date else None,
            "age_days": self.age_days,
        }


def source_date(source: Source) -> dt.date | None:
    """The publication date ("2021-11" is read as the 1st) or, failing that, the day it was retrieved."""
    if source.date:
        parts = [int(part) for part in re.findall(r"\d+", source.date)[:3]]
        if parts and 1900 < parts[0] < 2100:
            year, month, day = [*parts, 1, 1][:3]
            return dt.date(year, min(max(month, 1), 12), min(max(day, 1), 28))
    return source.retrieved


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


PHONE_WORDS = re.compile(r"phone|telefoon|t[eé]l[eé]phone|telefon", re.IGNORECASE)


def _supports(source: Source, kind: str, value: str, own: bool) -> bool:
    """Whether `source` names the fact; `own` sources (an office's own page) may name a phone as "phone"."""
    notes = " ".join(source.supports) + " " + source.url
    if kind == "phone":
        national = _digits(value).removeprefix("0")  # "+32 471 91 94 90" names 0471 91 94 90
        named = national in _digits(" ".join(source.supports))
        return named or (own and PHONE_WORDS.search(" ".join(source.supports)) is not None)
    if kind in ("email", "url"):
        domain = value.split("@")[-1].split("//")[-1].split("/")[0].removeprefix("www.")
        return value.lower() in notes.lower() or domain.lower() in notes.lower()
    return re.search(KIND_WORDS[kind], notes, re.IGNORECASE) is not None


def _facts_of(channels: Channels, hours: Hours, service: Service | None) -> Iterator[tuple[str, str]]:
    for phone in channels.phones:
        yield "phone", phone.number
    for email in channels.emails:
        yield "email", email
    if channels.chat_url:
        yield "chat", channels.chat_url
    if hours.known:
        yield "hours", "day and night" if hours.always_open else f"{len(hours.schedules)} schedule(s)"
    if service is not None:
        if service.confidentiality.informs_police is not PoliceContact.UNKNOWN:
            yield "confidentiality", f"informs the police: {service.confidentiality.informs_police.value}"
        if service.cost.value != "unknown":
            yield "cost", service.cost.value


def _judge(
    record: str, kind: str, value: str, sources: Sequence[tuple[Source, bool]], today: dt.date
) -> Fact:
    supporting = [source for source, own in sources if _supports(source, kind, value, own)]
    if not supporting:
        return Fact(record, kind, value, State.UNSUPPORTED, None, None, None)
    dated = [(date, source) for source in supporting if (date := source_date(source))]
    if not dated:
        return Fact(record, kind, value, State.UNDATED, supporting[0].url, None, None)
    newest, source = max(dated, key=lambda pair: pair[0])
    age = today - newest
    state = State.TOO_OLD if age > TOO_OLD else State.STALE if age > STALE_AFTER else State.CURRENT
    return Fact(record, kind, value, state, source.url, newest, age.days)


def facts(directory: Directory, today: dt.date) -> list[Fact]:
    """Every contact fact of the map with its state, worst first, then oldest first."""
    found = []
    for service in directory:
        for kind, value in _facts_of(service.channels, service.hours, service):
            found.append(_judge(service.id, kind, value, [(s, False) for s in service.sources], today))
        for location in service.locations:
            for kind, value in _facts_of(location.channels, location.hours, None):
                record = f"{service.id}/{location.id}"
                sources = [(s, True) for s in location.sources] + [(s, False) for s in service.sources]
                found.append(_judge(record, kind, value, sources, today))
    return sorted(found, key=lambda fact: (ORDER[fact.state], -(fact.age_days or 0), fact.record, fact.kind))


def summary(found: Sequence[Fact]) -> dict[str, int]:
    counts = {state.value: 0 for state in State}
    for fact in found:
        counts[fact.state.value] += 1
    return counts
