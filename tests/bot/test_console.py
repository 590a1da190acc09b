"""`wegwijzer chat`: a terminal conversation through the real stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stack.processes import Stack

SCRIPT = Path(sys.executable).with_name("wegwijzer")


def test_console_conversation_to_a_referral(stack: Stack, tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "WEGWIJZER_RASA_URL": stack.rasa_url,
        "WEGWIJZER_ACTIONS_URL": stack.action_url,
    }
    lines = "mijn dochter van 15 zit in telegramgroepen met IS-propaganda\n1\nGent\n/quit\n"
    completed = subprocess.run(
        [str(SCRIPT), "chat", "--lang", "nl"],
        input=lines, capture_output=True, text=True, env=environment, timeout=120, check=True,
    )  # fmt: skip
    output = completed.stdout
    assert "Opvoedingslijn" in output
    assert "078 15 00 10" in output
    assert "[1]" in output


def test_console_refuses_an_unknown_language() -> None:
    completed = subprocess.run(
        [str(SCRIPT), "chat", "--lang", "es"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 2
    assert "unknown language 'es'" in completed.stderr
