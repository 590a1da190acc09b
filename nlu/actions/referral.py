"""The actions that end in referrals: the form's result, emergencies, and 'talk to a person'."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from nlu.actions.corrections import correction_after_referral
from nlu.actions.map_source import directory, refer
from nlu.actions.slots import latest_text, situation
from nlu.actions.story import says_thanks
from protocol import payloads
from protocol.danger import IMPLIED_CONCERN, NOT_EMERGENCIES, READING_KEY, danger_of
from protocol.messages import (
    START_OVER_BUTTON,
    TALK_TO_PERSON_BUTTON,
    Asks,
    ButtonTemplate,
    ServiceRef,
    Template,
    button,
    message,
    referral,
)
from protocol.payloads import concern_of
from referral_map.routing import Situation
from referral_map.taxonomy import Concern, Language, Role, Urgency

PRE_EMPTING_INTENTS = {
    "emergency": (None, Urgency.EMERGENCY),
    "describe_violence_threat": (Concern.VIOLENCE_THREAT, None),
    "describe_self_harm": (Concern.SELF_HARM, None),
}


class ActionRefer(Action):
    """The referral for the situation the form collected, and "did this help?"."""

    def name(self) -> str:
        return "action_refer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return _refer(dispatcher, tracker, situation(tracker)) + ask_feedback(dispatcher, tracker)


def refer_again(
    dispatcher: CollectingDispatcher, tracker: Tracker, changes: dict[str, Any]
) -> list[EventType]:
    """The slots `changes` sets, and the referral for the situation they change, in this same action.

    (A `FollowupAction` would leave Rasa's policies after it with no rule to follow: the fallback menu.)"""
    known = situation(tracker)
    role = Role(changes["role"]) if "role" in changes else known.role
    updates = {
        "role": role,
        "municipality": changes.get("municipality", known.municipality),
        "language": Language(changes["language"]) if "language" in changes else known.language,
    }
    changes = {**changes, "role": role.value}  # also undoes a stray role entity the slot took
    slots: list[EventType] = [SlotSet(slot, value) for slot, value in changes.items()]
    return slots + _refer(dispatcher, tracker, known.model_copy(update=updates))


def _refer(dispatcher: CollectingDispatcher, tracker: Tracker, known: Situation) -> list[EventType]:
    now = dt.datetime.now(dt.UTC)
    key = json.dumps(known.ids(), sort_keys=True)
    if key == tracker.get_slot("last_referral"):  # nothing changed: say so, do not send it all again
        # "merci, ik ga die opvoedingslijn morgen bellen", read as the situation again: a warm reply.
        thanked = says_thanks(latest_text(tracker))
        reply = message(Template.YOU_ARE_WELCOME, buttons=[START_OVER_BUTTON]) if thanked else None
        dispatcher.utter_message(json_message=reply or message(Template.SAME_REFERRAL))
        return [SlotSet("clarified", False)]
    dispatcher.utter_message(json_message=referral(refer(known, now), at=now))
    return [SlotSet("clarified", False), SlotSet("last_referral", key)]


def ask_feedback(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "Did this help you?" after a referral, in the same answer; once a conversation, not again after every
    later referral. (Asked by the referring action itself: one call to the action server fewer.)"""
    if tracker.get_slot("feedback_asked"):
        return []
    buttons = [
        button(ButtonTemplate.FEEDBACK_HELPFUL, payloads.FEEDBACK_HELPFUL),
        button(ButtonTemplate.FEEDBACK_NOT_HELPFUL, payloads.FEEDBACK_NOT_HELPFUL),
        START_OVER_BUTTON,
    ]
    dispatcher.utter_message(json_message=message(Template.ASK_FEEDBACK, Asks.FEEDBACK, buttons))
    return [SlotSet("feedback_asked", True)]


class ActionFeedbackAnswer(Action):
    """ "Yes" or "no" to "did this help?"; unless the message corrects the situation ("nee, we wonen in
    Nevele"): then the referral is done again."""

    def name(self) -> str:
        return "action_feedback_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        corrected = correction_after_referral(tracker)
        if corrected:
            return refer_again(dispatcher, tracker, corrected)
        if (tracker.latest_message.get("intent") or {}).get("name") == "deny":
            reply = message(Template.FEEDBACK_SORRY, buttons=[TALK_TO_PERSON_BUTTON, START_OVER_BUTTON])
        else:
            reply = message(Template.FEEDBACK_THANKS, buttons=[START_OVER_BUTTON])
        dispatcher.utter_message(json_message=reply)
        return []


class ActionEmergencyReferral(Action):
    """112 and 101 first (or the suicide line), at once, whatever the form still lacks; then "did this
    help?"."""

    def name(self) -> str:
        return "action_emergency_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        concern, urgency = _reading(tracker.latest_message)
        if urgency is None and tracker.get_slot("urgency") == Urgency.EMERGENCY.value:
            urgency = Urgency.EMERGENCY
        known = situation(
            tracker, concern=concern or Concern.VIOLENCE_THREAT, urgency=urgency or Urgency.ROUTINE
        )
        now = dt.datetime.now(dt.UTC)
        payload = referral(refer(known, now), Template.EMERGENCY_REFERRAL, at=now)
        dispatcher.utter_message(json_message=payload)
        # The emergency numbers were given: later referrals in this conversation are urgent, not 112 again.
        later = Urgency.URGENT if known.urgency is Urgency.EMERGENCY else known.urgency
        return [
            SlotSet("concern", known.concern.value),
            SlotSet("urgency", later.value),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *ask_feedback(dispatcher, tracker),
        ]


def _reading(parse: dict[str, Any]) -> tuple[Concern | None, Urgency | None]:
    """The concern and urgency a pre-empting message names: the bot's danger verdict (with the model's
    reading for the concern a kind does not imply), else the intent."""
    reading = parse.get(READING_KEY) or {}
    kind = danger_of(reading.get("kind"))
    if kind is not None:
        # Talk of wanting to die is not an emergency by itself, and never routine.
        urgent = Urgency.URGENT if kind in NOT_EMERGENCIES else Urgency.EMERGENCY
        implied = Concern(IMPLIED_CONCERN[kind]) if kind in IMPLIED_CONCERN else None
        return implied or _concern_of_intent(reading.get("model_intent")) or _likeliest_concern(parse), urgent
    intent = parse.get("intent", {}).get("name", "emergency")
    concern, urgency = PRE_EMPTING_INTENTS.get(intent, (None, Urgency.EMERGENCY))
    return concern or _likeliest_concern(parse), urgency


def _concern_of_intent(intent: object) -> Concern | None:
    concern = concern_of(f"/{intent}") if intent else None
    return concern if concern is not Concern.OUT_OF_SCOPE else None


def _likeliest_concern(parse: dict[str, Any]) -> Concern | None:
    """An emergency says nothing of what is going on: the model's likeliest situation says it."""
    for item in parse.get("intent_ranking") or []:
        concern = _concern_of_intent(item.get("name"))
        if concern is not None:
            return concern
    return None


class ActionTalkToPerson(Action):
    """The listening line of the user's community and its line for questions about raising children,
    each with its hours; once the situation is known, first the service for it that one can call."""

    def name(self) -> str:
        return "action_talk_to_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        known = situation(tracker)
        now = dt.datetime.now(dt.UTC)
        result = refer(known, now)
        data = directory()
        line = data.rules.fallback.by_community.get(result.community)
        safety = {rule.id for rule in data.rules.safety}
        ids: list[str] = []
        if tracker.get_slot("last_referral"):  # the situation is known: its first service one can call
            ids += [
                r.service.id for r in result.referrals if r.service.channels.phones and r.reason not in safety
            ][:1]
        if line and line not in ids:
            ids.append(line)
        parenting = refer(
            known.model_copy(update={"concern": Concern.PARENTING, "urgency": Urgency.ROUTINE}), now
        )
        ids += [
            r.service.id
            for r in parenting.referrals
            if r.service.channels.phones and r.reason not in safety and r.service.id not in ids
        ][:1]
        services: list[ServiceRef] = [
            {"id": service_id, "location_id": None, "reason": "talk_to_person"} for service_id in ids
        ]
        dispatcher.utter_message(
            json_message=referral(result, Template.TALK_TO_PERSON, at=now, services=services)
        )
        return [SlotSet("language", known.language.value)]
