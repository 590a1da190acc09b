"""Rasa's session start keeps the channel's metadata for the session (nlu/session_metadata.py).

Runs in `.venv-rasa`: a child process runs Rasa's own session start, patched, on a tracker with and
without metadata and prints the events it returns.
"""

from __future__ import annotations

import json

from stack.processes import PROJECT_DIR
from tests.auxil.rasa_env import run_in_rasa

START = """
import asyncio, json
from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from nlu import session_metadata
session_metadata.install()
domain = Domain.load("nlu/domain.yml")
for metadata in ({"locale": "fr", "role": "teacher"}, None):
    tracker = DialogueStateTracker("s", domain.slots)
    if metadata:
        tracker.update(SlotSet("session_started_metadata", metadata))
    events = asyncio.run(ActionSessionStart().run(None, None, tracker, domain))
    for event in events:
        tracker.update(event)
    print("EVENTS " + json.dumps([[e.type_name, getattr(e, "key", None)] for e in events]))
    print("SLOT " + json.dumps(tracker.get_slot("session_started_metadata")))
"""


def test_the_session_start_sets_the_metadata_again_after_starting_the_session() -> None:
    lines = run_in_rasa(START, cwd=PROJECT_DIR)
    events = [json.loads(line[7:]) for line in lines if line.startswith("EVENTS ")]
    slots = [json.loads(line[5:]) for line in lines if line.startswith("SLOT ")]
    assert events == [
        [["session_started", None], ["slot", "session_started_metadata"], ["action", None]],
        [["session_started", None], ["action", None]],
    ]
    assert slots == [{"locale": "fr", "role": "teacher"}, None]
