"""The custom payloads Rasa's responses and actions send, and the buttons they carry.

A message names a `Template` (the bot writes the words in the user's language), may say which
slot it `Asks` for, carries `args` for the sentence and `buttons`; a referral also carries the
services the action server chose, in order, with the moment it chose them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from protocol import payloads
from referral_map.routing import RouteResult
from referral_map.taxonomy import Concern, Language, Role


class Template(StrEnum):
    """Every message the bot can show. Rasa and the actions name one; `bot.templates` writes it."""

    # The form's questions and their follow-ups
    ASK_ROLE = "ask_role"
    ASK_ROLE_AGAIN = "ask_role_again"
    ASK_CONCERN = "ask_concern"
    ASK_CONCERN_AGAIN = "ask_concern_again"
    ASK_MUNICIPALITY = "ask_municipality"
    ASK_MUNICIPALITY_AGAIN = "ask_municipality_again"
    # After an interruption (a question about the service, a greeting): one short line, not an ask
    RESUME_ROLE = "resume_role"
    RESUME_CONCERN = "resume_concern"
    RESUME_MUNICIPALITY = "resume_municipality"
    ASK_LANGUAGE = "ask_language"
    PLACE_NOT_FOUND = "place_not_found"
    PLACE_AMBIGUOUS = "place_ambiguous"
    CLARIFY = "clarify"
    CLARIFY_DANGER = "clarify_danger"
    FALLBACK_MENU = "fallback_menu"
    # Small talk and questions about the service
    GREET = "greet"
    GOODBYE = "goodbye"
    YOU_ARE_WELCOME = "you_are_welcome"
    WHAT_ARE_YOU = "what_are_you"
    PRIVACY = "privacy"
    OUT_OF_SCOPE = "out_of_scope"
    ASK_FEEDBACK = "ask_feedback"
    FEEDBACK_THANKS = "feedback_thanks"
    FEEDBACK_SORRY = "feedback_sorry"
    START_OVER = "start_over"
    LANGUAGE_CHANGED = "language_changed"
    # Referrals: the message carries `referral`
    REFERRAL = "referral"
    SAME_REFERRAL = "same_referral"
    EMERGENCY_REFERRAL = "emergency_referral"
    TALK_TO_PERSON = "talk_to_person"
    # The bot's own messages, never sent by Rasa
    WELCOME = "welcome"
    HELP = "help"
    FORGOTTEN = "forgotten"
    DEGRADED = "degraded"
    # The detector could not rule danger out: is someone in danger now? (before Rasa's answer)
    DANGER_CHECK = "danger_check"
    DANGER_CHECK_SELF_HARM = "danger_check_self_harm"
    LANGUAGE_DETECTED = "language_detected"
    OTHER_LANGUAGE = "other_language"
    PRIVATE_ONLY = "private_only"
    UNSUPPORTED_MEDIA = "unsupported_media"
    TOO_LONG = "too_long"
    EMPTY = "empty"


REFERRAL_TEMPLATES = {Template.REFERRAL, Template.EMERGENCY_REFERRAL, Template.TALK_TO_PERSON}


class Asks(StrEnum):
    """What a question waits for; channels may show a matching input (the web page's place field)."""

    ROLE = "role"
    CONCERN = "concern"
    MUNICIPALITY = "municipality"
    LANGUAGE = "language"
    FEEDBACK = "feedback"


class ButtonTemplate(StrEnum):
    """Buttons with a fixed title. The others are `role_<id>`, `concern_<id>`, `intent_<intent>`,
    `language_<code>` and `place_option` (titled by its `name` argument)."""

    PLACE_OPTION = "place_option"
    PLACE_UNKNOWN = "place_unknown"
    FEEDBACK_HELPFUL = "feedback_helpful"
    FEEDBACK_NOT_HELPFUL = "feedback_not_helpful"
    START_OVER = "button_start_over"
    TALK_TO_PERSON = "button_talk_to_person"
    SUICIDAL_THOUGHTS = "button_suicidal_thoughts"


ROLE_BUTTON, CONCERN_BUTTON, INTENT_BUTTON, LANGUAGE_BUTTON = "role_", "concern_", "intent_", "language_"


class Button(TypedDict):
    template: str
    payload: str
    args: NotRequired[dict[str, Any]]


class ServiceRef(TypedDict):
    """One service the action server chose: the card shows this service and this local office."""

    id: str
    location_id: str | None
    reason: str  # a routing.yaml rule id or one of referral_map.rules.UNNAMED_REASONS


class ReferralBody(TypedDict):
    situation: dict[str, str | None]  # the ids of docs/DESIGN.md section 2
    routed_at: str  # ISO 8601: opening hours are shown as they were when the services were chosen
    services: list[ServiceRef]


class Message(TypedDict):
    template: str
    args: dict[str, Any]
    asks: NotRequired[str]
    buttons: NotRequired[list[Button]]
    referral: NotRequired[ReferralBody]


def message(
    template: Template,
    asks: Asks | None = None,
    buttons: list[Button] | None = None,
    args: dict[str, Any] | None = None,
) -> Message:
    body: Message = {"template": template.value, "args": dict(args or {})}
    if asks:
        body["asks"] = asks.value
    if buttons:
        body["buttons"] = buttons
    return body


def button(template: str, payload: str, args: dict[str, Any] | None = None) -> Button:
    made: Button = {"template": template, "payload": payload}
    if args:
        made["args"] = args
    return made


ASKABLE_CONCERNS = [concern for concern in Concern if concern is not Concern.OUT_OF_SCOPE]


def role_buttons() -> list[Button]:
    return [button(ROLE_BUTTON + role.value, payloads.inform_role(role)) for role in Role]


def concern_buttons(likely: Sequence[Concern] = ()) -> list[Button]:
    """The menu of situations: one button per concern a user can pick, the `likely` ones first."""
    first = [c for c in likely if c in ASKABLE_CONCERNS]
    ordered = [*dict.fromkeys(first), *(c for c in ASKABLE_CONCERNS if c not in first)]
    return [button(CONCERN_BUTTON + c.value, payloads.describe(c)) for c in ordered]


def language_buttons() -> list[Button]:
    return [button(LANGUAGE_BUTTON + lang.value, payloads.change_language(lang)) for lang in Language]


def intent_button(intent: str) -> Button:
    """A 'did you mean' button for an intent the model found likely."""
    return button(INTENT_BUTTON + intent, payloads.payload(intent))


def place_button(nis: str, name: str) -> Button:
    return button(ButtonTemplate.PLACE_OPTION, payloads.inform_place(nis), {"name": name, "nis": nis})


UNKNOWN_PLACE_BUTTON = button(ButtonTemplate.PLACE_UNKNOWN, payloads.inform_place("unknown"))
TALK_TO_PERSON_BUTTON = button(ButtonTemplate.TALK_TO_PERSON, payloads.ASK_HUMAN)
START_OVER_BUTTON = button(ButtonTemplate.START_OVER, payloads.START_OVER)
SUICIDAL_THOUGHTS_BUTTON = button(ButtonTemplate.SUICIDAL_THOUGHTS, payloads.SUICIDAL_THOUGHTS)


def referral(
    result: RouteResult,
    template: Template = Template.REFERRAL,
    at: dt.datetime | None = None,
    services: list[ServiceRef] | None = None,
) -> Message:
    """A referral as the route chose it (or `services` chosen from it), to be rendered as sent."""
    chosen: list[ServiceRef] = (
        services
        if services is not None
        else [
            {
                "id": item.service.id,
                "location_id": item.location.id if item.location else None,
                "reason": item.reason,
            }
            for item in result.referrals
        ]
    )
    body = message(template)
    body["referral"] = {
        "situation": result.situation.ids(),
        "routed_at": (at or dt.datetime.now(dt.UTC)).isoformat(),
        "services": chosen,
    }
    return body
