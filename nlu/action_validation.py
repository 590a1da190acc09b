"""A faster check of the action server's answers, inside Rasa 3.6 (runs in `.venv-rasa`; mypy leaves it out).

Rasa validates every action server response with `jsonschema.validate(result, schema)`, which first checks
the large events schema itself against the JSON Schema meta-schema and builds a new validator, on every call:
under load that was some 60% of the Rasa server's busy time (BENCHMARKS.md). The schema never changes, so
it is checked once and its validators are kept.

Each event must match exactly one of the schema's 23 `oneOf` branches, and each branch fixes the event's
name with `const`: an event can only match the branch of its own name. The quick check therefore checks
each event against the shared part and its own branch only, instead of against all 23, and accepts what
that accepts. Anything it refuses goes through the whole schema, so a malformed answer still raises
the same `ValidationError` as Rasa's own check, with Rasa's hint appended.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

HINT = (
    ". Failed to validate Action server response from API, make sure your response from the Action "
    f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
)


@cache
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@dataclass(frozen=True)
class QuickCheck:
    """The answer without its events, and each event against the branch of its own name."""

    outer: Any
    by_event: dict[str, Any]

    def accepts(self, result: Any) -> bool:
        if not self.outer.is_valid(result):
            return False
        for event in result.get("events") or []:
            name = event.get("event") if isinstance(event, dict) else None
            check = self.by_event.get(name) if isinstance(name, str) else None
            if check is None or not check.is_valid(event):
                return False
        return True


@cache
def quick_check() -> QuickCheck | None:
    """None when the schema is not shaped as this check assumes (another Rasa): then Rasa's way only."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    try:
        items = schema["properties"]["events"]["items"]
        branches = items["oneOf"]
        names = [branch["properties"]["event"]["const"] for branch in branches]
    except (KeyError, TypeError):
        return None
    if (
        "$ref" in json.dumps(schema)
        or len(set(names)) != len(names)
        or "event" not in items.get("required", [])
    ):
        return None
    shared = {key: value for key, value in items.items() if key != "oneOf"}
    events = {**schema["properties"]["events"], "items": {}}
    outer = {**schema, "properties": {**schema["properties"], "events": events}}
    return QuickCheck(
        outer=validator_class(outer),
        by_event={
            name: validator_class({"allOf": [shared, branch]})
            for name, branch in zip(names, branches, strict=True)
        },
    )


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """What `RemoteAction._validate_action_result` does, without re-checking the schema each time."""
    quick = quick_check()
    if quick is not None and quick.accepts(result):
        return True
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += HINT
    raise error


def _timings(calls: int = 300) -> None:
    """`.venv-rasa/bin/python -m nlu.action_validation`: one check of an answer of the form's size, in ms."""
    import time

    import jsonschema

    schema = RemoteAction.action_response_format_spec()
    slots = [("role", "parent"), ("concern", "radicalisation"), ("municipality", None),
             ("requested_slot", "municipality"), ("questions_asked", ["role", "municipality"])]  # fmt: skip
    custom = {"template": "ask_municipality", "asks": "municipality", "buttons": [{"payload": "/x"}]}
    answer = {
        "events": [
            *({"event": "slot", "timestamp": None, "name": name, "value": value} for name, value in slots),
            {"event": "bot", "timestamp": None, "text": None, "data": {"custom": custom}, "metadata": {}},
        ],
        "responses": [{"text": None, "buttons": [], "custom": custom}],
    }
    ways = {
        "Rasa's check": lambda: jsonschema.validate(answer, schema),
        "built once": lambda: best_match(response_validator().iter_errors(answer)),
        "quick check": lambda: validate_action_result(RemoteAction("action_x", None), answer),
    }
    for name, way in ways.items():
        way()
        began = time.perf_counter()
        for _ in range(calls):
            way()
        print(f"{name}: {(time.perf_counter() - began) / calls * 1000:.2f} ms")


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


__all__ = ["ValidationError", "install", "validate_action_result"]

if __name__ == "__main__":
    _timings()
