"""Rasa's conversation lock in Redis, made safe for several Rasa servers (runs in `.venv-rasa`).

Two faults of Rasa 3.6's Redis ticket lock show once several servers share it (stack/workers.py):

- Issuing a ticket, dropping expired ones and giving one back each read the lock, change it and write it
  back, with nothing to stop another server in between: two messages of one conversation arriving at two
  servers at once can both get ticket 0 and be handled at the same time, and one of them is lost from the
  tracker. Here each of those steps holds a short Redis mutex of its own for that conversation.
- A waiting ticket's lifetime counts from when it was issued. When a server dies holding a conversation's
  lock, the next turn's ticket expires about when the dead one does; both are dropped, and `is_locked`
  compares the waiting turn's number with `now_serving`, 0 for an empty queue: the turn waits forever.
  Here a queue that holds no ticket locks nobody, so the turn goes ahead once the dead server's ticket
  has expired (TICKET_LOCK_LIFETIME).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore

MUTEX_SECONDS = 5  # far longer than a read and a write to Redis; freed by Redis if a server dies holding it


def is_locked(self: TicketLock, ticket_number: int) -> bool:
    serving = self._ticket_number_for(0)
    return serving is not None and serving != ticket_number


def one_server_at_a_time(step: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(step)
    def guarded(self: RedisLockStore, conversation_id: str, *args: Any, **kwargs: Any) -> Any:
        mutex = self.red.lock(
            f"{self.key_prefix}mutex:{conversation_id}", timeout=MUTEX_SECONDS, blocking_timeout=MUTEX_SECONDS
        )
        with mutex:
            return step(self, conversation_id, *args, **kwargs)

    return guarded


def install() -> None:
    TicketLock.is_locked = is_locked  # type: ignore[method-assign]
    for name in ("issue_ticket", "update_lock", "cleanup"):
        setattr(RedisLockStore, name, one_server_at_a_time(getattr(RedisLockStore, name)))
