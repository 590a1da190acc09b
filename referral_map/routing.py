"""route(): from a situation to ranked referrals, each with the reason it was chosen.

What to recommend lives in `data/routing.yaml` (see the comments there); this
module only applies those rules to the service records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict

from referral_map.directory import Directory, load_directory
from referral_map.geography import Municipality, gazetteer
from referral_map.holidays import holiday_community
from referral_map.hours import Openness, by_channel, openness
from referral_map.schemas import Channel, Channels, Location, Scope, Service, ServiceArea, Status
from referral_map.taxonomy import COMMUNITY_LANGUAGES, Community, Concern, Language, Role, Urgency

OTHER_BRUSSELS_SIDE = {Community.FLEMISH: Community.FRENCH, Community.FRENCH: Community.FLEMISH}


class Situation(BaseModel):
    """Who is asking, what is going on, how urgent, where, in which language."""

    model_config = ConfigDict(frozen=True)

    role: Role = Role.UNKNOWN
    concern: Concern
    urgency: Urgency = Urgency.ROUTINE
    municipality: str | None = None  # NIS code
    language: Language

    def ids(self) -> dict[str, str | None]:
        """The situation in the shared ids of docs/DESIGN.md section 2."""
        return {
            "role": self.role.value,
            "concern": self.concern.value,
            "urgency": self.urgency.value,
            "municipality": self.municipality,
            "language": self.language.value,
        }


@dataclass(frozen=True)
class Referral:
    service: Service
    location: Location | None
    reason: str
    openness: Openness
    by_channel: tuple[tuple[Channel, Openness], ...] = ()  # where phone and chat keep different hours

    @property
    def open_now(self) -> bool | None:
        return {"open": True, "closed": False}.get(self.openness.status)

    @property
    def channels(self) -> Channels:
        return reachable_channels(self.service, self.location)

    @property
    def url(self) -> str | None:
        """The chat link or website to show: the office's, else the service's website."""
        channels = self.channels
        return channels.chat_url or channels.website or self.service.channels.website

    def name(self, language: Language) -> str:
        return (self.location.name if self.location else self.service.name).get(language)


@dataclass(frozen=True)
class RouteResult:
    situation: Situation
    community: Community  # whose services apply (Dutch speakers in Brussels: flemish)
    municipality: Municipality | None
    referrals: tuple[Referral, ...]

    @property
    def in_brussels(self) -> bool:
        return self.municipality is not None and self.municipality.community is Community.BRUSSELS


@cache
def default_directory() -> Directory:
    return load_directory()


def route(
    situation: Situation, at: dt.datetime | None = None, directory: Directory | None = None
) -> RouteResult:
    """Ranked referrals for a situation at a moment (default: now). Never empty."""
    moment = at or dt.datetime.now(dt.UTC)
    data = directory or default_directory()
    place = gazetteer().get(situation.municipality) if situation.municipality else None
    community = service_community(situation.language, place, data)
    ranking = _Ranking(situation, place, data, community)

    chosen: dict[str, tuple[Location | None, str]] = {}

    def add(service_id: str, reason: str, side: Community | None = None, anywhere: bool = False) -> bool:
        service = data.services.get(service_id)
        if service is None or service_id in chosen:
            return False
        if not (anywhere or ranking.reaches(service, side)):
            return False
        chosen[service_id] = (ranking.location_for(service), reason)
        return True

    for rule in data.rules.safety:
        if rule.when.matches(
            situation.role, situation.concern, situation.urgency, situation.language, community
        ):
            for service_id in rule.pick(situation.language, community, place_known=place is not None):
                add(
                    service_id, rule.id, anywhere=True
                )  # a safety line in the user's language, wherever they are
    safety_count = len(chosen)

    candidates = ranking.candidates(community)
    for service_id, reason in candidates:
        if len(chosen) - safety_count >= data.rules.referrals:
            break
        add(service_id, reason)

    fallback_id = data.rules.fallback.by_community[community]  # never Brussels: see service_community
    if len(chosen) == safety_count:
        add(fallback_id, data.rules.fallback.id)

    if _in_brussels(place, situation, data) and community in OTHER_BRUSSELS_SIDE:
        other_side = OTHER_BRUSSELS_SIDE[community]
        alternatives = [
            sid for sid, _ in ranking.candidates(other_side) if ranking.serves_side(sid, other_side)
        ]
        for service_id in alternatives[: data.rules.brussels_alternatives]:
            add(service_id, "brussels_other_community", other_side)

    referrals = [
        referral_at(data.services[sid], location, reason, moment)
        for sid, (location, reason) in chosen.items()
    ]
    referrals += _open_alternative(
        referrals[safety_count:], candidates, fallback_id, chosen, ranking, data, moment
    )
    return RouteResult(situation, community, place, tuple(referrals))


def service_community(language: Language, place: Municipality | None, data: Directory) -> Community:
    """The community whose services apply; in Brussels the user's language decides."""
    if place is not None and place.community is not Community.BRUSSELS:
        return place.community
    by_language = {
        Language.NL: Community.FLEMISH,
        Language.FR: Community.FRENCH,
        Language.DE: Community.GERMAN,
    }
    if place is None:
        if language in by_language:
            return by_language[language]
        assumed = data.rules.english_community_when_unknown
        return Community.FRENCH if assumed is Community.BRUSSELS else assumed
    return Community.FLEMISH if language is Language.NL else Community.FRENCH


