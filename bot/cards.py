"""Referral cards: what each recommended service shows, built once from fields; channels lay them out.

The action server chose the services (and local offices) and the moment it chose them; this module
renders them as sent, without routing again (docs/DESIGN.md section 4). `ReferralView.text()` is the plain
layout (console, the HTTP API's `text`); `bot.telegram.format` and the web page lay out the same fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from bot.i18n import N_, _, month_text, time_text, weekday_text
from protocol.messages import ServiceRef, Template
from referral_map.directory import Directory
from referral_map.geography import gazetteer
from referral_map.hours import Openness
from referral_map.phones import parse_phone
from referral_map.routing import Referral, Situation, referral_at
from referral_map.schemas import STALE_AFTER, Channel, Cost, PoliceContact, Service
from referral_map.taxonomy import Concern, Language, Role

POLICE_SENTENCES = {
    PoliceContact.NEVER: N_("They do not pass anything on to the police."),
    PoliceContact.IMMINENT_DANGER: N_(
        "They keep what you say confidential; only if a life is in danger may they warn the police."
    ),
    PoliceContact.YES: N_("They may inform the police or security services."),
    PoliceContact.UNKNOWN: N_("We do not know whether they may inform the police: ask them when you call."),
}


def confidentiality_sentences(service: Service) -> list[str]:
    sentences = []
    anonymous = service.confidentiality.anonymous
    if anonymous is True:
        sentences.append(_("You can stay anonymous."))
    elif anonymous is False:
        sentences.append(_("You will be asked who you are."))
    else:
        sentences.append(_("We do not know whether you can stay anonymous."))
    sentences.append(_(POLICE_SENTENCES[service.confidentiality.informs_police]))
    return sentences


def openness_sentence(referral: Referral) -> str:
    if referral.by_channel:  # phone and chat keep different hours: say each
        return " ".join(_hours_sentence(channel, openness) for channel, openness in referral.by_channel)
    return _hours_sentence(Channel.ANY, referral.openness)


REPORT_MISTAKE = N_("This information is wrong")
REPORT_RECEIVED = N_(
    "Thank you. An editor will check this information; your report is kept apart from this chat."
)

# Whole sentences per channel and state, so that each language words them as it needs.
CHANNEL_SENTENCES = {
    Channel.ANY: {
        "day_and_night": N_("Open day and night."),
        "until": N_("Open now, until {time}."),
        "open": N_("Open now."),
        "opens": N_("Closed now. Opens on {day} at {time}."),
        "closed": N_("Closed now."),
        "unknown": N_("We do not know their opening hours: call or look at their website."),
    },
    Channel.PHONE: {
        "day_and_night": N_("By phone: open day and night."),
        "until": N_("By phone: open now, until {time}."),
        "open": N_("By phone: open now."),
        "opens": N_("By phone: closed now, opens on {day} at {time}."),
        "closed": N_("By phone: closed now."),
        "unknown": N_("By phone: we do not know the hours."),
    },
    Channel.CHAT: {
        "day_and_night": N_("Chat: open day and night."),
        "until": N_("Chat: open now, until {time}."),
        "open": N_("Chat: open now."),
        "opens": N_("Chat: closed now, opens on {day} at {time}."),
        "closed": N_("Chat: closed now."),
        "unknown": N_("Chat: we do not know the hours."),
    },
}


def _hours_sentence(channel: Channel, openness: Openness) -> str:
    state, args = "unknown", {}
    if openness.status == "open":
        state = "open"
        if openness.day_and_night:
            state = "day_and_night"
        elif openness.closes_at:
            state, args = "until", {"time": time_text(openness.closes_at)}
    elif openness.status == "closed":
        state = "closed"
        if openness.next_opening:
            opening = openness.next_opening
            state, args = "opens", {"day": weekday_text(opening), "time": time_text(opening)}
    msgid = CHANNEL_SENTENCES[channel][state]
    return _(msgid).format(**args)


def office_sentence(referral: Referral, language: Language) -> str | None:
    """Where the local office that serves the user's municipality is, when routing chose one."""
    location = referral.location
    if location is None:
        return None
    if location.address is None:
        return _("This office serves where you live.")
    address = location.address
    town = gazetteer().get(address.municipality).name(language)
    return _("The office for where you live: {address}.").format(
        address=f"{address.street}, {address.postcode} {town}"
    )


