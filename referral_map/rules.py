"""The routing rules of `data/routing.yaml`: which services an editor recommends for which situation."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field, model_validator

from referral_map.schemas import SERVICE_ID, Record, Scope
from referral_map.taxonomy import Community, Concern, Language, Role, Urgency


class Condition(Record):
    """A situation matches when every listed key matches one of its values; absent keys match anything."""

    role: list[Role] = Field(default_factory=list)
    concern: list[Concern] = Field(default_factory=list)
    urgency: list[Urgency] = Field(default_factory=list)
    language: list[Language] = Field(default_factory=list)
    community: list[Community] = Field(
        default_factory=list,
        description="the community whose services apply: Dutch speakers in Brussels count as flemish",
    )

    def matches(
        self, role: Role, concern: Concern, urgency: Urgency, language: Language, community: Community
    ) -> bool:
        checks = (
            (self.role, role),
            (self.concern, concern),
            (self.urgency, urgency),
            (self.language, language),
            (self.community, community),
        )
        return all(not allowed or value in allowed for allowed, value in checks)


class SafetyRule(Record):
    """Services that come first, always, when the condition holds."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    explain: str = Field(
        min_length=1, description="the sentence shown under each service this rule chose (a gettext msgid)"
    )
    when: Condition
    services: list[str] = Field(default_factory=list)
    by_language: dict[Language, str] = Field(default_factory=dict)
    by_community: dict[Community, str] = Field(
        default_factory=dict, description="used when no by_language entry fits (English speakers)"
    )
    place_unknown: list[str] = Field(
        default_factory=list,
        description="used instead of by_community when no by_language entry fits and no place is known",
    )

    @model_validator(mode="after")
    def _names_services(self) -> SafetyRule:
        if not (self.services or self.by_language or self.by_community):
            raise ValueError("a safety rule needs services, by_language or by_community")
        return self

    def pick(self, language: Language, community: Community, place_known: bool = True) -> list[str]:
        chosen = list(self.services)
        if language in self.by_language:
            extra = [self.by_language[language]]
        elif not place_known and self.place_unknown:
            extra = list(self.place_unknown)
        else:
            extra = [self.by_community[community]] if community in self.by_community else []
        return chosen + [service_id for service_id in extra if service_id not in chosen]


class PreferenceRule(Record):
    """Services an editor recommends, best first, for the situations the condition describes."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    explain: str = Field(
        min_length=1, description="the sentence shown under each service this rule chose (a gettext msgid)"
    )
    when: Condition
    services: list[str] = Field(min_length=1)


class Fallback(Record):
    """The general listening line per community, so that no answer is ever empty."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    explain: str = Field(
        min_length=1, description="the sentence shown under each service this rule chose (a gettext msgid)"
    )
    by_community: dict[Community, str]

    @model_validator(mode="after")
    def _every_community(self) -> Fallback:
        missing = {Community.FLEMISH, Community.FRENCH, Community.GERMAN} - set(self.by_community)
        if missing:
            raise ValueError(f"fallback needs a service for {sorted(m.value for m in missing)}")
        return self


# The reasons given when no rule chose a service (by route() and the action server); each needs a sentence.
UNNAMED_REASONS = (
    "fits_local",
    "fits_community",
    "fits_national",
    "brussels_other_community",
    "open_now_alternative",
    "talk_to_person",
)


class RoutingRules(Record):
    explanations: dict[str, str] = Field(
        description="the sentence shown for each reason no rule names (UNNAMED_REASONS); gettext msgids"
    )
    safety: list[SafetyRule]
    preferred: list[PreferenceRule]
    fallback: Fallback
    scope_order: list[Scope] = Field(
        default=[Scope.MUNICIPALITY, Scope.PROVINCE, Scope.COMMUNITY, Scope.NATIONAL],
        description="more local first",
    )
    referrals: int = Field(default=3, ge=1, le=6, description="how many services to show after safety lines")
    brussels_alternatives: int = Field(default=1, ge=0, le=3)
    english_community_when_unknown: Community = Community.BRUSSELS

    @model_validator(mode="after")
    def _every_reason_explained(self) -> RoutingRules:
        missing = [reason for reason in UNNAMED_REASONS if not self.explanations.get(reason)]
        if missing:
            raise ValueError(f"explanations needs a sentence for {missing}")
        return self

    def explanation(self, reason: str) -> str | None:
        """The sentence (msgid) that says why a service with this reason code was chosen."""
        rules: list[SafetyRule | PreferenceRule | Fallback] = [*self.safety, *self.preferred, self.fallback]
        for rule in rules:
            if rule.id == reason:
                return rule.explain
        return self.explanations.get(reason)

    def service_ids(self) -> Iterator[tuple[str, str]]:
        """Every (rule id, service id) pair, to check that the services exist."""
        for safety in self.safety:
            named = [
                *safety.services,
                *safety.by_language.values(),
                *safety.by_community.values(),
                *safety.place_unknown,
            ]
            for service_id in named:
                yield safety.id, service_id
        for preference in self.preferred:
            for service_id in preference.services:
                yield preference.id, service_id
        for service_id in self.fallback.by_community.values():
            yield self.fallback.id, service_id


__all__ = [
    "SERVICE_ID",
    "UNNAMED_REASONS",
    "Condition",
    "Fallback",
    "PreferenceRule",
    "RoutingRules",
    "SafetyRule",
]
