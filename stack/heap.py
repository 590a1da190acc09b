"""Long-lived objects moved out of the garbage collector's walks, once a server has loaded what it keeps.

Python's oldest-generation collection walks every object a process holds. A server that has loaded its
models and maps holds hundreds of thousands that live as long as it does: under load such a walk took
about 90 ms in the bot, 120 ms in the action server and 250-330 ms in the Rasa server, and every
conversation in flight waited for it (BENCHMARKS.md). Collected once and frozen (`gc.freeze`), they are
never walked again; later collections walk only what turns create.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_long_lived(what: str) -> None:
    gc.collect()
    gc.freeze()
    log.info("%s: %d long-lived objects frozen out of garbage collection", what, gc.get_freeze_count())
