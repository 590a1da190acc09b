"""Benchmark of the referral map: `python -m referral_map.bench` prints the figures.

Times one route() call over every situation (roles x concerns x urgency x
places x languages), the time to read the YAML map, to load it into SQLite
and to read it back, and the process's peak RSS.
"""

from __future__ import annotations

import datetime as dt
import itertools
import resource
import statistics
import tempfile
import time
from pathlib import Path

from referral_map import db
from referral_map.directory import load_directory
from referral_map.geography import gazetteer
from referral_map.routing import Situation, route
from referral_map.taxonomy import Concern, Language, Role, Urgency

PLACES = [None, "44021", "11002", "21004", "21015", "62063", "52011", "63023", "92094", "35013"]


def _timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    gazetteer_s = _timed(gazetteer)
    read_times = [_timed(load_directory) for _ in range(5)]
    directory = load_directory()
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        load_s = _timed(lambda: db.load(directory, engine))
        reload_s = _timed(lambda: db.load(directory, engine))
        read_back_s = _timed(lambda: db.read(engine))
        engine.dispose()

    moment = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    situations = [
        Situation(role=role, concern=concern, urgency=urgency, municipality=place, language=language)
        for role, concern, urgency, place, language in itertools.product(
            Role, Concern, Urgency, PLACES, Language
        )
    ]
    route(situations[0], at=moment, directory=directory)  # warm caches
    timings = []
    for situation in situations:
        started = time.perf_counter()
        route(situation, at=moment, directory=directory)
        timings.append((time.perf_counter() - started) * 1000)

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"services: {len(directory)}; municipalities: {len(gazetteer())}")
    print(f"gazetteer build: {gazetteer_s * 1000:.1f} ms")
    print(f"read YAML map: median {statistics.median(read_times) * 1000:.1f} ms over {len(read_times)} runs")
    print(f"load into SQLite: {load_s * 1000:.1f} ms (unchanged reload {reload_s * 1000:.1f} ms)")
    print(f"read map back from SQLite: {read_back_s * 1000:.1f} ms")
    print(
        f"route(): {len(timings)} situations, median {statistics.median(timings):.3f} ms, "
        f"p99 {_percentile(timings, 0.99):.3f} ms, max {max(timings):.3f} ms"
    )
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
