"""After a referral, a message that corrects where the user lives or who they are."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from nlu.actions.cues import lives_there, own_role, place_spans
from nlu.actions.slots import home_named, latest_text, place_in_passing, place_names


def correction_after_referral(tracker: Tracker) -> dict[str, Any]:
    """After a referral, the slots a message changes by naming the user's own place or role."""
    if not tracker.get_slot("last_referral"):
        return {}
    text = latest_text(tracker)
    changes: dict[str, Any] = {}
    homes = [
        place_in_passing(tracker, name)
        for name in place_names(tracker)
        if lives_there(text, place_spans(text, name, []))
    ]
    nis = next((home for home in homes if home), None) or home_named(text)
    if nis and nis != tracker.get_slot("municipality"):
        changes["municipality"] = nis
    role = own_role(text)
    if role and role.value != tracker.get_slot("role"):
        changes["role"] = role.value
    return changes