def cost_sentence(service: Service) -> str | None:
    return {
        Cost.FREE: _("Free."),
        Cost.CALL_RATE: _("You pay the normal cost of a call."),
        Cost.PAID: _("This service is not free."),
    }.get(service.cost)


@dataclass(frozen=True)
class Card:
    """One recommended service, every field already in the user's language."""

    id: str
    location_id: str | None
    name: str
    description: str
    office: str | None  # the local office's address, when routing chose one for the user's municipality
    phone: str | None  # as dialled in Belgium: "078 15 00 10", "112"
    tel: str | None  # a tel: link
    phone_text: str | None  # "Phone: 078 15 00 10"
    url: str | None
    open_now: bool | None
    opening: str
    confidentiality: str
    cost: str | None
    reason: str
    reason_code: str
    last_verified: str  # ISO date
    checked: str  # "Checked in October 2026.", with a warning when it is old
    report_label: str = ""  # the button that says a fact on the card is wrong; none on the 112 and 101 cards

    def lines(self) -> list[str]:
        """The card as lines of plain text, in the order every channel shows them."""
        lines = [
            self.name,
            self.description,
            self.office,
            self.phone_text,
            self.url,
            self.opening,
            self.confidentiality,
            self.cost,
            self.reason,
            self.checked,
        ]
        return [line for line in lines if line]

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "text": "\n".join(self.lines())}


# The emergency numbers' cards say what happens when you call (sources in their service files) and
# nothing else: no confidentiality warning, no reason, no date, for someone in a panic.
CALL_NOW = {
    "emergency-112": N_(
        "For an ambulance or the fire brigade. When you call, they ask where you are, what happened "
        "and whether anyone is hurt, and they send help."
    ),
    "police-101": N_(
        "For the police. A police operator answers day and night, asks what is happening and where, "
        "and sends help."
    ),
}


def build_card(referral: Referral, language: Language, explanation: str | None, today: dt.date) -> Card:
    """The card of one referral; `explanation` is the msgid that says why it was chosen."""
    service = referral.service
    channels = referral.channels
    phone = parse_phone(channels.phones[0].number) if channels.phones else None
    checked = _("Checked in {month}.").format(month=month_text(service.last_verified))
    if today - service.last_verified > STALE_AFTER:
        checked += " " + _("It may be out of date.")
    card = Card(
        id=service.id,
        location_id=referral.location.id if referral.location else None,
        name=referral.name(language),
        description=service.description.get(language),
        office=office_sentence(referral, language),
        phone=phone.national if phone else None,
        tel=phone.tel_uri if phone else None,
        phone_text=_("Phone: {number}").format(number=phone.national) if phone else None,
        url=referral.url,
        open_now=referral.open_now,
        opening=openness_sentence(referral),
        confidentiality=" ".join(confidentiality_sentences(service)),
        cost=cost_sentence(service),
        reason=_(explanation) if explanation else _("This service fits your situation."),
        reason_code=referral.reason,
        last_verified=service.last_verified.isoformat(),
        checked=checked,
        report_label=_(REPORT_MISTAKE),
    )
    if service.id in CALL_NOW:
        return replace(
            card,
            description=_(CALL_NOW[service.id]),
            url=None,
            confidentiality="",
            reason="",
            checked="",
            report_label="",
        )
    return card


