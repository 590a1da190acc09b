"""Rasa's SQL tracker store with Core statements (nlu/tracker_queries.py) reads and writes exactly what
Rasa's own ORM code does.

Runs in `.venv-rasa`: a child process saves the same conversation, in steps and over two sessions, into
two SQLite files, one each way, and compares the rows written and the trackers read back (by either way).
"""

from __future__ import annotations

from stack.processes import PROJECT_DIR
from tests.auxil.rasa_env import run_in_rasa

COMPARE = """
import asyncio, json, sqlite3, sys, tempfile, time
from pathlib import Path
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

rasa_retrieve, rasa_save = SQLTrackerStore._retrieve, SQLTrackerStore.save
from nlu import tracker_queries
tracker_queries.install()
ours_retrieve, ours_save = SQLTrackerStore._retrieve, SQLTrackerStore.save
domain = Domain.load("nlu/domain.yml")

def turn(text, intent, slot, value, action):
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text}
    return [UserUttered(text, parse["intent"], [], parse), SlotSet(slot, value), ActionExecuted(action),
            BotUttered(None, {"custom": {"template": "x"}}), ActionExecuted("action_listen")]

def session(metadata):
    return [SlotSet("session_started_metadata", metadata), ActionExecuted("action_session_start"),
            SessionStarted(), ActionExecuted("action_listen")]

steps = [
    session({"locale": "nl"}) + turn("mijn zoon", "describe_radicalisation", "role", "parent", "referral_form"),
    turn("Gent", "inform_place", "municipality", "44021", "action_refer"),
    session({"locale": "fr"}) + turn("ma fille", "describe_parenting", "role", "parent", "referral_form"),
]
directory = Path(tempfile.mkdtemp())

def store(name):
    return SQLTrackerStore(domain, dialect="sqlite", db=str(directory / name))

async def play(save, retrieve, path):
    kept = store(path)
    for events in steps:  # as Rasa handles a message: read the conversation, add the turn, save
        tracker = await retrieve(kept, "s1", False) or DialogueStateTracker("s1", domain.slots)
        for event in events:
            tracker.update(event)
        await save(kept, tracker)
    return kept, tracker

def rows(path):
    with sqlite3.connect(directory / path) as db:
        return db.execute("select sender_id, type_name, timestamp, intent_name, action_name, data "
                          "from events order by id").fetchall()

async def main():
    global steps
    steps = [[type(e).from_parameters(e.as_dict()) for e in events] for events in steps]
    rasa_store, tracker = await play(rasa_save, rasa_retrieve, "rasa.db")
    ours_store, _ = await play(ours_save, ours_retrieve, "ours.db")
    print("ROWS", json.dumps([rows("rasa.db") == rows("ours.db"), len(rows("ours.db"))]))
    for store_ in (rasa_store, ours_store):
        for everything in (False, True):
            theirs = await rasa_retrieve(store_, "s1", everything)
            ours = await ours_retrieve(store_, "s1", everything)
            same = theirs.current_state(EventVerbosity.ALL) == ours.current_state(EventVerbosity.ALL)
            print("READ", json.dumps([everything, same, len(ours.events)]))
    print("NONE", json.dumps(await ours_retrieve(ours_store, "nobody", False) is None))

asyncio.run(main())
"""


def test_core_statements_write_and_read_what_rasas_orm_code_does() -> None:
    lines = run_in_rasa(COMPARE, cwd=PROJECT_DIR)
    found: dict[str, list[str]] = {
        line.split(" ", 1)[0]: [] for line in lines if line[:4] in {"ROWS", "READ", "NONE"}
    }
    for line in lines:
        if line[:4] in found:
            found[line[:4]].append(line.split(" ", 1)[1])
    assert found["ROWS"] == ["[true, 23]"]  # 4 + 5, 5, then 4 + 5 events, each written once
    # The latest session (from its start: the metadata slot and the start action come before it), then all.
    assert found["READ"] == ["[false, true, 7]", "[true, true, 23]"] * 2
    assert found["NONE"] == ["true"]
