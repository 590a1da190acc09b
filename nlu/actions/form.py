"""Validation of the referral form: role, concern and municipality."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from nlu.actions.cues import declines, own_role, restates, work_role, young_self_role
from nlu.actions.slots import (
    UNKNOWN,
    channel_municipality,
    channel_role,
    earlier_value,
    home_named,
    latest_text,
    locale,
    place_in_message,
    place_names,
    questions_shown,
    user_texts,
)
from nlu.actions.story import says_thanks, story_reading
from protocol.danger import READING_KEY, UNSURE_KEY
from protocol.messages import UNKNOWN_PLACE_BUTTON, Asks, Template, message, place_button
from protocol.payloads import DESCRIBE
from referral_map.geography import Municipality, UnknownPlaceError, gazetteer
from referral_map.taxonomy import Concern, Role

MAX_PLACE_BUTTONS = 5
MAX_PLACE_WORDS = 4  # "saint josse", "Sint-Agatha-Berchem", "1080 Molenbeek"
# Below this confidence the concern the model read is asked, with its likeliest readings first: on the
# real-style development sets 15-18% of first messages are then asked, and half the wrong readings go.
SURE_OF_CONCERN = 0.6
SURE_OF_A_CHANGE = 0.85  # a later message changes the concern the conversation has only when this sure
SURE_OF_A_GENERAL_WORRY = 0.95  # parenting replaces a concern the conversation named only when this sure
LIKELY_CONCERNS = 3
FORM = "referral_form"
MAX_ASKS = 2  # a question is asked at most twice; the second time offers "I prefer not to say"
PRE_EMPTING_INTENTS = {
    "emergency",
    "describe_violence_threat",
    "describe_self_harm",
}  # nlu/data/rules/safety.yml
KIN_ROLES = {Role.PARENT.value, Role.FAMILY.value}
EMERGENCY_CANDIDATE = "emergency"  # among the candidates: offer "someone is in danger right now" first
# With the form asking for the place, these intents (and a message taken whole by `from_text`) answer it.
PLACE_ANSWER_INTENTS = {"inform_place", "deny"}


class ValidateReferralForm(FormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Danger pre-empts the form even when the message also fills a slot ("een leerling van ons ...").

        Rasa's form rejects a turn only when the message fills no slot; rejected by hand, the safety rules
        (nlu/data/rules/safety.yml) answer at once.
        """
        if tracker.latest_message.get("intent", {}).get("name") in PRE_EMPTING_INTENTS:
            return [ActionExecutionRejected(FORM)]
        before = dict(tracker.slots)
        events: list[EventType] = await super().run(dispatcher, tracker, domain)
        return without_repeats(events, before)

    def validate_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        valid = {r.value for r in Role}
        if value in KIN_ROLES:  # "parent" or "family" as the writer's own words say it ("mon petit-fils")
            return {"role": (own_role(latest_text(tracker)) or Role(value)).value}
        if value in valid:
            return {"role": value}
        # The message may carry several role entities, only some of them meaningful ("mijn" in "mijn klas").
        found = [v for v in tracker.get_latest_entity_values("role") if v in valid]
        if found:
            return {"role": found[0]}
        # A stray entity must not undo a role the user (or the channel) already gave.
        earlier = earlier_value(tracker, "role", valid)
        if earlier:
            return {"role": earlier}
        told = told_role(tracker)
        return {"role": told.value if told else None}

    def extract_role(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The channel's role, else a relative the message names: "mijn neef" -> family.

        rasa-sdk runs this before validation on every turn of the form; a role already set, or a valid
        role entity in this message, wins.
        """
        valid = {r.value for r in Role}
        if tracker.get_slot("role") in valid or any(
            v in valid for v in tracker.get_latest_entity_values("role")
        ):
            return {}
        channel = channel_role(tracker)
        if channel:
            return {"role": channel.value}
        told = told_role(tracker)
        if told:
            return {"role": told.value}
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") == "role" and declines(text):
            return {"role": Role.UNKNOWN.value}
        return {"role": Role.UNKNOWN.value} if _asked_enough(tracker, "role") else {}

    def extract_concern(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Asked and answered with something else: go on with the likeliest reading of the story told so
        far (asked twice: else the one the question offered first, else of this message, else the
        general lines)."""
        if tracker.get_slot("concern"):  # read on every turn of the form: leave early
            return {}
        # A clarifying question before the form started counts: it is not asked again when a story is told.
        asked = _asked_times(tracker, "concern") or min(1, questions_shown(tracker, Asks.CONCERN))
        if not asked:
            return {}
        story = story_reading(tracker)
        # Asked once and answered with something else: go on with the story the user told, if any.
        if not story.ranking and asked < MAX_ASKS:
            return {}
        offered = [c for c in tracker.get_slot("concern_candidates") or [] if c != EMERGENCY_CANDIDATE]
        # The story so far knows more than the readings of the message that was asked about.
        likely = story.concerns() or offered or likely_concerns(tracker)
        return {"concern": likely[0] if likely else Concern.PARENTING.value, "concern_asked": True}

    def validate_concern(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        valid = {c.value for c in Concern} - {Concern.OUT_OF_SCOPE.value}
        if value not in valid:
            return {"concern": None}
        intent = tracker.latest_message.get("intent") or {}
        read = intent.get("name") == DESCRIBE + value
        confidence = float(intent.get("confidence", 1.0)) if read else 1.0
        earlier = earlier_value(tracker, "concern", valid)
        # An unsure reading never undoes the concern the conversation has; nor does the general worry
        # replace a named one ("merci, I'll call the parenting line" is not a new situation).
        # A named concern replaces the general worry of a vague opener as soon as it is read with confidence.
        # So does a reading of a message that restates what it is about ("je précise: ...", "eigenlijk ...").
        restated = restates(latest_text(tracker))
        needed = SURE_OF_CONCERN if earlier == Concern.PARENTING.value or restated else SURE_OF_A_CHANGE
        general = value == Concern.PARENTING.value and confidence < SURE_OF_A_GENERAL_WORRY
        if earlier and earlier != value and (confidence < needed or general):
            return {"concern": earlier}
        if confidence >= SURE_OF_CONCERN:
            return {"concern": value}
        story = story_reading(tracker)
        if story.clear and story.likeliest:  # told in several messages: the story as a whole decides
            return {"concern": story.likeliest}
        if not tracker.get_slot("concern_asked"):
            likely = (story.concerns() if story.messages > 1 else likely_concerns(tracker))[:LIKELY_CONCERNS]
            reading = tracker.latest_message.get(READING_KEY) or {}
            if reading.get(
                UNSURE_KEY
            ):  # the model alone read danger, unsure: "danger now" is the first answer
                likely = [EMERGENCY_CANDIDATE, *likely]
            return {"concern": None, "concern_candidates": likely}
        return {"concern": story.likeliest or value}

    def extract_municipality(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "I'd rather not say where I live", whatever the model read in it, or asked twice: go on without."""
        text = latest_text(tracker).strip()
        # A short reply that is a place is the user's place, whatever the model read ("saint josse") and
        # whatever the form asked: "1040" while the concern is asked answers where.
        if _is_a_place(text):
            return {"municipality": text}
        home = None if place_names(tracker) else home_named(text)  # a place the model did not tag
        if home and home != tracker.get_slot("municipality"):
            return {"municipality": home}
        channel = None if tracker.get_slot("municipality") else channel_municipality(tracker)
        if channel:
            return {"municipality": channel}
        if tracker.get_slot("municipality") or tracker.get_slot("requested_slot") != "municipality":
            return {}
        # Declined, asked twice, or thanked: the user wants the referral now, not another question.
        if declines(text) or _asked_enough(tracker, "municipality") or says_thanks(text):
            return {"municipality": UNKNOWN}
        return {}

    def validate_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if text.lower() == UNKNOWN:
            return {"municipality": UNKNOWN}
        if text and text == channel_municipality(tracker):
            return {"municipality": text}
        if not place_names(tracker) and text == home_named(latest_text(tracker)):
            return {"municipality": text}  # "we wonen in houthalen", read by the extraction above
        if not _answers_place_question(tracker, text):
            # Named in passing: taken only when certain, else dropped without a word (the form asks later),
            # and never at the cost of a place the user gave before ("na de aanslag in Brussel").
            taken = place_in_message(tracker, text) if text else None
            if taken is None:
                taken = earlier_value(tracker, "municipality", {*gazetteer().by_nis, UNKNOWN})
            return {"municipality": taken}
        if not text or tracker.latest_message.get("intent", {}).get("name") == "deny" or declines(text):
            return {"municipality": UNKNOWN}
        narrowed = _narrowed_by_other_places(tracker)
        if narrowed:  # "Berchem. The Antwerp one, not the one in Brussels"
            return {"municipality": narrowed}
        if len(place_names(tracker)) > 1:  # "We live in Ghent. well, Merelbeke actually"
            chosen = place_in_message(tracker, text, keep_earlier=False)
            if chosen:
                return {"municipality": chosen}
        query = text[:80]
        try:
            resolution = gazetteer().resolve(query)
        except UnknownPlaceError as error:
            if _asked_enough(tracker, "municipality") or says_thanks(text):
                return {"municipality": UNKNOWN}
            if len(text.split()) > MAX_PLACE_WORDS:  # a sentence about something else: asked again, later
                return {"municipality": None}
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


def without_repeats(events: list[EventType], slots: dict[str, Any]) -> list[EventType]:
    """The events without those setting a slot to the value it already has (rasa-sdk returns every slot it
    validated): each is one more event that Rasa stores, reads back and sends on every later call.

    One slot event is always kept when there is one: Rasa's form counts a turn with no validated slot as
    one that filled nothing, and gives the turn to the other rules.
    """
    filled = [e for e in events if e.get("event") == "slot" and e.get("name") != "requested_slot"]
    repeats = [e for e in filled if slots.get(e["name"]) == e.get("value")]
    if repeats and len(repeats) == len(filled):
        repeats = repeats[1:]
    return [e for e in events if not any(e is r for r in repeats)]


def told_role(tracker: Tracker) -> Role | None:
    """The role the user's own words give, the latest message that gives one first: "ik ben 16" two
    messages ago still says who is writing when the form starts."""
    for text in user_texts(tracker):
        told = own_role(text) or work_role(text) or young_self_role(text)
        if told:
            return told
    return None


def _asked_times(tracker: Tracker, slot: str) -> int:
    """How often the form asked for `slot` and is waiting for it now (0 when it asks for another)."""
    if tracker.get_slot("requested_slot") != slot:
        return 0
    return list(tracker.get_slot("questions_asked") or []).count(slot)


def _asked_enough(tracker: Tracker, slot: str) -> bool:
    """The form asked for `slot` `MAX_ASKS` times and is asking again: it goes on without it instead."""
    return _asked_times(tracker, slot) >= MAX_ASKS


def likely_concerns(tracker: Tracker) -> list[str]:
    """The concerns of the latest message's situation intents, likeliest first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    names = [str(item.get("name", "")) for item in ranking]
    concerns = [name.removeprefix(DESCRIBE) for name in names if name.startswith(DESCRIBE)]
    return [c for c in concerns if c in {x.value for x in Concern} - {Concern.OUT_OF_SCOPE.value}]


def _answers_place_question(tracker: Tracker, value: str) -> bool:
    """Whether the message answers the form's question for the place, rather than naming one in passing.

    A message that is only a place ("1040") answers it whatever the form asked."""
    whole = value == latest_text(tracker).strip()
    if whole and _is_a_place(value):
        return True
    if tracker.get_slot("requested_slot") != "municipality":
        return False
    intent = tracker.latest_message.get("intent", {}).get("name")
    return intent in PLACE_ANSWER_INTENTS or whole


def _is_a_place(text: str) -> bool:
    """A short message that is a place as written: a postcode, a municipality or a locality."""
    if not text or len(text.split()) > MAX_PLACE_WORDS:
        return False
    try:
        gazetteer().resolve(text[:80], forgive_typos=False)
    except UnknownPlaceError:
        return False
    return True


def _narrowed_by_other_places(tracker: Tracker) -> str | None:
    """The one municipality that a place meaning several and another place in the same message share."""
    names = place_names(tracker)
    if len(names) < 2:
        return None
    readings: list[set[str]] = []
    for name in names:
        try:
            readings.append({m.nis for m in gazetteer().resolve(name[:80], forgive_typos=False).matches})
        except UnknownPlaceError:
            continue
    for several in (r for r in readings if len(r) > 1):
        shared = {nis for other in readings if len(other) == 1 for nis in other & several}
        if len(shared) == 1:
            return shared.pop()
    return None
