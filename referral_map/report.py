"""Turning services and routes into rows, tables and JSON for the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from referral_map.directory import Directory
from referral_map.phones import parse_phone
from referral_map.routing import Referral, RouteResult, Situation, route
from referral_map.schemas import Channels, Service
from referral_map.taxonomy import Concern, Language, Role

# One representative place per community; Brussels twice, once per language.
COVERAGE_PLACES: tuple[tuple[str, str, Language], ...] = (
    ("flemish", "44021", Language.NL),
    ("french", "62063", Language.FR),
    ("german", "63023", Language.DE),
    ("brussels", "21004", Language.NL),
    ("brussels", "21004", Language.FR),
)


def first_phone(channels: Channels) -> dict[str, str] | None:
    if not channels.phones:
        return None
    phone = parse_phone(channels.phones[0].number)
    return {"number": phone.national, "tel": phone.tel_uri}


def service_rows(directory: Directory) -> list[dict[str, Any]]:
    return [
        {
            "id": service.id,
            "name": service.name.nl
            if Language.NL in service.languages
            else service.name.get(service.languages[0]),
            "phone": (first_phone(service.channels) or {}).get("number", ""),
            "communities": ",".join(c.value for c in service.service_area.communities)
            or service.service_area.scope,
            "last_verified": service.last_verified.isoformat(),
        }
        for service in directory
    ]


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    widths = {c: max([len(c), *(len(str(row.get(c, ""))) for row in rows)]) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns), "  ".join("-" * widths[c] for c in columns)]
    lines += ["  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def describe(service: Service) -> str:
    phones = ", ".join(p.number for p in service.channels.phones) or "unknown"
    hours = (
        "24/7"
        if service.hours.always_open
        else (
            "; ".join(f"{','.join(b.byday)} {b.opens_at}-{b.closes_at}" for b in service.hours.schedules)
            or "unknown"
        )
    )
    anonymous = {True: "yes", False: "no", None: "unknown"}[service.confidentiality.anonymous]
    lines = [
        f"{service.id}: {service.name.en}",
        f"  {service.description.en}",
        f"  audiences: {', '.join(service.audiences)}",
        f"  concerns: {', '.join(service.concerns)}",
        f"  languages: {', '.join(service.languages)}; area: {service.service_area.scope}"
        f" {', '.join(service.service_area.communities)}",
        f"  phone: {phones}; website: {service.channels.website or 'unknown'}",
        f"  hours: {hours}; cost: {service.cost}",
        f"  anonymous: {anonymous}; may inform police: {service.confidentiality.informs_police}",
        f"  last verified: {service.last_verified}; sources: {len(service.sources)}",
    ]
    lines += [f"  not confirmed: {', '.join(service.unverified)}"] if service.unverified else []
    lines += [f"  location {loc.id}: {loc.name.en}" for loc in service.locations]
    return "\n".join(lines)


def referral_json(referral: Referral, language: Language) -> dict[str, Any]:
    service, location, channels = referral.service, referral.location, referral.channels
    confidentiality = service.confidentiality
    return {
        "id": service.id,
        "location_id": location.id if location else None,
        "name": referral.name(language),
        "description": service.description.get(language),
        "reason": referral.reason,
        "open_now": referral.open_now,
        "hours_known": referral.openness.status != "unknown",
        "next_opening": _iso(referral.openness.next_opening),
        "closes_at": _iso(referral.openness.closes_at),
        "by_channel": {
            channel.value: {
                "status": openness.status,
                "day_and_night": openness.day_and_night,
                "next_opening": _iso(openness.next_opening),
                "closes_at": _iso(openness.closes_at),
            }
            for channel, openness in referral.by_channel
        },
        "phone": first_phone(channels),
        "url": referral.url,
        "chat_url": channels.chat_url or service.channels.chat_url,
        "confidentiality": {
            "anonymous": confidentiality.anonymous,
            "informs_police": confidentiality.informs_police.value,
        },
        "cost": service.cost.value,
        "languages": [lang.value for lang in service.languages],
        "last_verified": service.last_verified.isoformat(),
    }


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def route_json(result: RouteResult) -> dict[str, Any]:
    situation = result.situation
    return {
        "situation": {
            **situation.ids(),
            "community": result.community.value,
            "in_brussels": result.in_brussels,
        },
        "services": [referral_json(referral, situation.language) for referral in result.referrals],
    }


def route_text(result: RouteResult) -> str:
    rows = []
    for rank, item in enumerate(route_json(result)["services"], start=1):
        open_now = {True: "open", False: "closed", None: "hours unknown"}[item["open_now"]]
        rows.append(
            {
                "#": rank,
                "id": item["id"],
                "name": item["name"],
                "phone": (item["phone"] or {}).get("number", ""),
                "now": open_now,
                "anonymous": {True: "yes", False: "no", None: "?"}[item["confidentiality"]["anonymous"]],
                "police": item["confidentiality"]["informs_police"],
                "reason": item["reason"],
            }
        )
    return table(rows, ["#", "id", "name", "phone", "now", "anonymous", "police", "reason"])


def coverage_gaps(directory: Directory) -> list[dict[str, Any]]:
    """Situations for which only the safety lines and the general listening line are found."""
    gaps = []
    fallback_ids = set(directory.rules.fallback.by_community.values())
    moment = dt.datetime(2026, 1, 7, 10, tzinfo=dt.UTC)
    reasons_not_fitting = _safety_and_fallback(directory)
    for community, nis, language in COVERAGE_PLACES:
        for role in Role:
            for concern in Concern:
                if concern is Concern.OUT_OF_SCOPE:
                    continue
                situation = Situation(role=role, concern=concern, municipality=nis, language=language)
                result = route(situation, at=moment, directory=directory)
                fitting = [r for r in result.referrals if r.reason not in reasons_not_fitting]
                if not fitting:
                    gaps.append(
                        {
                            "community": community,
                            "language": language.value,
                            "role": role.value,
                            "concern": concern.value,
                            "top": ",".join(
                                r.service.id for r in result.referrals if r.service.id in fallback_ids
                            ),
                        }
                    )
    return gaps


def _safety_and_fallback(directory: Directory) -> set[str]:
    return {rule.id for rule in directory.rules.safety} | {directory.rules.fallback.id}
