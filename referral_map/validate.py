"""`wegwijzer map validate`: every problem in the data, with file and line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import yaml

from referral_map.directory import DATA_DIR, Directory, read_directory
from referral_map.geography import gazetteer
from referral_map.phones import InvalidPhoneError, parse_phone
from referral_map.schemas import STALE_AFTER, Channels, Service, ServiceArea
from referral_map.taxonomy import CANONICAL_SERVICE_IDS
from referral_map.yaml_source import Problem, Severity, read_yaml


def validate(data_dir: Path = DATA_DIR, today: dt.date | None = None) -> list[Problem]:
    """Schema problems first; if the schema holds, links, phones, places and freshness too."""
    directory, problems = read_directory(data_dir)
    if directory is None:
        return problems
    return problems + list(_semantic_problems(directory, data_dir, today or dt.date.today()))


def _semantic_problems(directory: Directory, data_dir: Path, today: dt.date) -> Iterator[Problem]:
    yield from _rule_links(directory, data_dir)
    for service_id in CANONICAL_SERVICE_IDS:
        if service_id not in directory.services:
            yield Problem(
                "services/",
                None,
                "id",
                f"canonical service {service_id!r} (docs/DESIGN.md section 3) is missing",
            )
    location_owner: dict[str, str] = {}
    for service in directory:
        file, line = directory.origins[service.id]
        for location in service.locations:
            if location.id in location_owner:
                owner = location_owner[location.id]
                yield Problem(
                    file, line, "locations", f"location id {location.id!r} also used by service {owner!r}"
                )
            location_owner[location.id] = service.id
        yield from _service_problems(service, file, line, today)


def _rule_links(directory: Directory, data_dir: Path) -> Iterator[Problem]:
    rules_path = data_dir / "routing.yaml"
    name = directory.rules_file
    document, _ = read_yaml(rules_path, name)
    for rule_id, service_id in directory.rules.service_ids():
        if service_id not in directory.services:
            line = _line_of_value(document.node if document else None, service_id)
            yield Problem(
                name,
                line,
                rule_id,
                f"rule {rule_id!r} names service {service_id!r}, which has no record in services/",
            )


def _line_of_value(node: object, value: str) -> int | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode) and current.value == value:
            return int(current.start_mark.line) + 1
        if isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            for key, child in reversed(current.value):
                stack.extend([child, key])
    return None


def _service_problems(service: Service, file: str, line: int | None, today: dt.date) -> Iterator[Problem]:
    def problem(field: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
        return Problem(file, line, f"{service.id}.{field}", message, severity)

    yield from (problem("channels.phones", message) for message in _phone_problems(service.channels))
    yield from (problem("service_area", message) for message in _area_problems(service.service_area))
    for location in service.locations:
        yield from (problem(f"locations.{location.id}", m) for m in _phone_problems(location.channels))
        yield from (problem(f"locations.{location.id}", m) for m in _area_problems(location.service_area))
    if today - service.last_verified > STALE_AFTER:
        age = (today - service.last_verified).days // 30
        yield problem(
            "last_verified",
            f"last verified {service.last_verified.isoformat()} ({age} months ago): check the facts again",
            Severity.WARNING,
        )
    if service.last_verified > today:
        yield problem("last_verified", f"{service.last_verified.isoformat()} is in the future")
    description = service.description
    if len({description.nl, description.fr, description.de, description.en}) == 1:
        yield problem("description", "the same text in all four languages: translate it")


def _phone_problems(channels: Channels) -> Iterator[str]:
    for phone in channels.phones:
        try:
            parse_phone(phone.number)
        except InvalidPhoneError as error:
            yield str(error)


def _area_problems(area: ServiceArea) -> Iterator[str]:
    places = gazetteer()
    provinces = {m.province for m in places}
    for nis in area.municipalities:
        if nis not in places.by_nis:
            yield f"unknown municipality NIS code {nis}"
    for nis in area.provinces:
        if nis not in provinces:
            yield f"unknown province NIS code {nis}"
