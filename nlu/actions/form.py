"""Validation of the referral form: role, concern and municipality."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from nlu.actions.slots import UNKNOWN, earlier_value, locale
from protocol.messages import UNKNOWN_PLACE_BUTTON, Asks, Template, message, place_button
from referral_map.geography import Municipality, UnknownPlaceError, gazetteer
from referral_map.taxonomy import Concern, Role

MAX_PLACE_BUTTONS = 5


class ValidateReferralForm(FormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    def validate_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        valid = {r.value for r in Role}
        if value in valid:
            return {"role": value}
        # The message may carry several role entities, only some of them meaningful ("mijn" in "mijn klas").
        found = [v for v in tracker.get_latest_entity_values("role") if v in valid]
        if found:
            return {"role": found[0]}
        # A stray entity must not undo a role the user (or the channel) already gave.
        return {"role": earlier_value(tracker, "role", valid)}

    def validate_concern(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        valid = {c.value for c in Concern} - {Concern.OUT_OF_SCOPE.value}
        return {"concern": value if value in valid else None}

    def validate_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if (
            not text
            or text.lower() == UNKNOWN
            or tracker.latest_message.get("intent", {}).get("name") == "deny"
        ):
            return {"municipality": UNKNOWN}
        query = text[:80]
        try:
            resolution = gazetteer().resolve(query)
        except UnknownPlaceError as error:
            return self._offer(Template.PLACE_NOT_FOUND, query, error.suggestions, dispatcher, tracker)
        if resolution.ambiguous:
            return self._offer(Template.PLACE_AMBIGUOUS, query, resolution.matches, dispatcher, tracker)
        return {"municipality": resolution.matches[0].nis}

    @staticmethod
    def _offer(
        template: Template,
        query: str,
        places: Sequence[Municipality],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """Ask again, with the candidate places as buttons; the form then skips its own question."""
        language = locale(tracker)
        buttons = [place_button(m.nis, m.name(language)) for m in places[:MAX_PLACE_BUTTONS]]
        dispatcher.utter_message(
            json_message=message(
                template, Asks.MUNICIPALITY, [*buttons, UNKNOWN_PLACE_BUTTON], {"query": query}
            )
        )
        return {"municipality": None, "place_hint_given": True}
