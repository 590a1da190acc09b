"""The questions the form asks, as custom payloads with buttons (DESIGN section 4)."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from referral_map.taxonomy import Concern, Role

ASKABLE_CONCERNS = [c for c in Concern if c is not Concern.OUT_OF_SCOPE]


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}" + (json.dumps(entities, separators=(",", ":")) if entities else "")


def message(
    template: str, asks: str | None = None, buttons: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"template": template, "args": {}}
    if asks:
        body["asks"] = asks
    if buttons:
        body["buttons"] = buttons
    return body


ROLE_BUTTONS = [
    {"template": f"role_{r.value}", "payload": payload("inform_role", role=r.value)} for r in Role
]
CONCERN_BUTTONS = [
    {"template": f"concern_{c.value}", "payload": payload(f"describe_{c.value}")} for c in ASKABLE_CONCERNS
]
UNKNOWN_PLACE_BUTTON = {"template": "place_unknown", "payload": payload("inform_place", place="unknown")}
TALK_TO_PERSON_BUTTON = {"template": "button_talk_to_person", "payload": payload("ask_human")}


class ActionAskRole(Action):
    def name(self) -> str:
        return "action_ask_role"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(json_message=message("ask_role", "role", ROLE_BUTTONS))
        return []


class ActionAskConcern(Action):
    def name(self) -> str:
        return "action_ask_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(json_message=message("ask_concern", "concern", CONCERN_BUTTONS))
        return []


class ActionAskMunicipality(Action):
    """Ask where the user lives, unless the validator has just offered suggestions."""

    def name(self) -> str:
        return "action_ask_municipality"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("place_hint_given"):
            return [SlotSet("place_hint_given", False)]
        dispatcher.utter_message(
            json_message=message("ask_municipality", "municipality", [UNKNOWN_PLACE_BUTTON])
        )
        return []


class ActionClarify(Action):
    """Two-stage fallback. First: 'did you mean ...?' with the likeliest intents as buttons.
    Second time in a row: the menu of situations and a person to talk to."""

    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("clarified"):
            dispatcher.utter_message(
                json_message=message("fallback_menu", "concern", [*CONCERN_BUTTONS, TALK_TO_PERSON_BUTTON])
            )
            return [SlotSet("clarified", False)]
        ranking = tracker.latest_message.get("intent_ranking") or []
        likely = [
            item["name"]
            for item in ranking
            if str(item.get("name", "")).startswith(("describe_", "emergency", "ask_"))
            and item.get("confidence", 0) > 0.1
        ][:3]
        buttons = [{"template": f"intent_{intent}", "payload": payload(intent)} for intent in likely]
        dispatcher.utter_message(
            json_message=message("clarify", "concern", [*buttons, TALK_TO_PERSON_BUTTON])
        )
        return [SlotSet("clarified", True)]


class ActionDefaultFallback(Action):
    """When no rule fits: the menu, and the turn is forgotten so the conversation continues."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            json_message=message("fallback_menu", "concern", [*CONCERN_BUTTONS, TALK_TO_PERSON_BUTTON])
        )
        return [UserUtteranceReverted()]
