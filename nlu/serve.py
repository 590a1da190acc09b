"""`python -m nlu.serve run ...`: Rasa's own command line, with these changes to Rasa installed first:
the action server's answers checked by a validator built once (nlu/action_validation.py), a
conversation lock that a dead server held no longer blocks the conversation for good (nlu/ticket_lock.py),
the model loaded without a training step, in half the memory (nlu/lean_load.py), connections to the
action server and a SQLite tracker store kept rather than opened for each use (nlu/connection_reuse.py),
a SQLite tracker store in write-ahead mode (referral_map/sqlite.py), the loaded model kept out of
the garbage collector's walks (nlu/frozen_heap.py), the channel's metadata kept for the whole session
(nlu/session_metadata.py), and the SQL tracker store's reads and writes as Core statements
(nlu/tracker_queries.py).

Runs in `.venv-rasa` (mypy leaves it out); `stack.processes` starts Rasa through it.
"""

from __future__ import annotations

import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine

from nlu import (
    action_validation,
    connection_reuse,
    frozen_heap,
    lean_load,
    session_metadata,
    ticket_lock,
    tracker_queries,
)
from referral_map.sqlite import tune_connection


def main() -> None:
    action_validation.install()
    ticket_lock.install()
    lean_load.install()
    connection_reuse.install()
    frozen_heap.install()
    session_metadata.install()
    tracker_queries.install()
    event.listen(Engine, "connect", tune_connection)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
