"""Every user-visible sentence is translated in nl, fr, de and en, with the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PROJECT = Path(__file__).resolve().parent.parent
LOCALES = PROJECT / "locales"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _template_ids() -> set[str]:
    with (LOCALES / "messages.pot").open("rb") as handle:
        return {str(message.id) for message in read_po(handle) if message.id}


def test_template_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_",
         "--no-location", "-o", str(fresh), "."],
        cwd=PROJECT, check=True, capture_output=True,
    )  # fmt: skip
    with fresh.open("rb") as handle:
        in_code = {str(message.id) for message in read_po(handle) if message.id}
    assert in_code == _template_ids(), "run `make catalogs-update` after changing user-visible sentences"


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_catalog_is_complete_with_the_same_placeholders(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {str(m.id): m for m in catalog if m.id}
    problems = []
    for msgid in sorted(_template_ids()):
        message = translated.get(msgid)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"untranslated: {msgid!r}")
            continue
        if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(str(message.string))):
            problems.append(f"placeholders differ: {msgid!r} -> {message.string!r}")
    assert problems == []


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_catalog_really_translates(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = [m for m in read_po(handle) if m.id and len(str(m.id)) > 25]
    same = [str(m.id) for m in catalog if m.string == m.id]
    assert same == []


def test_every_routing_explanation_is_in_the_catalogs() -> None:
    from referral_map.catalog import explanations
    from referral_map.directory import DATA_DIR

    sentences = {sentence for _line, sentence in explanations((DATA_DIR / "routing.yaml").read_text())}
    assert len(sentences) > 10
    assert not sentences - _template_ids(), "run `make catalogs-update` and translate the new explanations"
