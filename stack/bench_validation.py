"""Rasa's check of action answers as Rasa ships it beside the check built once (nlu/action_validation.py).

`python -m stack.bench_validation` starts Rasa and the action server twice, once through Rasa's own
command and once through nlu/serve.py, alternately (twice each), and plays the same three-turn
conversations through Rasa's REST channel one at a time and 20 at once; it prints p50, p95 and turns a
second for each. Not a test: figures from a shared machine are noisy; compare within one run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from referral_map import db
from referral_map.directory import load_directory
from stack.measure import percentile
from stack.model import ensure_model
from stack.processes import Stack, free_port

TURNS = [
    "mijn zoon van 16 kijkt de hele avond filmpjes van strijders",
    "ik ben zijn mama",
    "we wonen in Gent",
]


async def _load(url: str, concurrency: int, conversations: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:

        async def one() -> None:
            async with gate:
                sender = uuid.uuid4().hex
                for text in TURNS:
                    started = time.perf_counter()
                    answer = await client.post(
                        "/webhooks/rest/webhook", json={"sender": sender, "message": text}
                    )
                    answer.raise_for_status()
                    latencies.append((time.perf_counter() - started) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(conversations)))
        return latencies, time.perf_counter() - began


def main() -> None:
    state = Path(tempfile.mkdtemp(prefix="bench-validation-"))
    url = f"sqlite:///{state / 'map.sqlite3'}"
    engine = db.make_engine(url)
    db.load(load_directory(), engine)
    engine.dispose()
    os.environ["WEGWIJZER_DATABASE_URL"] = url
    model = ensure_model()
    for with_fixes in (False, True, False, True):
        name = "built once (nlu/serve.py)" if with_fixes else "as Rasa ships it"
        with Stack(model, free_port(), free_port(), state, with_fixes=with_fixes) as stack:
            asyncio.run(_load(stack.rasa_url, 2, 4))  # warm up
            for concurrency in (1, 20):
                latencies, seconds = asyncio.run(_load(stack.rasa_url, concurrency, 40))
                print(
                    f"{name:28} {concurrency:>2} at once: p50 {statistics.median(latencies):.0f} ms, "
                    f"p95 {percentile(latencies, 0.95):.0f} ms, {len(latencies) / seconds:.1f} turns/s",
                    flush=True,
                )


if __name__ == "__main__":
    main()
