"""`map validate`: the shipped data is clean, and every kind of bad data is reported with file and line."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from referral_map.directory import DATA_DIR
from referral_map.validate import validate
from referral_map.yaml_source import Problem, Severity


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def test_shipped_data_has_no_errors() -> None:
    assert [str(p) for p in _errors(validate())] == []


def test_every_service_has_sources_four_languages_and_a_verification_date() -> None:
    from referral_map.directory import load_directory

    for service in load_directory():
        assert service.sources
        for text in (service.name, service.description):
            assert all(text.get(language).strip() for language in ("nl", "fr", "de", "en"))
        assert service.last_verified <= dt.date.today()


def test_invalid_yaml_names_file_and_line(data_copy: Path) -> None:
    path = data_copy / "services" / "caprev.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "name: [unclosed"
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = _errors(validate(data_copy))
    assert len(problems) == 1
    assert problems[0].file.endswith("services/caprev.yaml")
    assert problems[0].line is not None and 6 <= problems[0].line <= 8
    assert "invalid YAML" in problems[0].message


def test_schema_error_names_file_line_and_field(data_copy: Path) -> None:
    path = data_copy / "services" / "caprev.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("informs_police: imminent_danger", "informs_police: sometimes"), encoding="utf-8"
    )
    [problem] = _errors(validate(data_copy))
    assert problem.field == "confidentiality.informs_police"
    expected_line = 1 + text.splitlines().index(
        next(line for line in text.splitlines() if "informs_police:" in line)
    )
    assert problem.line == expected_line
    assert "caprev.yaml" in problem.file


def test_missing_translation_is_an_error(data_copy: Path) -> None:
    path = data_copy / "services" / "unia.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    description = lines.index("description:")
    german = next(i for i in range(description, len(lines)) if lines[i].startswith("  de:"))
    del lines[german]
    while lines[german].startswith("    "):
        del lines[german]
    path.write_text("\n".join(lines), encoding="utf-8")
    [problem] = _errors(validate(data_copy))
    assert problem.field == "description.de"
    assert problem.line == description + 1


def test_unknown_service_in_a_rule_names_both_records(data_copy: Path) -> None:
    path = data_copy / "routing.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "services: [amo, saj, cpms, forem]", "services: [amo, saj, cmps]"
        ),
        encoding="utf-8",
    )
    [problem] = _errors(validate(data_copy))
    assert problem.field == "youth_services_french"
    assert "'cmps'" in problem.message and "youth_services_french" in problem.message
    assert problem.line is not None and problem.file.endswith("routing.yaml")


def test_invalid_phone_is_an_error(data_copy: Path) -> None:
    path = data_copy / "services" / "caprev.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0800 111 72", "0800 111 7"), encoding="utf-8")
    [problem] = _errors(validate(data_copy))
    assert "not a valid Belgian phone number" in problem.message


def test_missing_canonical_service_is_an_error(data_copy: Path) -> None:
    (data_copy / "services" / "one.yaml").unlink()
    messages = [p.message for p in _errors(validate(data_copy))]
    assert any("canonical service 'one'" in m for m in messages)
    assert any("'one'" in m and "parenting_french" in m for m in messages)


def test_old_records_are_warned(data_copy: Path) -> None:
    in_two_years = dt.date.today() + dt.timedelta(days=730)
    warnings = [p for p in validate(data_copy, today=in_two_years) if p.severity is Severity.WARNING]
    assert len(warnings) >= 40
    assert all("last_verified" in p.field for p in warnings)


def test_unknown_municipality_in_an_area_is_an_error(data_copy: Path) -> None:
    path = data_copy / "services" / "save-belgium.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("'04000'", "'04001'"), encoding="utf-8")
    [problem] = _errors(validate(data_copy))
    assert "unknown province NIS code 04001" in problem.message


def test_a_rule_without_an_explanation_is_an_error(data_copy: Path) -> None:
    path = data_copy / "routing.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if li.strip().startswith('explain: "For school staff'))
    path.write_text(text.replace(line + "\n", "", 1), encoding="utf-8")
    problems = _errors(validate(data_copy))
    assert problems and any("explain" in f"{p.field} {p.message}" for p in problems), problems
    assert all(p.file.endswith("routing.yaml") for p in problems)


def test_a_reason_without_an_explanation_is_an_error(data_copy: Path) -> None:
    path = data_copy / "routing.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if li.strip().startswith("fits_local:"))
    path.write_text(text.replace(line + "\n", "", 1), encoding="utf-8")
    problems = _errors(validate(data_copy))
    assert any("fits_local" in p.message for p in problems), problems
