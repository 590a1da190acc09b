"""Language changes and starting over."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from nlu.actions.referral import refer_again
from nlu.actions.slots import conversation_language, locale
from protocol.messages import Asks, Template, language_buttons, message
from referral_map.taxonomy import Language


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
        current = conversation_language(tracker)
        if wanted is None and written in ours and current not in {None, Language(written)}:
            wanted = written
        if wanted is None:
            dispatcher.utter_message(
                json_message=message(Template.ASK_LANGUAGE, Asks.LANGUAGE, language_buttons())
            )
            return []
        dispatcher.utter_message(json_message=message(Template.LANGUAGE_CHANGED, args={"language": wanted}))
        if tracker.get_slot("last_referral") and wanted != (current.value if current else None):
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
