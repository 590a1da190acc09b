"""Session start, language changes and starting over."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from nlu.actions.referral import refer_again
from nlu.actions.slots import UNKNOWN, locale
from protocol.messages import Asks, Template, language_buttons, message
from referral_map.geography import gazetteer
from referral_map.taxonomy import Language, Role


class ActionSessionStart(Action):
    """Copy the locale and what the channel already knows (role, municipality) into slots."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        metadata: dict[str, Any] = tracker.get_slot("session_started_metadata") or {}
        events: list[EventType] = [SessionStarted()]
        locale_value = str(metadata.get("locale") or "")[:2].lower()
        if locale_value in {language.value for language in Language}:
            events.append(SlotSet("language", locale_value))
        role = metadata.get("role")
        if role in {r.value for r in Role}:
            events.append(SlotSet("role", role))
        place = metadata.get("municipality")
        if isinstance(place, str) and place.strip():
            nis = UNKNOWN if place.strip().lower() == UNKNOWN else gazetteer().nis_of(place)
            if nis:
                events.append(SlotSet("municipality", nis))
        events.append(ActionExecuted("action_listen"))
        return events


class ActionChangeLanguage(Action):
    """Switch the reply language; the channel renders every later message in it."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ours = {language.value for language in Language}
        named = [value for value in tracker.get_latest_entity_values("language") if value in ours]
        # "mag ik verder in het Nederlands? mijn Frans is ..." names two languages; the bot read the message
        # as written in the new one and says so in the metadata.
        written = str((tracker.latest_message.get("metadata") or {}).get("locale") or "")[:2]
        wanted = named[0] if len(set(named)) == 1 else None
        if wanted is None and written in ours and tracker.get_slot("language") not in {None, written}:
            wanted = written
        if wanted is None:
            dispatcher.utter_message(
                json_message=message(Template.ASK_LANGUAGE, Asks.LANGUAGE, language_buttons())
            )
            return []
        dispatcher.utter_message(json_message=message(Template.LANGUAGE_CHANGED, args={"language": wanted}))
        if tracker.get_slot("last_referral") and wanted != tracker.get_slot("language"):
            # The services were given in the other language: again in this one (in Brussels, other services).
            return refer_again(dispatcher, tracker, {"language": wanted})
        return [SlotSet("language", wanted)]


class ActionStartOver(Action):
    """Forget the situation (not the language) and start again."""

    def name(self) -> str:
        return "action_start_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(json_message=message(Template.START_OVER, Asks.CONCERN))
        return [AllSlotsReset(), ActiveLoop(None), SlotSet("language", locale(tracker).value)]