def _in_brussels(place: Municipality | None, situation: Situation, data: Directory) -> bool:
    if place is not None:
        return place.community is Community.BRUSSELS
    return (
        situation.language is Language.EN and data.rules.english_community_when_unknown is Community.BRUSSELS
    )


class _Ranking:
    """Which services reach this place, and in which order they fit the situation."""

    def __init__(
        self, situation: Situation, place: Municipality | None, data: Directory, community: Community
    ) -> None:
        self.situation = situation
        self.place = place
        self.data = data
        self.community = community

    def covers(self, area: ServiceArea, community: Community | None = None) -> bool:
        """Whether an area covers the place; with no place, the community's own services do."""
        if area.scope is Scope.NATIONAL:
            return True
        place = self.place
        if place is None:
            return area.scope is Scope.COMMUNITY and (community or self.community) in area.communities
        if area.scope is Scope.COMMUNITY:
            return place.community in area.communities
        if area.scope is Scope.PROVINCE:
            return place.province in area.provinces
        return place.nis in area.municipalities

    def reaches(self, service: Service, community: Community | None = None) -> bool:
        """Active, and the service or one of its local offices covers the place."""
        if service.status is not Status.ACTIVE:
            return False
        side = community or self.community
        areas = [service.service_area, *(location.service_area for location in service.locations)]
        return any(self.covers(area, side) for area in areas)

    def serves_side(self, service_id: str, community: Community) -> bool:
        """Run by that language community (not a national service)."""
        service = self.data.services[service_id]
        return community in service.service_area.communities or any(
            community in location.service_area.communities for location in service.locations
        )

    def location_for(self, service: Service) -> Location | None:
        if self.place is None:
            return None
        order = self.data.rules.scope_order
        local = [loc for loc in service.locations if self.covers(loc.service_area)]
        return min(local, key=lambda loc: order.index(loc.service_area.scope), default=None)

    def scope_rank(self, service: Service) -> int:
        location = self.location_for(service)
        area = location.service_area if location else service.service_area
        return self.data.rules.scope_order.index(area.scope)

    def candidates(self, community: Community) -> list[tuple[str, str]]:
        """(service id, reason) best first: the editor's choice, then other fitting services."""
        situation = self.situation
        ranked: list[tuple[str, str]] = []
        for rule in self.data.rules.preferred:
            if rule.when.matches(
                situation.role, situation.concern, situation.urgency, situation.language, community
            ):
                ranked = [(sid, rule.id) for sid in rule.services if sid in self.data.services]
                break
        named = {sid for sid, _ in ranked}
        fitting = [s for s in self.data if s.id not in named and self._fits(s, community)]
        fitting.sort(key=lambda s: (self.scope_rank(s), situation.language not in s.languages, s.id))
        scope_reason = {
            Scope.MUNICIPALITY: "fits_local",
            Scope.PROVINCE: "fits_local",
            Scope.COMMUNITY: "fits_community",
            Scope.NATIONAL: "fits_national",
        }
        ranked += [(s.id, scope_reason[self.data.rules.scope_order[self.scope_rank(s)]]) for s in fitting]
        return [(sid, reason) for sid, reason in ranked if self.reaches(self.data.services[sid], community)]

    def _fits(self, service: Service, community: Community) -> bool:
        situation = self.situation
        if set(service.urgencies) == {Urgency.EMERGENCY}:
            return False  # emergency lines come through the safety rules only
        if situation.concern not in service.concerns:
            return False
        audiences = service.audiences
        if (
            situation.role is not Role.UNKNOWN
            and situation.role not in audiences
            and Role.UNKNOWN not in audiences
        ):
            return False
        accepted = {situation.language, *COMMUNITY_LANGUAGES[community]}
        return bool(accepted & set(service.languages)) and self.reaches(service, community)


def reachable_channels(service: Service, location: Location | None) -> Channels:
    """How to reach it: the local office's channels when the office has a phone, else the service's."""
    return location.channels if location and location.channels.phones else service.channels


def referral_at(service: Service, location: Location | None, reason: str, moment: dt.datetime) -> Referral:
    """A referral to a service (at one of its offices) with whether it is open at `moment`."""
    hours = location.hours if location and location.hours.known else service.hours
    community = holiday_community(service.service_area)
    channels = reachable_channels(service, location)
    offered = [
        channel
        for channel, has in ((Channel.PHONE, channels.phones), (Channel.CHAT, channels.chat_url))
        if has
    ]
    return Referral(
        service,
        location,
        reason,
        openness(hours, moment, community),
        by_channel(hours, moment, community, offered),
    )


def _open_alternative(
    referrals: list[Referral],
    candidates: list[tuple[str, str]],
    fallback_id: str,
    chosen: dict[str, tuple[Location | None, str]],
    ranking: _Ranking,
    data: Directory,
    moment: dt.datetime,
) -> list[Referral]:
    """When the best service is closed, the first open service that fits, or the listening line."""
    if not referrals or referrals[0].openness.status != "closed":
        return []
    if any(referral.openness.status == "open" for referral in referrals):
        return []
    for service_id in [sid for sid, _ in candidates] + [fallback_id]:
        service = data.services.get(service_id)
        if service is None or service_id in chosen or not ranking.reaches(service):
            continue
        alternative = referral_at(service, ranking.location_for(service), "open_now_alternative", moment)
        if alternative.openness.status == "open":
            return [alternative]
    return []
