"""What the channel said at a session's start kept for the whole session (runs in `.venv-rasa`; mypy
leaves it out).

Rasa's own session start (in the Rasa server: no call to the action server) puts the channel's metadata
(locale, and the role or place the channel knows) in the `session_started_metadata` slot and then starts
the session, which clears every slot; Rasa's SQL tracker store also reads a conversation back from its
latest session start only. So from the second turn the metadata was gone. The session start now sets the
slot again after starting the session, where it stays for the session (`nlu/actions/slots.py` reads it).
"""

from __future__ import annotations

from typing import Any

from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.constants import SESSION_START_METADATA_SLOT
from rasa.shared.core.events import ActionExecuted, Event, SlotSet

_rasa_run = ActionSessionStart.run


async def run(
    self: ActionSessionStart, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Event]:
    events: list[Event] = await _rasa_run(self, output_channel, nlg, tracker, domain)
    metadata = tracker.get_slot(SESSION_START_METADATA_SLOT)
    if metadata:
        at = len(events) - 1 if events and isinstance(events[-1], ActionExecuted) else len(events)
        events.insert(at, SlotSet(SESSION_START_METADATA_SLOT, metadata))
    return events


def install() -> None:
    ActionSessionStart.run = run  # type: ignore[method-assign]
