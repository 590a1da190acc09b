"""The `wegwijzer` command line, through its entry point and as an installed script."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from referral_map.cli import main

SCRIPT = Path(sys.executable).with_name("wegwijzer")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_route_json_for_a_french_speaking_teacher_in_ghent(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "route", "--role", "teacher", "--concern", "polarisation", "--urgency", "routine",
        "--municipality", "Gand", "--lang", "fr", "--at", "2026-11-24T10:00+01:00", "--json",
    )  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert result["situation"] == {
        "role": "teacher", "concern": "polarisation", "urgency": "routine", "municipality": "44021",
        "language": "fr", "community": "flemish", "in_brussels": False,
    }  # fmt: skip
    first = result["services"][0]
    assert first["id"] == "clb-clbchat"
    assert first["reason"] == "teacher_worried_flanders"
    assert set(first) >= {"id", "name", "reason", "open_now", "phone", "url", "confidentiality"}
    assert first["name"].startswith("CLB")
    assert set(first["confidentiality"]) == {"anonymous", "informs_police"}


def test_route_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "route", "--concern", "self_harm", "--lang", "de", "--municipality", "4700")
    assert code == 0
    header, _rule, first, *_ = out.splitlines()
    assert header.split()[:3] == ["#", "id", "name"]
    assert "telefonhilfe-108" in first and "self_harm_line" in first


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "uncle", "--concern", "parenting"], "valid values: parent, family, teacher"),
        (["--concern", "worry"], "unknown concern 'worry'; valid values: radicalisation"),
        (["--concern", "parenting", "--lang", "es"], "unknown language 'es'; valid values: nl, fr, de, en"),
        (["--concern", "parenting", "--urgency", "now"], "unknown urgency 'now'"),
        (["--concern", "parenting", "--municipality", "1001"], "no Belgian municipality matches '1001'"),
        (["--concern", "parenting", "--municipality", "1050"], "can mean"),
        (["--concern", "parenting", "--at", "tomorrow"], "not an ISO date-time"),
    ],
)
def test_bad_route_arguments_are_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "route", *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_where_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "map", "where", "Lüttich", "--json")
    assert code == 0
    [match] = json.loads(out)["matches"]
    assert (match["nis"], match["name"], match["community"]) == ("62063", "Liège", "french")


def test_where_unknown_gives_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "map", "where", "Brugge-city", "--json")
    assert code == 1
    answer = json.loads(out)
    assert answer["matches"] == []
    assert "31005" in {s["nis"] for s in answer["suggestions"]}


def test_validate_list_show_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "map", "validate", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = run(capsys, "map", "list", "--json")
    assert "caprev" in {row["id"] for row in json.loads(out)["services"]}
    code, out, _ = run(capsys, "map", "show", "wegweiser-ostbelgien")
    assert code == 0 and "wegweiser-ostbelgien" in out and "last verified" in out
    code, _, err = run(capsys, "map", "show", "no-such-service")
    assert code == 2 and "no service 'no-such-service'" in err
    code, out, _ = run(capsys, "map", "coverage", "--json")
    assert code == 0 and isinstance(json.loads(out)["gaps"], list)


def test_load_is_idempotent_from_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert run(capsys, "map", "load", "--db", url)[1].startswith("loaded: ")
    assert run(capsys, "map", "load", "--db", url)[1].startswith("already up to date: ")


def test_unreachable_database_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "map", "load", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert code == 1
    assert err.startswith("wegwijzer: database error: ")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "map", "load", "--db", "not a url")
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_installed_script_runs() -> None:
    completed = subprocess.run(
        [str(SCRIPT), "route", "--concern", "radicalisation", "--lang", "nl", "--json"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert json.loads(completed.stdout)["services"][0]["id"] == "opvoedingslijn"


def test_route_json_tells_phone_and_chat_hours_apart(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "route", "--role", "young_person", "--concern", "self_harm", "--urgency", "urgent",
        "--municipality", "9000", "--lang", "nl", "--at", "2026-12-01T03:00+01:00", "--json",
    )  # fmt: skip
    assert code == 0
    line = next(s for s in json.loads(out)["services"] if s["id"] == "zelfmoordlijn-1813")
    assert line["open_now"] is True
    assert line["by_channel"]["phone"]["day_and_night"] is True
    assert line["by_channel"]["chat"] == {
        "status": "closed", "day_and_night": False, "next_opening": "2026-12-01T17:00:00+01:00", "closes_at": None,
    }  # fmt: skip
