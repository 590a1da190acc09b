"""`wegwijzer bench`: simulated users hold whole conversations through the HTTP API, beside plain Rasa.

For each mode, `wegwijzer run` is started as an operator would start it (the embedded default; the same
answering Telegram in webhook mode; the scaled mode with one and with two Rasa servers on PostgreSQL and
Redis), and at each concurrency level a fixed number of conversations in the four languages is played
through `/api/v1/chat` (or posted to `/telegram/webhook`, a turn lasting until the first answer reaches the
Bot API stand-in of stack/bot_api.py), each conversation's turns one after the other. In the same run, plain Rasa's REST channel serves a `rasa init` model to the same load
as the baseline. Printed per mode and level: per-turn latency (p50, p95, p99), throughput, errors, answers
in the reduced mode; the resident memory of every process after the load; a PNG of latency against
concurrency. Figures from a shared machine are noisy: compare the modes and the ratio, not single runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from stack.bot_api import TOKEN, BotApi
from stack.measure import percentile, rss_mb
from stack.processes import PROJECT_DIR, VAR_DIR, free_port, free_port_pair, listening
from stack.stores import recreate_database

LEVELS = (1, 5, 20, 50)
RATIO_LEVEL = 20  # the summary compares the modes at this many conversations at once
POSTGRES = os.environ.get("WEGWIJZER_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS = os.environ.get("WEGWIJZER_BENCH_REDIS", "redis://127.0.0.1:6379/9")
BENCH_DATABASE = "wegwijzer_bench"

# Conversations as people hold them: a worry, who they are, where they live (written for the benchmark).
CONVERSATIONS: dict[str, list[list[str]]] = {
    "nl": [
        ["mijn zoon van 16 kijkt de hele avond filmpjes van strijders en zegt dat wij geen echte moslims zijn",
         "ik ben zijn mama", "we wonen in Gent"],
        ["ik geef les in het vierde jaar en een leerling deelt memes over de 'grote vervanging'",
         "ik ben leerkracht", "Mechelen"],
    ],
    "fr": [
        ["ma fille de 15 ans ne parle plus que de la oumma et veut arrêter l'école", "je suis sa mère",
         "on habite à Liège"],
        ["je suis éducateur dans une AMO, un jeune tient des propos haineux sur les réseaux",
         "je travaille avec des jeunes", "Charleroi"],
    ],
    "de": [
        ["mein Sohn hängt nur noch mit Leuten aus einem Telegram-Kanal ab, die gegen alle hetzen",
         "ich bin sein Vater", "Eupen"],
        ["ich bin Lehrerin und in meiner Klasse gibt es seit dem Anschlag nur noch Streit", "Lehrerin",
         "St. Vith"],
    ],
    "en": [
        ["my nephew keeps talking about going to fight abroad and sold his console last week",
         "I'm his aunt", "Brussels"],
        ["I'm the imam of a small mosque and a mother asked me for help with her son who is drifting away",
         "imam", "Antwerp"],
    ],
}  # fmt: skip
RASA_INIT_CONVERSATION = ["hello", "I am sad", "yes", "great", "bye"]


@dataclass
class Level:
    concurrency: int
    conversations: int
    turns: int
    errors: int
    degraded: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def throughput_rps(self) -> float:
        return round(self.turns / self.seconds, 2) if self.seconds else 0.0


@dataclass
class ModeResult:
    mode: str
    ready_seconds: float | None = None
    levels: list[Level] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    skipped: str | None = None

    def at(self, concurrency: int) -> Level | None:
        return next((level for level in self.levels if level.concurrency == concurrency), None)

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "levels": [{**asdict(level), "throughput_rps": level.throughput_rps} for level in self.levels],
            "rss_total_mb": round(sum(self.rss_mb.values()), 1),
        }


# --- load -------------------------------------------------------------------------------------------------


async def _play(
    client: httpx.AsyncClient,
    turn: Any,
    conversation: Sequence[Any],
    latencies: list[float],
    faults: list[str],
) -> None:
    for message in conversation:
        started = time.perf_counter()
        try:
            outcome = await turn(client, message)
        except (httpx.HTTPError, ValueError) as error:
            faults.append(type(error).__name__)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        if outcome:
            faults.append(outcome)


async def _load(
    url: str, turn_for: Any, conversations: list[Sequence[Any]], concurrency: int
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    faults: list[str] = []
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency + 5, max_keepalive_connections=concurrency + 5)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one(conversation: Sequence[Any]) -> None:
            async with gate:
                await _play(client, turn_for(uuid.uuid4().hex), conversation, latencies, faults)

        started = time.perf_counter()
        await asyncio.gather(*(one(conversation) for conversation in conversations))
        seconds = time.perf_counter() - started
    return latencies, faults, seconds


def _api_turn(session: str) -> Any:
    async def turn(client: httpx.AsyncClient, message: tuple[str, str]) -> str | None:
        locale, text = message
        response = await client.post(
            "/api/v1/chat", json={"session": session, "text": text, "locale": locale}
        )
        response.raise_for_status()
        return "degraded" if response.json().get("degraded") else None

    return turn


def _rest_turn(session: str) -> Any:
    async def turn(client: httpx.AsyncClient, text: str) -> str | None:
        response = await client.post("/webhooks/rest/webhook", json={"sender": session, "message": text})
        response.raise_for_status()
        return None if response.json() else "no answer"

    return turn


def _measure_levels(
    url: str, turn_for: Any, scripts: Sequence[Sequence[Any]], levels: Sequence[int], count: int
) -> list[Level]:
    results = []
    for concurrency in levels:
        conversations = [scripts[index % len(scripts)] for index in range(max(count, concurrency))]
        latencies, faults, seconds = asyncio.run(_load(url, turn_for, conversations, concurrency))
        measured = latencies or [0.0]
        results.append(
            Level(
                concurrency=concurrency,
                conversations=len(conversations),
                turns=len(latencies),
                errors=sum(fault != "degraded" for fault in faults),
                degraded=faults.count("degraded"),
                seconds=round(seconds, 2),
                p50_ms=round(percentile(measured, 0.5), 1),
                p95_ms=round(percentile(measured, 0.95), 1),
                p99_ms=round(percentile(measured, 0.99), 1),
            )
        )
        print(f"  {concurrency:>3} at once: {_level_text(results[-1])}", file=sys.stderr, flush=True)
    return results


def _level_text(level: Level) -> str:
    return (
        f"p50 {level.p50_ms:.0f} ms, p95 {level.p95_ms:.0f} ms, p99 {level.p99_ms:.0f} ms, "
        f"{level.throughput_rps:.1f} turns/s, {level.errors} errors, {level.degraded} reduced"
    )


class TelegramStandIn:
    """The Bot API stand-in (stack/bot_api.py) in a thread of its own, which the bot in webhook mode
    calls; the bench posts updates to the bot's webhook and waits for the answer to reach the stand-in."""

    def __init__(self) -> None:
        self.api = BotApi()
        self._started = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)
        self._update_ids = itertools.count(1)

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        await self.api.start()
        self._started.set()
        await self._stop.wait()
        await self.api.stop()

    def __enter__(self) -> TelegramStandIn:
        self._thread.start()
        if not self._started.wait(30):
            raise RuntimeError("the Bot API stand-in did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def webhook_secret(self) -> str | None:
        registered = [call for call in list(self.api.calls) if call.method == "setWebhook"]
        return str(registered[-1].params.get("secret_token")) if registered else None

    def answered(self, chat_id: int) -> int:
        return self.api.sent_per_chat[chat_id]

    def turn_for(self, session: str) -> Any:
        chat_id = 10_000_000 + int(session[:7], 16)
        secret = self.webhook_secret() or ""

        async def turn(client: httpx.AsyncClient, message: tuple[str, str]) -> str | None:
            language, text = message
            person = {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": language}
            update = {
                "update_id": next(self._update_ids),
                "message": {
                    "message_id": next(self._update_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
                    "from": person,
                    "text": text,
                },
            }
            before = self.answered(chat_id)
            response = await client.post(
                "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            )
            response.raise_for_status()
            deadline = time.monotonic() + 30
            while self.answered(chat_id) == before:  # the first answer message reached "Telegram"
                if time.monotonic() > deadline:
                    return "no answer"
                await asyncio.sleep(0.005)
            return None

        return turn


# --- processes ---------------------------------------------------------------------------------------------


def _tree(root: int) -> list[tuple[int, int]]:
    """(pid, parent pid) of `root` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [(root, 0)]
    while todo:
        pid, parent = todo.pop()
        found.append((pid, parent))
        todo += [(child, pid) for child in children.get(pid, [])]
    return found


def _process_name(pid: int) -> str | None:
    try:
        words = (Path(f"/proc/{pid}") / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    command = " ".join(word.decode(errors="replace") for word in words if word)
    for marker, name in (
        ("stack.action_server", "action server"),
        (" run --enable-api", "Rasa"),
        ("bot.cli run", "bot"),
    ):
        if marker in command:
            port = next((word for word in command.split() if word.isdigit() and len(word) >= 4), "")
            return f"{name} {port}".strip()
    return None


def memory_of_tree(root: int) -> dict[str, float]:
    """RSS in MB of each process under `root`, named by what it is (a helper process by its parent)."""
    names: dict[int, str] = {}
    memory: dict[str, float] = {}
    for pid, parent in _tree(root):
        name = _process_name(pid) or f"{names.get(parent, 'process')} helper"
        names[pid] = name
        while name in memory:
            name += "'"
        with contextlib.suppress(OSError):
            memory[name] = round(rss_mb(pid), 1)
    return memory


def _wait_ready(url: str, runner: subprocess.Popen[bytes], timeout: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if runner.poll() is not None:
            raise RuntimeError(f"wegwijzer run exited with {runner.returncode}")
        with contextlib.suppress(httpx.HTTPError, ValueError):
            status = httpx.get(f"{url}/readyz", timeout=2).json()
            workers = status.get("rasa_workers", "0/1").split("/")
            if not status.get("degraded") and workers[0] == workers[1]:
                return time.monotonic() - began
        time.sleep(0.5)
    raise TimeoutError(f"not ready after {timeout:.0f} s")


def _fresh_postgres() -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        recreate_database(f"{POSTGRES}/postgres", BENCH_DATABASE)
    except SQLAlchemyError:
        return False
    return True


def _redis_answers() -> bool:
    parts = urlsplit(REDIS)
    return listening(parts.hostname or "127.0.0.1", parts.port or 6379)


def run_mode(
    mode: str,
    workers: int,
    scaled: bool,
    levels: Sequence[int],
    count: int,
    telegram: TelegramStandIn | None = None,
) -> ModeResult:
    result = ModeResult(mode)
    state = Path(tempfile.mkdtemp(prefix=f"bench-{mode}-"))
    environment = {
        **os.environ,
        "WEGWIJZER_RATE_PER_SESSION": "100000",
        "WEGWIJZER_RATE_PER_ADDRESS": "10000000",
        "WEGWIJZER_DATABASE_URL": f"sqlite:///{state / 'wegwijzer.sqlite3'}",
    }
    if scaled:
        if not (_redis_answers() and _fresh_postgres()):
            result.skipped = "PostgreSQL or Redis does not answer on loopback"
            return result
        environment |= {
            "WEGWIJZER_DATABASE_URL": f"{POSTGRES}/{BENCH_DATABASE}",
            "WEGWIJZER_TRACKER_DB_URL": f"{POSTGRES}/{BENCH_DATABASE}",
            "WEGWIJZER_LOCK_STORE_URL": REDIS,
            "WEGWIJZER_RASA_WORKERS": str(workers),
        }
    else:
        environment.pop("WEGWIJZER_TRACKER_DB_URL", None)
        environment.pop("WEGWIJZER_LOCK_STORE_URL", None)
    http = free_port()
    environment |= {
        "WEGWIJZER_RASA_URL": f"http://127.0.0.1:{free_port_pair()}",
        "WEGWIJZER_ACTIONS_URL": f"http://127.0.0.1:{free_port_pair()}",
        "WEGWIJZER_HTTP_PORT": str(http),
    }
    if telegram is not None:  # webhook mode against the stand-in
        environment |= {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "WEBHOOK_URL": "https://bench.invalid",
            "TELEGRAM_API_URL": telegram.api.base_url,
        }
    else:
        for name in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "TELEGRAM_API_URL"):
            environment.pop(name, None)
    url = f"http://127.0.0.1:{http}"
    print(f"{mode}: starting wegwijzer run", file=sys.stderr, flush=True)
    with (state / "run.log").open("wb") as log:
        runner = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=PROJECT_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        result.ready_seconds = round(_wait_ready(url, runner, 300), 1)
        scripts = [
            [(language, text) for text in turns] for language, each in CONVERSATIONS.items() for turns in each
        ]
        turn_for = telegram.turn_for if telegram is not None else _api_turn
        result.levels = _measure_levels(url, turn_for, scripts, levels, count)
        result.rss_mb = memory_of_tree(runner.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(runner.pid, signal.SIGTERM)
        try:
            runner.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
    return result


def run_plain_rasa(levels: Sequence[int], count: int) -> ModeResult:
    from nlu.bench import plain_rasa_model, serve_plain_rasa

    result = ModeResult("plain Rasa (rasa init)")
    print(f"{result.mode}: training and starting", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as folder:
        model, _training = plain_rasa_model(Path(folder))
        process, url, ready = serve_plain_rasa(model, Path(folder))
        try:
            result.ready_seconds = round(ready, 1)
            result.levels = _measure_levels(url, _rest_turn, [RASA_INIT_CONVERSATION], levels, count)
            result.rss_mb = memory_of_tree(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return result


# --- report -----------------------------------------------------------------------------------------------


def summary(results: list[ModeResult]) -> dict[str, Any]:
    ours = next((r for r in results if r.mode == "embedded" and r.at(RATIO_LEVEL)), None)
    plain = next((r for r in results if r.mode.startswith("plain") and r.at(RATIO_LEVEL)), None)
    ours_level = ours.at(RATIO_LEVEL) if ours else None
    plain_level = plain.at(RATIO_LEVEL) if plain else None
    return {
        "concurrency": RATIO_LEVEL,
        "p95_ms": ours_level.p95_ms if ours_level else None,
        "baseline_p95_ms": plain_level.p95_ms if plain_level else None,
        "ratio_p95": round(ours_level.p95_ms / plain_level.p95_ms, 2) if ours_level and plain_level else None,
        "throughput_rps": ours_level.throughput_rps if ours_level else None,
        "errors": sum(level.errors for result in results for level in result.levels),
    }


def plot(results: list[ModeResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 5))
    for result in results:
        if not result.levels:
            continue
        x = [level.concurrency for level in result.levels]
        line = axis.plot(x, [level.p95_ms for level in result.levels], marker="o", label=f"{result.mode} p95")
        axis.plot(
            x, [level.p50_ms for level in result.levels], marker=".", linestyle="--",
            color=line[0].get_color(), label=f"{result.mode} p50",
        )  # fmt: skip
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xticks(list(LEVELS), [str(level) for level in LEVELS])
    axis.set_xlabel("conversations at once")
    axis.set_ylabel("latency per turn (ms)")
    axis.set_title("Wegwijzer beside plain Rasa: latency per turn")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def table(results: list[ModeResult]) -> str:
    lines = [
        f"{'mode':24} {'at once':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'turns/s':>8} {'errors':>6} {'reduced':>7}"
    ]
    for result in results:
        if result.skipped:
            lines.append(f"{result.mode:24} skipped: {result.skipped}")
            continue
        for level in result.levels:
            lines.append(
                f"{result.mode:24} {level.concurrency:>7} {level.p50_ms:>8.0f} {level.p95_ms:>8.0f} "
                f"{level.p99_ms:>8.0f} {level.throughput_rps:>8.1f} {level.errors:>6} {level.degraded:>7}"
            )
    lines.append("")
    for result in results:
        if result.rss_mb:
            parts = ", ".join(f"{name} {mb:.0f}" for name, mb in result.rss_mb.items())
            lines.append(
                f"{result.mode}: ready in {result.ready_seconds} s; RSS {sum(result.rss_mb.values()):.0f} MB ({parts})"
            )
    return "\n".join(lines)  # fmt: skip


MODES = {  # name: (Rasa servers, scaled)
    "embedded": (1, False),
    "scaled-1": (1, True),
    "scaled-2": (2, True),
    "telegram": (1, False),  # the embedded stack, answering through the Telegram webhook
}


def bench(modes: Sequence[str], levels: Sequence[int], count: int, png: Path) -> dict[str, Any]:
    from stack.model import ensure_model

    ensure_model()  # trained before any clock starts
    results = []
    for mode in modes:
        if mode == "rasa-init":
            results.append(run_plain_rasa(levels, count))
        elif mode == "telegram":
            with TelegramStandIn() as stand_in:
                results.append(run_mode(mode, 1, False, levels, count, stand_in))
        else:
            workers, scaled = MODES[mode]
            results.append(run_mode(mode, workers, scaled, levels, count))
    plot(results, png)
    return {
        "summary": summary(results),
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "png": str(png),
        "modes": [result.as_json() for result in results],
        "table": table(results),
    }


DEFAULT_PNG = VAR_DIR / "bench.png"
