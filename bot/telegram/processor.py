"""The order of updates: chats side by side, the updates of one chat one after the other."""

from __future__ import annotations

import asyncio
import inspect
from collections import Counter, OrderedDict
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

REMEMBERED_UPDATES = 10_000  # Telegram sends an update again when a webhook call timed out


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates of different chats run side by side; those of one chat run one after the other, in order.

    An update that comes twice (the same `update_id`) is handled once: one reply, never two.
    """

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: Counter[int] = Counter()
        self._seen: OrderedDict[int, None] = OrderedDict()
        self.processed = 0

    def _again(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        if update.update_id in self._seen:
            return True
        self._seen[update.update_id] = None
        if len(self._seen) > REMEMBERED_UPDATES:
            self._seen.popitem(last=False)
        return False

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        try:
            if self._again(update):
                if inspect.iscoroutine(coroutine):
                    coroutine.close()
                return
            if chat is None:
                await coroutine
                return
            lock = self._locks.setdefault(chat.id, asyncio.Lock())
            self._users[chat.id] += 1
            try:
                async with lock:
                    await coroutine
            finally:
                self._users[chat.id] -= 1
                if not self._users[chat.id]:
                    del self._users[chat.id]
                    del self._locks[chat.id]
        finally:
            self.processed += 1

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
