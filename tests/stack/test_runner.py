"""`wegwijzer run` as a service manager sees it: a taken port, a part that dies, SIGTERM to the group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from stack.processes import PROJECT_DIR, free_port, free_port_pair
from tests.auxil.map_files import sqlite_map
from tests.auxil.scaled import REDIS, fresh_database, require_postgres_and_redis


def _runner(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as under a service manager
    )


def _ports_env(rasa: int, actions: int, http: int) -> dict[str, str]:
    return {
        "WEGWIJZER_RASA_URL": f"http://127.0.0.1:{rasa}",
        "WEGWIJZER_ACTIONS_URL": f"http://127.0.0.1:{actions}",
        "WEGWIJZER_HTTP_PORT": str(http),
    }


def test_a_taken_port_is_a_one_line_error_naming_it() -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        runner = _runner(_ports_env(rasa=free_port(), actions=taken, http=free_port()))
        output, _ = runner.communicate(timeout=60)
    assert runner.returncode == 1
    assert output.strip().splitlines() == [
        f"wegwijzer: port {taken} for the action server is already in use: stop what listens there "
        "(an earlier run?) or choose another port"
    ]


def _pids_mentioning(port: int) -> set[int]:
    """Processes whose command line names the port (the parts get it as an argument)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(port).encode() in command and int(entry.name) != os.getpid():
            found.add(int(entry.name))
    return found


def _listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses something listens on at `port`, from /proc/net/tcp."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            addresses.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return addresses


def _wait_for(output: Iterator[str], text: str, seen: list[str]) -> None:
    for line in output:
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"the runner ended before saying {text!r}: {''.join(seen)[-2000:]}")


@pytest.mark.slow
def test_a_dead_part_is_started_again_and_sigterm_leaves_no_process(tmp_path: Path) -> None:
    from stack.model import ensure_model

    ensure_model()  # trained before the clock of the runner starts
    url = sqlite_map(tmp_path)
    rasa, actions, http = free_port(), free_port(), free_port()
    runner = _runner({**_ports_env(rasa, actions, http), "WEGWIJZER_DATABASE_URL": url})
    assert runner.stdout is not None
    seen: list[str] = []
    try:
        _wait_for(runner.stdout, "Ready:", seen)
        assert _listening_addresses(actions) == {"127.0.0.1"}  # never every interface
        assert _listening_addresses(rasa) == {"127.0.0.1"}

        action_server = min(_pids_mentioning(actions))
        os.killpg(action_server, signal.SIGKILL)
        _wait_for(runner.stdout, "action server had stopped: starting it again", seen)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{actions}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise AssertionError("the action server did not come back")

        parts = _pids_mentioning(actions) | _pids_mentioning(rasa)
        assert parts
        os.killpg(runner.pid, signal.SIGTERM)  # what systemd or `docker stop` sends
        runner.wait(timeout=60)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
        runner.stdout.close()
    _wait_until_gone([actions, rasa])


def _wait_until_gone(ports: list[int]) -> None:
    """Every process that names one of the ports has ended (within 30 s), and nothing listens there."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_pids_mentioning(port) for port in ports):
        time.sleep(0.5)
    assert not any(_pids_mentioning(port) for port in ports), "parts left running after SIGTERM"
    assert not any(_listening_addresses(port) for port in ports)


@pytest.mark.slow
def test_the_scaled_mode_starts_two_rasa_servers_on_shared_stores_and_stops_them_all(tmp_path: Path) -> None:
    require_postgres_and_redis()
    from stack.model import ensure_model

    ensure_model()
    rasa, actions, http = free_port_pair(), free_port_pair(), free_port()
    with fresh_database("wegwijzer_runner_test") as tracker_url:
        _run_scaled(tmp_path, rasa, actions, http, tracker_url)
    _wait_until_gone([rasa, rasa + 1, actions, actions + 1])


def _run_scaled(tmp_path: Path, rasa: int, actions: int, http: int, tracker_url: str) -> None:
    runner = _runner(
        {
            **_ports_env(rasa, actions, http),
            "WEGWIJZER_DATABASE_URL": sqlite_map(tmp_path),
            "WEGWIJZER_TRACKER_DB_URL": tracker_url,
            "WEGWIJZER_LOCK_STORE_URL": REDIS,
            "WEGWIJZER_RASA_WORKERS": "2",
        }
    )
    assert runner.stdout is not None
    seen: list[str] = []
    ports = [rasa, rasa + 1, actions, actions + 1]
    try:
        _wait_for(runner.stdout, "Ready:", seen)
        assert all(_listening_addresses(port) == {"127.0.0.1"} for port in ports)
        ready = httpx.get(f"http://127.0.0.1:{http}/readyz", timeout=10).json()
        assert ready["rasa_workers"] == "2/2" and not ready["degraded"]
        answer = httpx.post(
            f"http://127.0.0.1:{http}/api/v1/chat",
            json={
                "session": "scaled-1",
                "text": "mijn dochter praat alleen nog over de ummah",
                "locale": "nl",
            },
            timeout=30,
        ).json()
        assert not answer["degraded"]
        os.killpg(runner.pid, signal.SIGTERM)
        runner.wait(timeout=60)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
        runner.stdout.close()
