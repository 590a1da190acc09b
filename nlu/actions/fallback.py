"""When the model is unsure: a clarifying question first, then the menu of situations."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from nlu.actions.corrections import correction_after_referral
from nlu.actions.form import FORM
from nlu.actions.referral import refer_again
from nlu.actions.slots import latest_text
from nlu.actions.story import says_thanks, story_reading
from protocol.messages import (
    START_OVER_BUTTON,
    TALK_TO_PERSON_BUTTON,
    Asks,
    Template,
    concern_buttons,
    intent_button,
    message,
)

CLARIFY_CHOICES = 3
CLARIFY_MIN_CONFIDENCE = 0.1


class ActionClarify(Action):
    """Two-stage fallback. First: 'did you mean ...?' with the likeliest intents as buttons.
    Second time in a row: the menu of situations and a person to talk to."""

    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if says_thanks(latest_text(tracker)):  # "merci he, ge zijt vriendelijk": no question, a warm reply
            dispatcher.utter_message(
                json_message=message(Template.YOU_ARE_WELCOME, buttons=[START_OVER_BUTTON])
            )
            return []
        corrected = correction_after_referral(tracker)
        if corrected:  # "oei nee, daar werk ik. we wonen in Nevele": the referral is done again
            return refer_again(dispatcher, tracker, corrected)
        if (tracker.active_loop or {}).get("name") == FORM:
            # The form asks its own question next; offer the story's likeliest concerns there, once.
            if tracker.get_slot("concern") or tracker.get_slot("concern_asked"):
                return []
            story = story_reading(tracker)
            return (
                [SlotSet("concern_candidates", story.concerns()[:CLARIFY_CHOICES])] if story.ranking else []
            )
        if tracker.get_slot("clarified") and tracker.get_slot("last_referral"):
            # Not understood twice after a referral ("so what would you suggest?"): the referral stands;
            # every situation and a person stay one tap away.
            dispatcher.utter_message(
                json_message=message(
                    Template.SAME_REFERRAL, buttons=[*concern_buttons(), TALK_TO_PERSON_BUTTON]
                )
            )
            return [SlotSet("clarified", False)]
        if tracker.get_slot("clarified"):
            dispatcher.utter_message(
                json_message=message(
                    Template.FALLBACK_MENU, Asks.CONCERN, [*concern_buttons(), TALK_TO_PERSON_BUTTON]
                )
            )
            return [SlotSet("clarified", False)]
        ranking = tracker.latest_message.get("intent_ranking") or []
        likely = [
            str(item["name"])
            for item in ranking
            if str(item.get("name", "")).startswith(("describe_", "emergency", "ask_"))
            and item.get("confidence", 0) > CLARIFY_MIN_CONFIDENCE
        ][:CLARIFY_CHOICES]
        # The likeliest readings first, then every other situation: the right one is always on offer.
        buttons = [intent_button(intent) for intent in likely]
        offered = {button["payload"] for button in buttons}
        others = [button for button in concern_buttons() if button["payload"] not in offered]
        dispatcher.utter_message(
            json_message=message(Template.CLARIFY, Asks.CONCERN, [*buttons, *others, TALK_TO_PERSON_BUTTON])
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
            json_message=message(
                Template.FALLBACK_MENU, Asks.CONCERN, [*concern_buttons(), TALK_TO_PERSON_BUTTON]
            )
        )
        return [UserUtteranceReverted()]
