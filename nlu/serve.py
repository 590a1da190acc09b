"""`python -m nlu.serve run ...`: Rasa's own command line, with three changes to Rasa installed first:
the action server's answers checked by a validator built once (nlu/action_validation.py), a
conversation lock that a dead server held no longer blocks the conversation for good (nlu/ticket_lock.py),
and the model loaded without a training step, in half the memory (nlu/lean_load.py).

Runs in `.venv-rasa` (mypy leaves it out); `stack.processes` starts Rasa through it.
"""

from __future__ import annotations

import sys

from nlu import action_validation, lean_load, ticket_lock


def main() -> None:
    action_validation.install()
    ticket_lock.install()
    lean_load.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
