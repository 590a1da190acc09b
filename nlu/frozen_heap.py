"""The Rasa server's loaded model moved out of the garbage collector's walks (stack/heap.py); runs in
`.venv-rasa` (mypy leaves it out)."""

from __future__ import annotations

from typing import Any

import rasa.core.run

from stack.heap import freeze_long_lived


def install() -> None:
    """Freeze once the model is loaded: Rasa loads it as its server starts."""
    load = rasa.core.run.load_agent_on_start

    async def load_then_freeze(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        freeze_long_lived("Rasa server")
        return agent

    rasa.core.run.load_agent_on_start = load_then_freeze  # type: ignore[assignment]
