"""The `wegwijzer` command: query and check the referral map, route a situation."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from referral_map import db, freshness, hsds_export, mistakes, report
from referral_map.directory import DirectoryError, load_directory
from referral_map.geography import UnknownPlaceError, gazetteer
from referral_map.hours import BRUSSELS
from referral_map.routing import Situation, route
from referral_map.taxonomy import Concern, Language, Role, Urgency, parse_choice
from referral_map.validate import validate
from referral_map.yaml_source import Severity


class UsageError(Exception):
    """A bad argument: printed as one line, exit status 2."""


def main(argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    parser = parser or build_parser()[0]
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        result: int = args.run(args)
        return result
    except UsageError as error:
        print(f"wegwijzer: {error}", file=sys.stderr)
        return 2
    except DirectoryError as error:
        print(f"wegwijzer: the referral map data has errors:\n{error}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, ArgumentError) as error:
        first_line = str(error).splitlines()[0]
        print(f"wegwijzer: database error: {first_line}", file=sys.stderr)
        return 1


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    """The parser and its sub-command collection, so that other parts can add commands."""
    parser = argparse.ArgumentParser(prog="wegwijzer", description=__doc__)
    commands = parser.add_subparsers(title="commands")

    map_parser = commands.add_parser("map", help="check, load and query the referral map")
    map_commands = map_parser.add_subparsers(title="map commands")
    add_command(
        map_commands, "validate", "check the data: schema, links, phones, places, freshness", _validate
    )
    load = add_command(map_commands, "load", "load the map into the database (idempotent)", _load)
    load.add_argument(
        "--db", help=f"SQLAlchemy URL (default: $WEGWIJZER_DATABASE_URL or {db.DEFAULT_DB_URL})"
    )
    add_command(map_commands, "list", "list the services", _list)
    show = add_command(map_commands, "show", "show one service", _show)
    show.add_argument("id")
    where = add_command(map_commands, "where", "find a municipality by postcode, NIS code or name", _where)
    where.add_argument("query", nargs="+")
    add_command(
        map_commands, "coverage", "which community, role and concern has no fitting service", _coverage
    )
    export = add_command(
        map_commands, "export", "write the map as Open Referral HSDS 3.0 JSON, validated", _export
    )
    export.add_argument(
        "--hsds", required=True, metavar="DIR", help="folder for one <service id>.json per service"
    )
    export.add_argument(
        "--lang", default="nl", help=f"the language of names and descriptions: {_values(Language)}"
    )
    reports = add_command(
        map_commands, "reports", "list the reports of a mistake in the map, or close one", _reports
    )
    reports.add_argument("--all", action="store_true", help="closed reports too")
    reports.add_argument("--close", type=int, metavar="ID", help="mark a report as dealt with")
    reports.add_argument(
        "--db", help=f"SQLAlchemy URL (default: $WEGWIJZER_DATABASE_URL or {db.DEFAULT_DB_URL})"
    )
    add_command(
        map_commands,
        "freshness",
        "every contact fact with its source, age and state, worst first",
        _freshness,
    )

    route_parser = add_command(commands, "route", "rank the services for a situation", _route)
    route_parser.add_argument("--role", default="unknown", help=f"one of: {_values(Role)}")
    route_parser.add_argument("--concern", required=True, help=f"one of: {_values(Concern)}")
    route_parser.add_argument("--urgency", default="routine", help=f"one of: {_values(Urgency)}")
    route_parser.add_argument("--municipality", help="postcode, NIS code or name; leave out if unknown")
    route_parser.add_argument("--lang", default="nl", help=f"one of: {_values(Language)}")
    route_parser.add_argument("--at", help="ISO date-time (default: now), e.g. 2026-07-11T10:00+02:00")
    return parser, commands


def add_command(
    commands: Any, name: str, help_text: str, run: Callable[[argparse.Namespace], int]
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("--json", action="store_true", help="print JSON for machines")
    parser.set_defaults(run=run)
    return parser


def _values(kind: type[Role] | type[Concern] | type[Urgency] | type[Language]) -> str:
    return ", ".join(member.value for member in kind)


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _validate(args: argparse.Namespace) -> int:
    problems = validate()
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if args.json:
        _print_json({"ok": not errors, "problems": [p.as_dict() for p in problems]})
    else:
        for problem in problems:
            print(problem)
        warnings = len(problems) - len(errors)
        print(f"{len(errors)} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def _load(args: argparse.Namespace) -> int:
    directory = load_directory()
    url = args.db or db.database_url()
    engine = db.make_engine(url)
    try:
        result = db.load(directory, engine)
    finally:
        engine.dispose()
    if args.json:
        _print_json({"database": url, **result.__dict__})
    else:
        state = "loaded" if result.changed else "already up to date"
        print(
            f"{state}: {result.services} services, {result.locations} locations, "
            f"{result.municipalities} municipalities, {result.postcodes} postcodes into {url}"
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = report.service_rows(load_directory())
    if args.json:
        _print_json({"services": rows})
    else:
        print(report.table(rows, ["id", "name", "phone", "communities", "last_verified"]))
    return 0


def _show(args: argparse.Namespace) -> int:
    directory = load_directory()
    if args.id not in directory.services:
        raise UsageError(f"no service {args.id!r}; see `wegwijzer map list`")
    service = directory.get(args.id)
    if args.json:
        _print_json(service.model_dump(mode="json"))
    else:
        print(report.describe(service))
    return 0


def _where(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    try:
        resolution = gazetteer().resolve(query)
    except UnknownPlaceError as error:
        if args.json:
            _print_json(
                {"matches": [], "error": str(error), "suggestions": [m.as_dict() for m in error.suggestions]}
            )
        else:
            print(error)
        return 1
    if args.json:
        _print_json({"matches": [m.as_dict() for m in resolution.matches], "how": resolution.how})
    else:
        for match in resolution.matches:
            names = " / ".join(dict.fromkeys(match.names.values()))
            postcodes = ", ".join(match.postcodes)
            print(f"{match.nis}  {names}  ({match.community.value}; postcodes {postcodes})")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    gaps = report.coverage_gaps(load_directory())
    if args.json:
        _print_json({"gaps": gaps})
    else:
        print(report.table(gaps, ["community", "language", "role", "concern", "top"]) if gaps else "no gaps")
    return 0


def _export(args: argparse.Namespace) -> int:
    try:
        language = parse_choice(Language, args.lang, "language")
    except ValueError as error:
        raise UsageError(str(error)) from None
    written = hsds_export.export(load_directory(), Path(args.hsds), language)
    if args.json:
        _print_json({"folder": args.hsds, "services": len(written)})
    else:
        print(f"{len(written)} services written to {args.hsds}, each valid against HSDS 3.0")
    return 0


def _reports(args: argparse.Namespace) -> int:
    engine = db.make_engine(args.db or db.database_url())
    try:
        store = mistakes.MistakeReports(engine, load_directory())
        if args.close is not None:
            if not store.close(args.close):
                raise UsageError(f"no open report {args.close}")
            print(f"report {args.close} closed")
            return 0
        found = [item.as_dict() for item in store.listed(include_closed=args.all)]
    finally:
        engine.dispose()
    if args.json:
        _print_json({"reports": found})
    else:
        columns = ["id", "reported_on", "service", "location", "language", "comment", "closed_on"]
        print(report.table(found, columns) if found else "no open reports")
    return 0


def _freshness(args: argparse.Namespace) -> int:
    found = freshness.facts(load_directory(), dt.date.today())
    counts = freshness.summary(found)
    if args.json:
        _print_json({"summary": counts, "facts": [fact.as_dict() for fact in found]})
        return 0
    rows = [
        {
            "state": fact.state.value,
            "record": fact.record,
            "kind": fact.kind,
            "value": fact.value,
            "source date": fact.source_date.isoformat() if fact.source_date else "-",
            "source": fact.source or "-",
        }
        for fact in found
    ]
    print(report.table(rows, ["state", "record", "kind", "value", "source date", "source"]))
    print(", ".join(f"{count} {state}" for state, count in counts.items()))
    return 0


def _route(args: argparse.Namespace) -> int:
    try:
        role = parse_choice(Role, args.role, "role")
        concern = parse_choice(Concern, args.concern, "concern")
        urgency = parse_choice(Urgency, args.urgency, "urgency")
        language = parse_choice(Language, args.lang, "language")
    except ValueError as error:
        raise UsageError(str(error)) from None
    municipality = _municipality(args.municipality)
    at = _moment(args.at)
    situation = Situation(
        role=role, concern=concern, urgency=urgency, municipality=municipality, language=language
    )
    result = route(situation, at=at)
    if args.json:
        _print_json(report.route_json(result))
    else:
        print(report.route_text(result))
    return 0


def _municipality(query: str | None) -> str | None:
    if not query or query.strip().lower() == "unknown":
        return None
    try:
        resolution = gazetteer().resolve(query)
    except UnknownPlaceError as error:
        raise UsageError(str(error)) from None
    if resolution.ambiguous:
        options = ", ".join(f"{m.local_name} ({m.nis})" for m in resolution.matches)
        raise UsageError(f"{query!r} can mean {options}: give the NIS code")
    return resolution.matches[0].nis


def _moment(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--at {text!r} is not an ISO date-time such as 2026-07-11T10:00+02:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BRUSSELS)
    return moment


if __name__ == "__main__":
    raise SystemExit(main())
