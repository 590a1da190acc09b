"""The `wegwijzer` command: the referral map's commands plus evaluation of the dialogue."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import httpx

from bot.evaluate import ApiClient, RestClient, evaluate, read_cases
from referral_map import cli as map_cli
from stack.processes import Stack, answers, free_port


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = map_cli.build_parser()
    evaluation = map_cli.add_command(commands, "eval", "play evaluation cases against the dialogue", _eval)
    evaluation.add_argument("files", nargs="+", type=Path, help="JSON Lines files (docs/DESIGN.md section 8)")
    talk_to = evaluation.add_mutually_exclusive_group()
    talk_to.add_argument(
        "--rasa",
        default="http://127.0.0.1:5005",
        help="Rasa server whose REST channel to use; started here if it does not answer (the default)",
    )
    talk_to.add_argument(
        "--api",
        metavar="URL",
        help="the running bot (e.g. http://127.0.0.1:8080 of `wegwijzer run`): play through its HTTP chat API",
    )
    run = map_cli.add_command(
        commands, "run", "start the action server, Rasa and the bot (web chat, Telegram)", _run
    )
    run.set_defaults(json=False)
    stats = map_cli.add_command(
        commands, "stats", "anonymous counts for operators (counts below 5 hidden)", _stats
    )
    stats.add_argument("--since", metavar="DATE", help="only days from this date on (2026-12-01)")
    benchmark = map_cli.add_command(
        commands, "bench", "load test: conversations through the HTTP API, beside plain Rasa", _bench
    )
    benchmark.add_argument(
        "--modes",
        default="embedded,telegram,scaled-1,scaled-2,rasa-init",
        help="comma-separated, in this order",
    )
    benchmark.add_argument("--levels", default="1,5,20,50", help="conversations at once, comma-separated")
    benchmark.add_argument("--conversations", type=int, default=40, help="conversations per level (40)")
    benchmark.add_argument(
        "--png", type=Path, help="where to draw latency against concurrency (var/bench.png)"
    )
    console = map_cli.add_command(commands, "chat", "chat in the terminal", _chat)
    console.add_argument("--lang", default="en", help="nl, fr, de or en")
    return map_cli.main(argv, parser)


def _run(args: argparse.Namespace) -> int:
    from bot.run import run

    return run()


def _stats(args: argparse.Namespace) -> int:
    import datetime as dt

    from bot.settings import Settings
    from bot.stats import Stats
    from referral_map import db

    try:
        since = dt.date.fromisoformat(args.since) if args.since else None
    except ValueError:
        raise map_cli.UsageError(f"--since {args.since!r}: give a date as 2026-12-01") from None
    engine = db.make_engine(Settings.from_env().database_url)
    report = Stats(engine).report(since)
    engine.dispose()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(report.text())
    return 0


def _bench(args: argparse.Namespace) -> int:
    from stack.bench import DEFAULT_PNG, MODES, bench

    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    unknown = [mode for mode in modes if mode not in MODES and mode != "rasa-init"]
    if unknown:
        raise map_cli.UsageError(
            f"--modes: {', '.join(unknown)}? choose from {', '.join([*MODES, 'rasa-init'])}"
        )
    try:
        levels = [int(level) for level in args.levels.split(",")]
    except ValueError:
        raise map_cli.UsageError("--levels: whole numbers, comma-separated (1,5,20,50)") from None
    if not levels or min(levels) < 1 or args.conversations < 1:
        raise map_cli.UsageError("--levels and --conversations must be at least 1")
    report = bench(modes, levels, args.conversations, args.png or DEFAULT_PNG)
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "table"}, ensure_ascii=False, indent=2))
    else:
        print(report["table"])
        print(f"summary: {json.dumps(report['summary'])}")
        print(f"chart: {report['png']}")
    return 0


def _chat(args: argparse.Namespace) -> int:
    from bot.console import chat
    from referral_map.taxonomy import Language, parse_choice

    try:
        language = parse_choice(Language, args.lang, "language")
    except ValueError as error:
        raise map_cli.UsageError(str(error)) from None
    return chat(language)


def _eval(args: argparse.Namespace) -> int:
    try:
        cases = read_cases(args.files)
    except (OSError, ValueError) as error:
        raise map_cli.UsageError(str(error)) from None
    if args.api:
        url = args.api.rstrip("/")
        if not answers(f"{url}/healthz"):
            print(
                f"wegwijzer: {url}/healthz does not answer: is the bot running (`make run`)?", file=sys.stderr
            )
            return 2
        if _degraded(url):
            print(f"{url} is in the reduced mode (Rasa not ready?): cases will be degraded", file=sys.stderr)
        with closing(ApiClient(url)) as client:
            report = evaluate(cases, client)
    elif answers(f"{args.rasa}/status"):
        with closing(RestClient(args.rasa)) as send:
            report = evaluate(cases, send)
    else:
        from stack.model import ensure_model

        print(f"{args.rasa} does not answer: starting the action server and Rasa", file=sys.stderr)
        stack = Stack(ensure_model(), rasa_port=free_port(), action_port=free_port())
        with stack, closing(RestClient(stack.rasa_url)) as send:
            report = evaluate(cases, send)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _degraded(url: str) -> bool:
    """Whether the bot at `url` is not ready (/readyz) or answers without Rasa or the action server."""
    try:
        response = httpx.get(f"{url}/readyz", timeout=2)
        return response.status_code != 200 or response.json().get("degraded") is not False
    except (httpx.HTTPError, ValueError, AttributeError):
        return True


if __name__ == "__main__":
    raise SystemExit(main())
