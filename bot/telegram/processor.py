"""The order of updates: chats side by side, the updates of one chat one after the other."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates of different chats run side by side; those of one chat run one after the other, in order."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: Counter[int] = Counter()
        self.processed = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        try:
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
