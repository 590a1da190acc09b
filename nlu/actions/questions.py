"""The questions the form asks (role, concern, municipality), as custom payloads with buttons."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from nlu.actions.form import EMERGENCY_CANDIDATE
from protocol.danger import ASKED_ABOUT_ARG, READING_KEY, TALK_OF_DYING_INTENT, Danger
from protocol.messages import (
    UNKNOWN_PLACE_BUTTON,
    Asks,
    Template,
    concern_buttons,
    intent_button,
    message,
    role_buttons,
)
from referral_map.taxonomy import Concern


def asked(tracker: Tracker, slot: str) -> SlotSet:
    """Note that the form asked for `slot` once more (the form stops asking after `MAX_ASKS`)."""
    return SlotSet("questions_asked", [*(tracker.get_slot("questions_asked") or []), slot])


def asked_before(tracker: Tracker, slot: str) -> bool:
    return slot in (tracker.get_slot("questions_asked") or [])


# Intents the form answers and then goes on (nlu/data/rules/interruptions.yml).
INTERRUPTIONS = {"ask_what_are_you", "ask_privacy", "ask_human", "out_of_scope", "greet", "change_language"}


def resumes(tracker: Tracker, slot: str) -> bool:
    """The question was asked and the user broke off to ask something else: one short line brings
    them back, and it does not count as asking again."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent in INTERRUPTIONS and asked_before(tracker, slot)


class ActionAskRole(Action):
    def name(self) -> str:
        return "action_ask_role"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if resumes(tracker, "role"):
            dispatcher.utter_message(json_message=message(Template.RESUME_ROLE, Asks.ROLE, role_buttons()))
            return []
        template = Template.ASK_ROLE_AGAIN if asked_before(tracker, "role") else Template.ASK_ROLE
        dispatcher.utter_message(json_message=message(template, Asks.ROLE, role_buttons()))
        return [asked(tracker, "role")]


class ActionAskConcern(Action):
    def name(self) -> str:
        return "action_ask_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        candidates = list(
            tracker.get_slot("concern_candidates") or []
        )  # kept: form.extract_concern reads them
        danger = EMERGENCY_CANDIDATE in candidates
        likely = [Concern(c) for c in candidates if c != EMERGENCY_CANDIDATE]
        buttons = [*([intent_button(EMERGENCY_CANDIDATE)] if danger else []), *concern_buttons(likely)]
        if resumes(tracker, "concern"):
            dispatcher.utter_message(json_message=message(Template.RESUME_CONCERN, Asks.CONCERN, buttons))
            return []
        if candidates and not tracker.get_slot("concern_asked"):
            # The model read the situation but is not sure: its likeliest readings first.
            reading = tracker.latest_message.get(READING_KEY) or {}
            # Talk of dying is named, not asked with 112: the bot leads with its question giving the suicide line.
            dying = danger and reading.get("model_intent") == TALK_OF_DYING_INTENT
            template = Template.CLARIFY_DANGER if danger and not dying else Template.CLARIFY
            args = {ASKED_ABOUT_ARG: Danger.SUICIDAL_INTENT.value} if dying else None
            dispatcher.utter_message(json_message=message(template, Asks.CONCERN, buttons, args))
            return [SlotSet("concern_asked", True), asked(tracker, "concern")]
        template = Template.ASK_CONCERN_AGAIN if asked_before(tracker, "concern") else Template.ASK_CONCERN
        dispatcher.utter_message(json_message=message(template, Asks.CONCERN, buttons))
        return [asked(tracker, "concern")]


class ActionAskMunicipality(Action):
    """Ask where the user lives, unless the validator has just offered suggestions."""

    def name(self) -> str:
        return "action_ask_municipality"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("place_hint_given"):
            return [SlotSet("place_hint_given", False), asked(tracker, "municipality")]
        if resumes(tracker, "municipality"):
            dispatcher.utter_message(
                json_message=message(Template.RESUME_MUNICIPALITY, Asks.MUNICIPALITY, [UNKNOWN_PLACE_BUTTON])
            )
            return []
        again = asked_before(tracker, "municipality")
        template = Template.ASK_MUNICIPALITY_AGAIN if again else Template.ASK_MUNICIPALITY
        dispatcher.utter_message(json_message=message(template, Asks.MUNICIPALITY, [UNKNOWN_PLACE_BUTTON]))
        return [asked(tracker, "municipality")]
