"""Running a piece of Python inside `.venv-rasa`, where Rasa and its pinned libraries live."""

from __future__ import annotations

import subprocess
from pathlib import Path

from stack.processes import PROJECT_DIR, RASA_PYTHON, rasa_environment


def run_in_rasa(
    code: str, *args: str, stdin: str = "", cwd: Path = PROJECT_DIR, timeout: float = 300
) -> list[str]:
    """The lines `code` prints (run with `args`, `stdin` on its standard input); fails if it fails."""
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=rasa_environment(),
        timeout=timeout,
        check=True,
    )
    return done.stdout.splitlines()
