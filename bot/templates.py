"""Rendering of message templates (DESIGN section 4) into sentences in the user's language.

Every user-visible sentence is one msgid with named placeholders, filled after
translation. Rasa only names the template; this module writes the words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import N_, _, current_language, date_text, language_name, time_text, weekday_time_text
from referral_map.directory import Directory
from referral_map.geography import gazetteer
from referral_map.hours import BRUSSELS, Openness
from referral_map.phones import parse_phone
from referral_map.routing import Referral, RouteResult, Situation, route
from referral_map.schemas import Cost, PoliceContact, Service
from referral_map.taxonomy import Concern, Language, Role

STALE_AFTER = dt.timedelta(days=365)


@dataclass
class Button:
    title: str
    payload: str


@dataclass
class Rendered:
    """One message as every channel shows it."""

    template: str
    text: str
    asks: str | None = None
    buttons: list[Button] = field(default_factory=list)
    referral: dict[str, Any] | None = None


ROLE_TITLES = {
    Role.PARENT: N_("I am a parent"),
    Role.FAMILY: N_("I am a relative or family friend"),
    Role.TEACHER: N_("I work at a school"),
    Role.IMAM: N_("I am an imam or represent a mosque"),
    Role.YOUTH_WORKER: N_("I am a youth worker"),
    Role.PROFESSIONAL: N_("I work in social, health, police or local services"),
    Role.YOUNG_PERSON: N_("It is about me"),
    Role.UNKNOWN: N_("Other, or I prefer not to say"),
}
CONCERN_TITLES = {
    Concern.RADICALISATION: N_("Worrying extremist ideas or groups"),
    Concern.ONLINE_EXTREMISM: N_("Extremist content or contacts online"),
    Concern.TRAVEL_CONFLICT: N_("Plans to leave for a conflict zone"),
    Concern.POLARISATION: N_("Tension or hate between groups"),
    Concern.RELIGIOUS_QUESTION: N_("A question about religion"),
    Concern.VIOLENCE_THREAT: N_("Threats or talk of violence"),
    Concern.SELF_HARM: N_("Thoughts of suicide or self-harm"),
    Concern.VICTIM_SUPPORT: N_("Support after an attack or violence"),
    Concern.DETENTION: N_("A relative in prison or released"),
    Concern.PROFESSIONAL_SUPPORT: N_("Advice or training for professionals"),
    Concern.YOUTH_SUPPORT: N_("Help with school, work or a place to belong"),
    Concern.PARENTING: N_("A general parenting question"),
    Concern.OUT_OF_SCOPE: N_("Something else"),
}
CONCERN_NAMES = {
    Concern.RADICALISATION: N_("worrying extremist ideas or groups"),
    Concern.ONLINE_EXTREMISM: N_("extremist content or contacts online"),
    Concern.TRAVEL_CONFLICT: N_("plans to leave for a conflict zone"),
    Concern.POLARISATION: N_("tension or hate between groups"),
    Concern.RELIGIOUS_QUESTION: N_("a question about religion"),
    Concern.VIOLENCE_THREAT: N_("threats of violence"),
    Concern.SELF_HARM: N_("thoughts of suicide or self-harm"),
    Concern.VICTIM_SUPPORT: N_("support after violence"),
    Concern.DETENTION: N_("a relative in prison or recently released"),
    Concern.PROFESSIONAL_SUPPORT: N_("professional advice or training"),
    Concern.YOUTH_SUPPORT: N_("help for a young person with school, work or welfare"),
    Concern.PARENTING: N_("a general parenting question"),
    Concern.OUT_OF_SCOPE: N_("another question"),
}
ROLE_NAMES = {
    Role.PARENT: N_("a parent"),
    Role.FAMILY: N_("a relative"),
    Role.TEACHER: N_("school staff"),
    Role.IMAM: N_("an imam or mosque representative"),
    Role.YOUTH_WORKER: N_("a youth worker"),
    Role.PROFESSIONAL: N_("a professional"),
    Role.YOUNG_PERSON: N_("the young person concerned"),
    Role.UNKNOWN: N_("someone who is worried"),
}
OTHER_BUTTONS = {
    "place_unknown": N_("I prefer not to say"),
    "feedback_helpful": N_("Yes, this helps"),
    "feedback_not_helpful": N_("No, not really"),
    "button_start_over": N_("Start again"),
    "button_talk_to_person": N_("Talk to a person"),
    "intent_emergency": N_("Someone is in danger right now"),
    "intent_ask_human": N_("Talk to a person"),
    "intent_ask_privacy": N_("What happens with my messages?"),
    "intent_ask_what_are_you": N_("What is this service?"),
    "intent_none_of_these": N_("None of these"),
}
REASONS = {
    "emergency_first": N_("Life may be in danger: call this number first."),
    "violence_threat_first": N_("When someone threatens violence, the emergency services come first."),
    "self_harm_line": N_(
        "This line is there day and night for thoughts of suicide, also when you worry about someone else."
    ),
    "fits_local": N_("This service works where you live and fits your situation."),
    "fits_community": N_("This service fits your situation and works in your region."),
    "fits_national": N_("This service works all over Belgium and fits your situation."),
    "brussels_other_community": N_(
        "In Brussels, this service of the other language community can also help."
    ),
    "open_now_alternative": N_("The first service is closed now; this one is open."),
    "general_listening_line": N_(
        "A listening line where you can talk about anything, and they will help you further."
    ),
    "talk_to_person": N_("Here you can talk to a person."),
}
RULE_REASONS = {
    "young_person": N_("For young people who want to talk about what is going on."),
    "teacher_worried": N_("For school staff worried about pupils or tension in class."),
    "imam_worried": N_("For imams and mosques worried about a young person."),
    "worker_worried": N_("For youth workers and professionals worried about a young person."),
    "family_worried": N_(
        "For parents and relatives worried that a young person is being drawn into extremism."
    ),
    "worry": N_("For anyone worried about radicalisation or violent extremism."),
    "violence_threat": N_("For situations of violence, after the emergency services."),
    "religious_question": N_("For questions about Islam and religion."),
    "self_harm": N_("To talk with someone when things feel too heavy."),
    "youth_services": N_("Services that help young people with school, work and welfare."),
    "parenting": N_("For everyday questions about raising children."),
    "victim_support": N_("For victims of violence or attacks and their families."),
    "detention": N_("For families of someone in prison, on probation or released."),
    "professional_support": N_("For professionals who want advice, coaching or training."),
}
POLICE_SENTENCES = {
    PoliceContact.NEVER: N_("They do not pass anything on to the police."),
    PoliceContact.IMMINENT_DANGER: N_(
        "They keep what you say confidential; only if a life is in danger may they warn the police."
    ),
    PoliceContact.YES: N_("They may inform the police or security services."),
    PoliceContact.UNKNOWN: N_("We do not know whether they may inform the police: ask them when you call."),
}


def reason_sentence(reason: str) -> str:
    if reason in REASONS:
        return _(REASONS[reason])
    for prefix, sentence in RULE_REASONS.items():
        if reason.startswith(prefix):
            return _(sentence)
    return _("This service fits your situation.")


def button_title(template: str, args: dict[str, Any] | None = None) -> str:
    kind, _sep, value = template.partition("_")
    if kind == "role" and value in Role.__members__.values():
        return _(ROLE_TITLES[Role(value)])
    if kind == "concern" and value in Concern.__members__.values():
        return _(CONCERN_TITLES[Concern(value)])
    if template.startswith("intent_describe_"):
        return button_title("concern_" + template.removeprefix("intent_describe_"))
    if kind == "language" and value in Language.__members__.values():
        return language_name(Language(value))
    if template == "place_option":
        return str((args or {}).get("name", ""))
    return _(OTHER_BUTTONS.get(template, N_("Choose")))


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
    openness = referral.openness
    if openness.status == "open":
        if referral.service.hours.always_open:
            return _("Open day and night.")
        if openness.closes_at:
            return _("Open now, until {time}.").format(time=time_text(openness.closes_at))
        return _("Open now.")
    if openness.status == "closed":
        if openness.next_opening:
            return _("Closed now. Opens {when}.").format(when=weekday_time_text(openness.next_opening))
        return _("Closed now.")
    return _("We do not know their opening hours: call or look at their website.")


def cost_sentence(service: Service) -> str | None:
    return {
        Cost.FREE: _("Free."),
        Cost.CALL_RATE: _("You pay the normal cost of a call."),
        Cost.PAID: _("This service is not free."),
    }.get(service.cost)


def service_card(referral: Referral, language: Language, today: dt.date) -> dict[str, Any]:
    service, location = referral.service, referral.location
    channels = location.channels if location and location.channels.phones else service.channels
    phone = parse_phone(channels.phones[0].number) if channels.phones else None
    name = (location.name if location else service.name).get(language)
    verified_text = _("Information last checked on {date}.").format(date=date_text(service.last_verified))
    if today - service.last_verified > STALE_AFTER:
        verified_text += " " + _("It may be out of date.")
    lines = [f"{name}", service.description.get(language)]
    if phone:
        lines.append(_("Phone: {number}").format(number=phone.national))
    url = channels.chat_url or channels.website or service.channels.website
    if url:
        lines.append(url)
    lines.append(openness_sentence(referral))
    lines += confidentiality_sentences(service)
    cost = cost_sentence(service)
    if cost:
        lines.append(cost)
    lines.append(reason_sentence(referral.reason))
    lines.append(verified_text)
    return {
        "id": service.id,
        "location_id": location.id if location else None,
        "name": name,
        "description": service.description.get(language),
        "phone": phone.national if phone else None,
        "tel": phone.tel_uri if phone else None,
        "url": url,
        "open_now": referral.open_now,
        "opening": openness_sentence(referral),
        "confidentiality": " ".join(confidentiality_sentences(service)),
        "reason": reason_sentence(referral.reason),
        "reason_code": referral.reason,
        "last_verified": service.last_verified.isoformat(),
        "text": "\n".join(lines),
    }


def situation_summary(situation: Situation) -> str:
    """A short, name-free summary the user may copy and give to the service."""
    place = (
        gazetteer().get(situation.municipality).name(situation.language) if situation.municipality else None
    )
    parts = [
        _("I am {role}.").format(role=_(ROLE_NAMES[situation.role])),
        _("I am worried about {concern}.").format(concern=_(CONCERN_NAMES[situation.concern])),
    ]
    if place:
        parts.append(_("We live in {place}.").format(place=place))
    return " ".join(parts)


class Renderer:
    """Turns custom payloads from Rasa (and the bot's own messages) into Rendered messages."""

    def __init__(self, directory: Directory, now: Callable[[], dt.datetime] | None = None) -> None:
        self.directory = directory
        self.now = now or (lambda: dt.datetime.now(BRUSSELS))

    def render(self, payload: dict[str, Any]) -> Rendered:
        template = str(payload.get("template", ""))
        args = dict(payload.get("args") or {})
        buttons = [
            Button(button_title(str(b.get("template", "")), b.get("args")), str(b.get("payload", "")))
            for b in payload.get("buttons") or []
        ]
        if payload.get("referral"):
            return self.referral(template, payload["referral"], buttons)
        text = self.sentence(template, args)
        return Rendered(template, text, payload.get("asks"), buttons)

    def sentence(self, template: str, args: dict[str, Any]) -> str:
        writers: dict[str, Callable[[], str]] = {
            "ask_role": lambda: _("Who are you in this story? This helps me find the right service."),
            "ask_concern": lambda: _("What is going on? Tell me in your own words, or choose below."),
            "ask_municipality": lambda: _(
                "In which municipality do you live? A postcode or a name is enough. You may also skip this."
            ),
            "greet": lambda: _(
                "Hello. I help you find who to turn to when you are worried about a young person. "
                "What is going on? You do not need to give any names."
            ),
            "goodbye": lambda: _("Take care. You can come back whenever you want."),
            "you_are_welcome": lambda: _("You are welcome. Take care of yourself too."),
            "what_are_you": lambda: _(
                "I am Wegwijzer, a chat assistant, not a person. I help people who are worried about a young "
                "person find the right service in Belgium. I do not report anything to anyone."
            ),
            "privacy": lambda: _(
                "I never ask for names and I pass nothing on. Your conversation is kept for at most {days} days "
                "to keep the chat going; you can delete it at any time with /forget."
            ).format(days=args.get("days", 30)),
            "out_of_scope": lambda: _(
                "I can only help you find support when you are worried about a young person, radicalisation, "
                "extremism or tensions between groups. Is there something like that I can help with?"
            ),
            "ask_feedback": lambda: _("Did this help you?"),
            "feedback_thanks": lambda: _("Thank you for letting me know. I hope the conversation goes well."),
            "feedback_sorry": lambda: _(
                "I am sorry. You can talk to a person, or start again and tell me more."
            ),
            "fallback_menu": lambda: _("I did not understand that well. What is closest to your situation?"),
            "clarify": lambda: _("I am not sure I understood. Do you mean one of these?"),
            "place_not_found": lambda: _(
                "I could not find the municipality \u201c{query}\u201d. Did you mean one of these?"
            ).format(query=args.get("query", "")),
            "place_ambiguous": lambda: _(
                "\u201c{query}\u201d can mean more than one municipality. Which one?"
            ).format(query=args.get("query", "")),
            "language_changed": lambda: self._language_changed(args),
            "ask_language": lambda: _("Which language do you prefer?"),
            "start_over": lambda: _("Let us start again. What is going on?"),
            "degraded": lambda: _(
                "I am working in a reduced mode right now and cannot read free text well. Choose what is "
                "closest to your situation, or call one of these lines."
            ),
            "language_detected": lambda: self._language_changed(args),
            "welcome": lambda: _(
                "Welcome to Wegwijzer. I help you find who to turn to when you are worried about a young person: "
                "radicalisation, extremism, tension between groups. Tell me what is going on. You do not need "
                "to give any names."
            ),
            "help": lambda: _(
                "Tell me in your own words what is going on, and I will suggest two or three services that fit. "
                "Commands: /language to change the language, /privacy, /forget to delete everything, "
                "/restart to start again, /emergency for emergency numbers."
            ),
            "forgotten": lambda: _("Everything I kept about this conversation has been deleted."),
            "private_only": lambda: _("I only work in a private chat. Please write to me directly."),
            "unsupported_media": lambda: _(
                "I can only read text messages. Please write in a few words what is going on, or choose below."
            ),
            "too_long": lambda: _("That message is very long. I read the first {count} characters.").format(
                count=args.get("count", 0)
            ),
            "empty": lambda: _("I did not receive any text. What is going on?"),
        }
        writer = writers.get(template)
        return writer() if writer else _("I am here to help. What is going on?")

    def _language_changed(self, args: dict[str, Any]) -> str:
        language = Language(args.get("language", current_language.get().value))
        return _("From now on I will write in {language}.").format(language=language_name(language))

    def referral(self, template: str, referral: dict[str, Any], buttons: list[Button]) -> Rendered:
        situation = Situation.model_validate(
            {k: v for k, v in referral["situation"].items() if k in Situation.model_fields}
        )
        result = route(situation, at=self.now(), directory=self.directory)
        by_id = {r.service.id: r for r in result.referrals}
        language = situation.language
        today = self.now().date()
        cards = []
        for item in referral.get("services", []):
            service = self.directory.services.get(item["id"])
            if service is None:
                continue
            found = by_id.get(item["id"])
            chosen = Referral(
                service,
                found.location if found else None,
                item.get("reason") or (found.reason if found else "fits_community"),
                found.openness if found else Openness("unknown"),
            )
            cards.append(service_card(chosen, language, today))
        intro = {
            "emergency_referral": _(
                "If a life is in danger, call 112 now. For urgent police help, call 101."
            ),
            "talk_to_person": _("You can talk to a person here:"),
        }.get(template, _("These services can help you:"))
        summary = situation_summary(situation)
        text = "\n\n".join(
            [
                intro,
                *(card["text"] for card in cards),
                _("You can pass this on when you call: {summary}").format(summary=summary),
            ]
        )
        payload = {"situation": situation.ids(), "services": cards, "summary": summary}
        return Rendered(template, text, None, buttons, payload)


def referral_from_route(result: RouteResult, template: str = "referral") -> dict[str, Any]:
    """A referral payload built locally (degraded mode), in the shape Rasa's actions send."""
    return {
        "template": template,
        "referral": {
            "situation": result.situation.ids(),
            "services": [
                {"id": r.service.id, "location_id": r.location.id if r.location else None, "reason": r.reason}
                for r in result.referrals
            ],
        },
    }
