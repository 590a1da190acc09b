"""Rasa's check of action server answers, built once (nlu/action_validation.py), judges as Rasa's own does.

Runs in `.venv-rasa`, where Rasa and its jsonschema live: a child process compares the two checks on
well-formed and malformed answers and prints one line per answer.
"""

from __future__ import annotations

import json

from tests.auxil.rasa_env import run_in_rasa

ANSWERS = [
    {"events": [{"event": "slot", "name": "role", "value": "parent"}], "responses": [{"text": "Hallo"}]},
    {"events": [], "responses": []},
    {"events": [{"event": "bot", "text": "Dag", "data": {"custom": {"template": "referral"}}}]},
    {"events": [{"event": "slot", "name": "role"}]},  # a slot without a value
    {"events": [{"event": 5}]},
    {"events": "not a list"},
    {"responses": [1]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": "requested_slot", "value": None, "timestamp": None},
                {"event": "active_loop", "name": "referral_form"}, {"event": "followup", "name": "x"}]},
    {"events": [{"event": "user", "text": "hoi", "parse_data": {"entities": [{"entity": "place"}]}}]},
    {"events": [{"event": "user", "text": "hoi", "parse_data": {"intent": {"name": "greet", "confidence": 1}}}]},
    {"events": [{"event": "bot", "text": "Dag", "metadata": "not an object"}]},
    {"events": [{"event": "slot", "name": 7, "value": 1}]},
    {"events": [["slot"]]},
    {"events": None},
    {"events": [{"event": "entities", "entities": []}, {"event": "session_started"}]},
    {"events": [{"name": "role", "value": "parent"}]},  # no event name
    [],
]  # fmt: skip

COMPARE = """
import json, sys
import jsonschema
from rasa.core.actions.action import RemoteAction
from nlu.action_validation import install, quick_check

schema = RemoteAction.action_response_format_spec()
install()
action = RemoteAction("action_check", None)
for answer in json.loads(sys.stdin.read()):
    try:
        jsonschema.validate(answer, schema)
        rasa = "valid"
    except jsonschema.ValidationError as error:
        rasa = error.message
    quick = quick_check().accepts(answer)  # None here would mean the quick check is never used
    if quick != (rasa == "valid"):
        ours = "the quick check disagrees"
        print(json.dumps([rasa, ours]))
        continue
    try:
        action._validate_action_result(answer)
        ours = "valid"
    except jsonschema.ValidationError as error:
        ours = error.message
    print(json.dumps([rasa, ours]))
"""


def test_the_quick_check_accepts_and_refuses_exactly_what_rasa_does() -> None:
    lines = run_in_rasa(COMPARE, stdin=json.dumps(ANSWERS))
    verdicts = [json.loads(line) for line in lines if line.startswith("[")]
    assert len(verdicts) == len(ANSWERS)
    for answer, (rasa, ours) in zip(ANSWERS, verdicts, strict=True):
        if rasa == "valid":
            assert ours == "valid", answer
        else:
            assert ours.startswith(rasa + ". Failed to validate Action server response"), (answer, ours)
    assert [rasa for rasa, _ in verdicts].count("valid") == 6  # the malformed ones really are refused
