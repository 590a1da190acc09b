"""The map as Open Referral HSDS 3.0 JSON (`wegwijzer map export --hsds DIR`)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest

from referral_map.cli import main
from referral_map.directory import load_directory
from referral_map.hsds_export import hsds_id, service_record, validator
from referral_map.taxonomy import Language


def test_every_service_is_written_and_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "export", "--hsds", str(tmp_path), "--lang", "fr"]) == 0
    assert "valid against HSDS 3.0" in capsys.readouterr().out
    directory = load_directory()
    files = sorted(tmp_path.glob("*.json"))
    assert [path.stem for path in files] == sorted(directory.services)
    for path in files:
        validator().validate(json.loads(path.read_text(encoding="utf-8")))


def test_a_service_keeps_its_canonical_id_and_its_facts() -> None:
    record = service_record(load_directory().get("zelfmoordlijn-1813"), Language.NL)
    assert record["id"] == hsds_id("zelfmoordlijn-1813") and uuid.UUID(record["id"]).version == 5
    assert record["alternate_name"] == "zelfmoordlijn-1813"
    assert record["phones"][0]["number"] == "1813"
    assert {s["attending_type"] for s in record["schedules"]} == {"by phone", "online chat"}
    assert record["assured_date"] == "2023-01-01"


def test_offices_become_service_at_locations_with_addresses() -> None:
    record = service_record(load_directory().get("justitiehuizen-vlaanderen"), Language.NL)
    gent = next(s for s in record["service_at_locations"] if s["location"]["name"] == "Justitiehuis Gent")
    [address] = gent["location"]["addresses"]
    assert address["city"] == "Gent" and address["country"] == "BE" and address["postal_code"].isdigit()


def test_the_schema_refuses_what_hsds_does_not_allow() -> None:
    record = service_record(load_directory().get("caw"), Language.EN)
    with pytest.raises(jsonschema.ValidationError):
        validator().validate({**record, "id": "caw"})  # not a UUID
    with pytest.raises(jsonschema.ValidationError):
        validator().validate({**record, "status": "open"})
    with pytest.raises(jsonschema.ValidationError):
        validator().validate({key: value for key, value in record.items() if key != "name"})


def test_an_unknown_language_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "export", "--hsds", str(tmp_path), "--lang", "xx"]) == 2
    assert "language" in capsys.readouterr().err
