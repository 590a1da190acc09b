"""The map as Open Referral HSDS 3.0 JSON, one file per service, each valid against the vendored schema.

HSDS ids are UUIDs: each is derived from Wegwijzer's own id (a UUID 5), so an export made twice gives the
same ids, and the service's canonical id travels as its `alternate_name`. HSDS holds one language per
record: the export is written in the language asked for. Times are Brussels wall-clock times; HSDS asks
for a UTC offset, which Belgium changes twice a year, so each schedule says so in its description.
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from referral_map.directory import Directory
from referral_map.geography import gazetteer
from referral_map.schemas import Channel, Channels, Hours, Location, Service, Status
from referral_map.taxonomy import Language

SCHEMA_DIR = Path(__file__).with_name("hsds")
NAMESPACE = uuid.UUID("5e2b8f0e-7d3a-4f0b-9a55-0c6f1d2e8a41")  # Wegwijzer's namespace for HSDS ids
STATUS = {Status.ACTIVE: "active", Status.INACTIVE: "inactive"}
CHANNEL_ATTENDING = {Channel.PHONE: "by phone", Channel.CHAT: "online chat", Channel.VISIT: "in person"}
WALL_CLOCK = "Brussels local time (UTC+1, UTC+2 in summer)"


def hsds_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@cache
def validator() -> Draft202012Validator:
    """A validator for an HSDS service, its `$ref`s ("phone.json") resolved among the vendored files."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), DRAFT202012))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads((SCHEMA_DIR / "service.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _phones(channels: Channels, owner: str) -> list[dict[str, Any]]:
    return [
        {"id": hsds_id(owner, "phone", phone.number), "number": phone.number, "type": phone.type.value}
        for phone in channels.phones
    ]


def _schedules(hours: Hours, owner: str) -> list[dict[str, Any]]:
    if hours.always_open:
        return [
            {
                "id": hsds_id(owner, "schedule", "always"),
                "freq": "WEEKLY",
                "description": "Open day and night.",
            }
        ]
    return [
        {
            "id": hsds_id(owner, "schedule", str(number)),
            "freq": "WEEKLY",
            "byday": ",".join(schedule.byday),
            "opens_at": schedule.opens_at,
            "closes_at": "00:00" if schedule.closes_at == "24:00" else schedule.closes_at,
            "description": f"{WALL_CLOCK}; closes at midnight"
            if schedule.closes_at == "24:00"
            else WALL_CLOCK,
            **(
                {"attending_type": CHANNEL_ATTENDING[schedule.channel]}
                if schedule.channel in CHANNEL_ATTENDING
                else {}
            ),
        }
        for number, schedule in enumerate(hours.schedules)
    ]


def _location(service: Service, location: Location, language: Language) -> dict[str, Any]:
    owner = f"{service.id}/{location.id}"
    record: dict[str, Any] = {
        "id": hsds_id(owner, "location"),
        "location_type": "physical",
        "name": location.name.get(language),
        "phones": _phones(location.channels, owner),
    }
    if location.address:
        place = gazetteer().get(location.address.municipality)
        record["addresses"] = [
            {
                "id": hsds_id(owner, "address"),
                "address_1": location.address.street,
                "city": place.name(language),
                "state_province": place.region,
                "postal_code": location.address.postcode,
                "country": "BE",
                "address_type": "physical",
            }
        ]
    return {
        "id": hsds_id(owner, "service_at_location"),
        "service_id": hsds_id(service.id),
        "location_id": record["id"],
        "location": record,
        "schedules": _schedules(location.hours, owner),
    }


def service_record(service: Service, language: Language) -> dict[str, Any]:
    """One service as an HSDS 3.0 service object, with its organization, phones, hours, areas, offices."""
    channels = service.channels
    record: dict[str, Any] = {
        "id": hsds_id(service.id),
        "name": service.name.get(language),
        "alternate_name": service.id,
        "description": service.description.get(language),
        "status": STATUS[service.status],
        "assured_date": service.last_verified.isoformat(),
        "organization": {
            "id": hsds_id("organization", service.organization.name),
            "name": service.organization.name,
            "description": service.organization.name,
            **({"website": service.organization.website} if service.organization.website else {}),
        },
        "phones": _phones(channels, service.id),
        "schedules": _schedules(service.hours, service.id),
        "languages": [
            {"id": hsds_id(service.id, "language", code.value), "code": code.value}
            for code in service.languages
        ],
        "service_areas": [
            {
                "id": hsds_id(service.id, "area"),
                "name": ", ".join(
                    [*(c.value for c in service.service_area.communities), *service.service_area.provinces]
                )
                or service.service_area.scope.value,
                "description": f"scope: {service.service_area.scope.value}",
            }
        ],
        "service_at_locations": [_location(service, location, language) for location in service.locations],
    }
    if channels.website:
        record["url"] = channels.website
    if channels.emails:
        record["email"] = channels.emails[0]
    if service.cost.value != "unknown":
        record["fees_description"] = service.cost.value
    return record


def export(directory: Directory, folder: Path, language: Language) -> list[Path]:
    """Write `folder/<service id>.json` for every service; raise `jsonschema.ValidationError` on an invalid one."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for service in directory:
        record = service_record(service, language)
        validator().validate(record)
        path = folder / f"{service.id}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
