"""Long-lived objects frozen out of the garbage collector's walks (stack/heap.py, nlu/frozen_heap.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from stack.heap import freeze_long_lived
from stack.processes import PROJECT_DIR
from tests.auxil.rasa_env import run_in_rasa


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_what_was_loaded_is_frozen_and_what_turns_create_is_still_collected(thawed: None) -> None:
    kept = [Node() for _ in range(1000)]
    before = gc.get_freeze_count()
    freeze_long_lived("test")
    assert gc.get_freeze_count() >= before + len(kept)
    a, b = Node(), Node()  # a cycle made after freezing: garbage the collector must still find
    a.other, b.other = b, a
    del a, b
    assert gc.collect() >= 2


LOAD = """
import asyncio, gc, sys
from types import SimpleNamespace
import rasa.core.run
from rasa.core.utils import AvailableEndpoints
from nlu import frozen_heap, lean_load
lean_load.install()
frozen_heap.install()
app = SimpleNamespace(ctx=SimpleNamespace())
asyncio.run(rasa.core.run.load_agent_on_start(sys.argv[1], AvailableEndpoints(), None, app, None))
print("READY", app.ctx.agent.is_ready(), "FROZEN", gc.get_freeze_count())
"""


@pytest.mark.slow
def test_the_rasa_server_freezes_its_model_once_loaded() -> None:
    from stack.model import ensure_model

    [line] = [line for line in run_in_rasa(LOAD, str(ensure_model()), cwd=PROJECT_DIR) if "FROZEN" in line]
    _, ready, _, frozen = line.split()
    assert ready == "True"
    assert int(frozen) > 100_000  # the model's objects, not only the interpreter's own