# The summary says who is writing and what it is about in the user's own voice; a question about
# faith stays a question, never a worry (shared/reviews/language-2026-11.md, A0.3).
SUMMARY_ROLES = {
    Role.PARENT: N_("I am a parent."),
    Role.FAMILY: N_("I am a relative."),
    Role.TEACHER: N_("I work at a school."),
    Role.IMAM: N_("I am an imam or speak for a mosque."),
    Role.YOUTH_WORKER: N_("I am a youth worker."),
    Role.PROFESSIONAL: N_("I ask as a professional."),
    Role.YOUNG_PERSON: N_("It is about myself."),
}
SUMMARY_CONCERNS = {
    Concern.RADICALISATION: N_("I am worried about extremist ideas or a group around a young person."),
    Concern.ONLINE_EXTREMISM: N_("I am worried about extremist content or contacts online."),
    Concern.TRAVEL_CONFLICT: N_("I am worried that a young person plans to leave for a conflict zone."),
    Concern.POLARISATION: N_("I am worried about tension or hate between groups."),
    Concern.RELIGIOUS_QUESTION: N_("I have a question about religion."),
    Concern.VIOLENCE_THREAT: N_("I am worried about threats of violence."),
    Concern.SELF_HARM: N_("I am worried about thoughts of suicide or self-harm."),
    Concern.VICTIM_SUPPORT: N_("I am looking for support after violence."),
    Concern.DETENTION: N_("A relative is in prison or recently released."),
    Concern.PROFESSIONAL_SUPPORT: N_("I am looking for advice or training for my work."),
    Concern.YOUTH_SUPPORT: N_("I am looking for help for a young person with school, work or welfare."),
    Concern.PARENTING: N_("I have a question about raising a young person."),
    Concern.OUT_OF_SCOPE: N_("I have another question."),
}
OWN_SUICIDAL_THOUGHTS = N_("I have thoughts of suicide.")


def situation_summary(situation: Situation) -> str:
    """A short, name-free summary the user may copy and give to the service."""
    parts = [_(SUMMARY_ROLES[situation.role])] if situation.role in SUMMARY_ROLES else []
    if situation.concern is Concern.SELF_HARM and situation.role is Role.YOUNG_PERSON:
        parts.append(_(OWN_SUICIDAL_THOUGHTS))
    else:
        parts.append(_(SUMMARY_CONCERNS[situation.concern]))
    if situation.municipality:
        place = gazetteer().get(situation.municipality).name(situation.language)
        parts.append(_("Municipality: {place}.").format(place=place))
    return " ".join(parts)


INTRODUCTIONS = {
    Template.EMERGENCY_REFERRAL: N_(
        "If a life is in danger, call 112 now. For urgent police help, call 101."
    ),
    Template.TALK_TO_PERSON: N_("You can talk to a person here:"),
    Template.REFERRAL: N_("These services can help you:"),
}
# Thoughts of suicide open with the listening line, not with the police (docs/DESIGN.md section 6).
SELF_HARM_INTRODUCTION = N_(
    "You are not alone, and it is good that you say it. A suicide prevention line listens day and "
    "night: its number is below. If a life is in danger right now, call 112."
)


@dataclass(frozen=True)
class ReferralView:
    """A rendered referral: the introduction, one card per service, and the summary to pass on."""

    template: Template
    situation: Situation
    intro: str
    cards: list[Card]
    summary: str
    closing: str  # the sentence that offers the summary, with the summary in it

    def text(self) -> str:
        return "\n\n".join([self.intro, *("\n".join(card.lines()) for card in self.cards), self.closing])

    def as_json(self) -> dict[str, Any]:
        return {
            "situation": self.situation.ids(),
            "services": [card.as_json() for card in self.cards],
            "summary": self.summary,
        }


def referral_view(
    template: Template,
    situation: Situation,
    chosen: list[ServiceRef],
    directory: Directory,
    routed_at: dt.datetime,
) -> ReferralView:
    """The services as the action server chose them, open or closed at the moment it chose them."""
    cards = []
    for item in chosen:
        service = directory.services.get(item["id"])
        if service is None:  # the map changed since the action chose it
            continue
        location = next((loc for loc in service.locations if loc.id == item.get("location_id")), None)
        referral = referral_at(service, location, item["reason"], routed_at)
        cards.append(
            build_card(
                referral,
                situation.language,
                directory.rules.explanation(item["reason"]),
                routed_at.date(),
            )
        )
    summary = situation_summary(situation)
    return ReferralView(
        template,
        situation,
        _(
            SELF_HARM_INTRODUCTION
            if situation.concern is Concern.SELF_HARM and template is Template.EMERGENCY_REFERRAL
            else INTRODUCTIONS.get(template, INTRODUCTIONS[Template.REFERRAL])
        ),
        cards,
        summary,
        _("You can pass this on when you call: {summary}").format(summary=summary),
    )
