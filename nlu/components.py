"""What Wegwijzer's own untrained Rasa 3.6 components share (they run in `.venv-rasa`; mypy leaves them out)."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class Untrained(GraphComponent):
    """A component with nothing to train or store: Rasa creates it as it is."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Untrained:
        return cls()
