"""An ASGI app served by uvicorn on a loopback port in a thread: the bot's HTTP API as clients reach it."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from stack.processes import free_port


@contextlib.contextmanager
def served(app: Any, port: int | None = None, timeout: float = 30.0) -> Iterator[str]:
    """The app's base URL while it is served; stopped on leaving the block."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
