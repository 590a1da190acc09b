"""Start the action server and the Rasa server, wait until both answer, stop them cleanly.

Also the environment both run in and free loopback ports to run them on.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx

PROJECT_DIR = Path(__file__).resolve().parent.parent
RASA_BIN = PROJECT_DIR / ".venv-rasa" / "bin" / "rasa"
VAR_DIR = PROJECT_DIR / "var"


def answers(url: str, timeout: float = 1.0) -> bool:
    try:
        return httpx.get(url, timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rasa_environment() -> dict[str, str]:
    """The environment of Rasa and the action server: no telemetry, no TensorFlow start-up chatter.

    The project directory is on PYTHONPATH so that Rasa can import custom pipeline components
    (`nlu.use_featurizer.USEFeaturizer`) also when it trains, which it does from `nlu/`.
    """
    path = os.pathsep.join(p for p in (str(PROJECT_DIR), os.environ.get("PYTHONPATH", "")) if p)
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": path,
    }


@dataclass
class Stack:
    """One action server and one Rasa server on loopback, with a SQLite tracker store."""

    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    state_dir: Path = VAR_DIR
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started_in: float = 0.0

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def _endpoints(self) -> Path:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        path = self.state_dir / f"endpoints-{self.rasa_port}.yml"
        tracker = self.state_dir / f"rasa-tracker-{self.rasa_port}.sqlite3"
        path.write_text(
            f"action_endpoint:\n  url: {self.action_url}/webhook\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker}\n",
            encoding="utf-8",
        )
        return path

    def start(self, timeout: float = 240.0) -> Stack:
        """Launch both servers and wait until both answer."""
        began = time.monotonic()
        self.launch()
        self.wait_ready(timeout)
        self.started_in = time.monotonic() - began
        return self

    def launch(self) -> None:
        """Spawn both servers without waiting for them."""
        logs = self.state_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        environment = rasa_environment()
        self._spawn(
            [sys.executable, "-m", "rasa_sdk", "--actions", "nlu.actions", "--port", str(self.action_port)],
            logs / f"actions-{self.action_port}.log",
            environment,
        )
        self._spawn(
            [
                str(RASA_BIN),
                "run",
                "--enable-api",
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--model",
                str(self.model),
                "--endpoints",
                str(self._endpoints()),
                "--credentials",
                str(PROJECT_DIR / "nlu" / "credentials.yml"),
            ],
            logs / f"rasa-{self.rasa_port}.log",
            environment,
        )

    def _spawn(self, command: list[str], log_path: Path, environment: dict[str, str]) -> None:
        with log_path.open("wb") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(
                command,
                cwd=PROJECT_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        checks = [f"{self.action_url}/health", f"{self.rasa_url}/status"]
        while checks:
            for process in self.processes:
                if process.poll() is not None:
                    self.stop()
                    raise RuntimeError(
                        f"{process.args!r} exited with {process.returncode}; see {self.state_dir}/logs"
                    )
            checks = [url for url in checks if not answers(url)]
            if checks and time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(checks)}")
            if checks:
                time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self) -> Stack:
        return self.start() if not self.processes else self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
