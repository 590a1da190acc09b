"""Benchmark the dialogue model beside plain Rasa (`rasa init`), in the same run on the same machine.

`python -m nlu.bench` prints, for Wegwijzer's model and for the `rasa init`
assistant: training time, model size, server start-up time and RSS,
`/model/parse` latency and one full turn through the REST channel (median, p95).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from nlu.evaluate_nlu import TEST_DIR, read_examples
from stack.measure import latency_text, rss_mb
from stack.model import ensure_model
from stack.processes import RASA_BIN, Stack, answers, free_port, rasa_environment

TURN_TEXTS = [
    "mijn zoon van 15 kijkt de hele dag IS-filmpjes",
    "ik ben zijn moeder",
    "Gent",
    "je suis prof et il y a des tensions dans ma classe",
    "Liège",
    "meine Tochter redet nur noch von der Ummah",
    "my son is talking about leaving for syria",
]
RASA_INIT_TEXTS = ["hello", "I am sad", "yes", "bye", "are you a bot?", "great", "no"]


def _measure(rasa_url: str, parse_texts: list[str], turn_texts: list[str], rounds: int) -> dict[str, str]:
    client = httpx.Client(base_url=rasa_url, timeout=30)
    parse, turns = [], []
    for text in parse_texts:
        started = time.perf_counter()
        client.post("/model/parse", json={"text": text}).raise_for_status()
        parse.append((time.perf_counter() - started) * 1000)
    for _ in range(rounds):
        sender = uuid.uuid4().hex
        for text in turn_texts:
            started = time.perf_counter()
            client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text}).raise_for_status()
            turns.append((time.perf_counter() - started) * 1000)
    return {"parse": latency_text(parse), "turn": latency_text(turns)}


def plain_rasa_model(folder: Path) -> tuple[Path, float]:
    started = time.monotonic()
    environment = rasa_environment()
    subprocess.run(
        [str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder, env=environment, check=True, capture_output=True,
    )  # fmt: skip
    model = max((folder / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return model, time.monotonic() - started


def serve_plain_rasa(model: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [str(RASA_BIN), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port), "-m", str(model)],
        cwd=folder, env=rasa_environment(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    while not answers(f"{url}/status"):
        if process.poll() is not None:
            raise RuntimeError("rasa init's server did not start")
        time.sleep(0.5)
    return process, url, time.monotonic() - started


def main() -> None:
    model = ensure_model()
    info_path = model.with_name(f"{model.name}.json")
    training = json.loads(info_path.read_text())["training_seconds"] if info_path.exists() else None
    texts = [example.text for path in sorted(TEST_DIR.glob("*.yml")) for example in read_examples(path)]
    with Stack(
        model, rasa_port=free_port(), action_port=free_port(), state_dir=Path(tempfile.mkdtemp())
    ) as stack:
        ours = _measure(stack.rasa_url, texts, TURN_TEXTS, rounds=15)
        rasa_pid = stack.processes[1].pid
        ours_rss = rss_mb(rasa_pid)
        actions_rss = rss_mb(stack.processes[0].pid)
        startup = stack.started_in
    with tempfile.TemporaryDirectory() as folder:
        plain_model, plain_training = plain_rasa_model(Path(folder))
        process, url, plain_startup = serve_plain_rasa(plain_model, Path(folder))
        try:
            plain = _measure(url, texts, RASA_INIT_TEXTS, rounds=15)
            plain_rss = rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
        plain_size = plain_model.stat().st_size / 1e6
    print(f"{'':22}{'wegwijzer':>48}  {'rasa init':>48}")
    rows = [
        (
            "training",
            f"{training} s" if training else "n/a",
            f"{plain_training:.0f} s (init + train)",
        ),
        ("model size", f"{model.stat().st_size / 1e6:.1f} MB", f"{plain_size:.1f} MB"),
        ("start-up to ready", f"{startup:.1f} s (Rasa + action server)", f"{plain_startup:.1f} s"),
        ("Rasa server RSS", f"{ours_rss:.0f} MB (action server {actions_rss:.0f} MB)", f"{plain_rss:.0f} MB"),
        ("/model/parse", ours["parse"], plain["parse"]),
        ("REST turn", ours["turn"], plain["turn"]),
    ]
    for name, mine, theirs in rows:
        print(f"{name:22}{mine:>48}  {theirs:>48}")


if __name__ == "__main__":
    main()
