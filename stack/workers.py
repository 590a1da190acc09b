"""Several Rasa servers behind one bot (the scaled mode), each with its own action server.

They share one tracker store (PostgreSQL) and one lock store (Redis): a conversation's turns may land on
any server, the tracker store holds its state and the lock store keeps its turns in order. Ports follow
the first server's: Rasa on 5005, 5006, ...; action servers on 5055, 5056, ...
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from stack.processes import VAR_DIR, Stack


@dataclass
class Workers:
    stacks: list[Stack]
    started_in: float = 0.0
    _began: float = field(default=0.0, repr=False)

    @classmethod
    def create(
        cls,
        model: Path,
        count: int,
        rasa_port: int = 5005,
        action_port: int = 5055,
        state_dir: Path = VAR_DIR,
        tracker_store: str | None = None,
        lock_store: str | None = None,
    ) -> Workers:
        if count < 1:
            raise ValueError("at least one Rasa worker")
        if count > 1 and not (tracker_store and lock_store):
            raise ValueError(
                "several Rasa workers need a shared tracker store and lock store: "
                "set WEGWIJZER_TRACKER_DB_URL (postgresql) and WEGWIJZER_LOCK_STORE_URL (redis)"
            )
        return cls(
            [
                Stack(
                    model,
                    rasa_port=rasa_port + index,
                    action_port=action_port + index,
                    state_dir=state_dir,
                    tracker_store=tracker_store,
                    lock_store=lock_store,
                )
                for index in range(count)
            ]
        )

    @property
    def rasa_urls(self) -> list[str]:
        return [stack.rasa_url for stack in self.stacks]

    @property
    def ports(self) -> list[tuple[str, int]]:
        """(part, port) of every server, for the check that no port is already taken."""
        return [
            (name, port)
            for stack in self.stacks
            for name, port in (("the action server", stack.action_port), ("Rasa", stack.rasa_port))
        ]

    def launch(self) -> None:
        self._began = time.monotonic()
        for stack in self.stacks:
            stack.launch()

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for stack in self.stacks:
            stack.wait_ready(max(deadline - time.monotonic(), 1.0))
        self.started_in = time.monotonic() - self._began

    def start(self, timeout: float = 300.0) -> Workers:
        self.launch()
        self.wait_ready(timeout)
        return self

    def revive(self, now: float | None = None) -> list[str]:
        revived = []
        for index, stack in enumerate(self.stacks):
            number = f" {index + 1}" if len(self.stacks) > 1 else ""
            revived += [f"{name}{number}" for name in stack.revive(now)]
        return revived

    def stop(self) -> None:
        for stack in self.stacks:
            stack.stop()

    def __enter__(self) -> Workers:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
