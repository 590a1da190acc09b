"""A faster check of the action server's answers, inside Rasa 3.6 (runs in `.venv-rasa`; mypy leaves it out).

Rasa validates every action server response with `jsonschema.validate(result, schema)`, which first checks
the large events schema itself against the JSON Schema meta-schema and builds a new validator, on every call:
under load that was some 60% of the Rasa server's busy time (BENCHMARKS.md). The schema never changes, so
it is checked once and one validator is kept; each response is still validated against the same schema, and
a malformed one still raises the same `ValidationError` with Rasa's own hint appended.
"""

from __future__ import annotations

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


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """What `RemoteAction._validate_action_result` does, without re-checking the schema each time."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += HINT
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


__all__ = ["ValidationError", "install", "validate_action_result"]
