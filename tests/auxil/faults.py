"""Fault injection on loopback: a TCP proxy in front of a real server that can hold its answers back."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator

from stack.processes import free_port


class SlowProxy:
    """Forwards 127.0.0.1:`port` to 127.0.0.1:`target`; every chunk the server sends waits `delay` seconds.

    The request itself goes through at once, so the server still receives and handles it: only the
    answer is late, as with a server under load.
    """

    def __init__(self, target: int) -> None:
        self.target = target
        self.port = free_port()
        self.delay = 0.0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._connection, "127.0.0.1", self.port))
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()
            for writer in self._writers:
                writer.close()
            self._loop.run_until_complete(self._closed())
            self._loop.run_until_complete(server.wait_closed())
            self._loop.close()

    async def _closed(self) -> None:
        for writer in self._writers:
            with contextlib.suppress(OSError):
                await writer.wait_closed()
        await asyncio.sleep(0)

    async def _connection(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        self._writers.add(client_out)
        try:
            server_in, server_out = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            client_out.close()
            return
        self._writers.add(server_out)
        await asyncio.gather(
            self._pipe(client_in, server_out, slow=False), self._pipe(server_in, client_out, slow=True)
        )

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, slow: bool) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while chunk := await source.read(65536):
                if slow and self.delay:
                    await asyncio.sleep(self.delay)
                sink.write(chunk)
                await sink.drain()
        sink.close()

    def __enter__(self) -> SlowProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@contextlib.contextmanager
def slow_proxy(target: int) -> Iterator[SlowProxy]:
    with SlowProxy(target) as proxy:
        yield proxy
