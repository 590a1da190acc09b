"""Start the action server and the Rasa server, wait until both answer, stop them cleanly.

Also the environment both run in and free loopback ports to run them on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx

PROJECT_DIR = Path(__file__).resolve().parent.parent
RASA_BIN = PROJECT_DIR / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = PROJECT_DIR / ".venv-rasa" / "bin" / "python"
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


def free_port_pair() -> int:
    """A port p with p and p + 1 free: two servers of the scaled mode on consecutive ports."""
    for _ in range(100):
        port = free_port()
        if port < 65535 and not port_taken(port + 1):
            return port
    raise RuntimeError("no two consecutive free ports")


def listening(host: str, port: int) -> bool:
    """Whether something accepts connections there (PostgreSQL, Redis, a server of ours)."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


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


class PortTakenError(RuntimeError):
    """A port one of the parts needs is already in use (often a part left over from an earlier run)."""


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def check_ports(parts: Sequence[tuple[str, str, int]]) -> None:
    """Raise PortTakenError naming the first (part, host, port) that something else already listens on."""
    for name, host, port in parts:
        if port_taken(port, host):
            raise PortTakenError(
                f"port {port} for {name} is already in use: stop what listens there "
                "(an earlier run?) or choose another port"
            )


@dataclass
class Part:
    """One server process of the stack and how to start it again."""

    name: str
    command: list[str]
    log_path: Path
    environment: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    not_before: float = 0.0  # monotonic time before which a dead part is not started again

    def spawn(self) -> None:
        with self.log_path.open("ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                self.command,
                cwd=PROJECT_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() reaches its workers too
            )

    @property
    def dead(self) -> bool:
        return self.process is not None and self.process.poll() is not None


BACKOFF_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


@dataclass
class Stack:
    """One action server and one Rasa server on loopback, with a SQLite tracker store."""

    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    state_dir: Path = VAR_DIR
    action_host: str = "127.0.0.1"  # rasa-sdk's own default is every interface
    # Rasa's tracker store as endpoints.yml lines; None: SQLite in `state_dir` (`tracker_db`).
    tracker_store: str | None = None
    # Rasa's lock store as endpoints.yml lines; None: in memory (one Rasa server only).
    lock_store: str | None = None
    # Rasa started through nlu/serve.py, with its action answer check built once and its conversation lock
    # freed when a dead server held it; False: Rasa as it is (the benchmark's comparison).
    with_fixes: bool = True
    parts: list[Part] = field(default_factory=list)
    started_in: float = 0.0

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        host = "127.0.0.1" if self.action_host in {"0.0.0.0", "127.0.0.1"} else self.action_host
        return f"http://{host}:{self.action_port}"

    @property
    def processes(self) -> list[subprocess.Popen[bytes]]:
        """The running processes, action server first."""
        return [part.process for part in self.parts if part.process is not None]

    @property
    def tracker_db(self) -> Path:
        """Rasa's tracker store: the conversations, and nothing else (docs/DESIGN.md section 6)."""
        return self.state_dir / f"rasa-tracker-{self.rasa_port}.sqlite3"

    def _endpoints(self) -> Path:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        path = self.state_dir / f"endpoints-{self.rasa_port}.yml"
        tracker = self.tracker_store or f"  type: SQL\n  dialect: sqlite\n  db: {self.tracker_db}\n"
        lock = f"lock_store:\n{self.lock_store}" if self.lock_store else ""
        path.write_text(
            f"action_endpoint:\n  url: {self.action_url}/webhook\ntracker_store:\n{tracker}{lock}",
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
        if self.lock_store:
            # A server that dies holding a conversation's lock blocks that conversation on the others
            # until the lock expires: 10 s instead of Rasa's 60 (a turn takes about 0.1 s).
            environment.setdefault("TICKET_LOCK_LIFETIME", "10")
        self.parts = [
            Part(
                "action server",
                [
                    sys.executable,
                    "-m",
                    "stack.action_server",  # rasa_sdk's server in one process
                    "--actions",
                    "nlu.actions",
                    "--port",
                    str(self.action_port),
                ],
                logs / f"actions-{self.action_port}.log",
                {**environment, "SANIC_HOST": self.action_host},
            ),
            Part(
                "Rasa",
                self._rasa_command(),
                logs / f"rasa-{self.rasa_port}.log",
                environment,
            ),
        ]
        for part in self.parts:
            part.log_path.write_bytes(b"")
            part.spawn()

    def _rasa_command(self) -> list[str]:
        launcher = [str(RASA_PYTHON), "-m", "nlu.serve"] if self.with_fixes else [str(RASA_BIN)]
        return [
            *launcher, "run", "--enable-api", "--interface", "127.0.0.1",
            "--port", str(self.rasa_port), "--model", str(self.model),
            "--endpoints", str(self._endpoints()),
            "--credentials", str(PROJECT_DIR / "nlu" / "credentials.yml"),
        ]  # fmt: skip

    def revive(self, now: float | None = None) -> list[str]:
        """Start again every part that died, waiting longer after each restart; the names restarted."""
        now = time.monotonic() if now is None else now
        revived = []
        for part in self.parts:
            if not part.dead or now < part.not_before:
                continue
            part.not_before = now + BACKOFF_SECONDS[min(part.restarts, len(BACKOFF_SECONDS) - 1)]
            part.restarts += 1
            part.spawn()
            revived.append(part.name)
        return revived

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        checks = [f"{self.action_url}/health", f"{self.rasa_url}/status"]
        while checks:
            for part in self.parts:
                if part.dead:
                    assert part.process is not None
                    self.stop()
                    raise RuntimeError(
                        f"{part.name} exited with {part.process.returncode}; see {part.log_path}"
                    )
            checks = [url for url in checks if not answers(url)]
            if checks and time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(checks)}")
            if checks:
                time.sleep(0.5)

    def stop(self) -> None:
        """SIGTERM to each part's process group, SIGKILL after 20 s: no process is left behind."""
        running = [part.process for part in self.parts if part.process is not None]
        for process in running:
            if process.poll() is None:
                _signal_group(process.pid, signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait()
            _signal_group(process.pid, signal.SIGKILL)  # workers that outlived their parent
        self.parts.clear()

    def __enter__(self) -> Stack:
        return self.start() if not self.parts else self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)
