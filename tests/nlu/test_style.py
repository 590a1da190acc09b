"""Style statistics (nlu.style) on hand-made examples, with exact expected numbers."""

import json
import re
from pathlib import Path

import pytest

from nlu import style
from nlu.style import (
    TOTAL,
    mentions,
    opening,
    opens_with,
    percentile,
    report,
    sentence_count,
    style_stats,
    table,
    to_json,
    words,
)


def test_words_count_whitespace_chunks_with_a_letter_or_digit() -> None:
    assert words("Hallo, ik ben l'oncle — 16 jaar!") == ["Hallo,", "ik", "ben", "l'oncle", "16", "jaar!"]
    assert words("  ") == []


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Hallo. Ik ben de papa van een jongen van 15. Wat moet ik doen?", 3),
        ("is dat normaal?", 1),
        ("de staat, de politie... hij zegt dat er oorlog komt", 2),
        ("om 15.30 uur, zei hij", 1),
        ("Help!!! Nu!", 2),
        ("...", 0),
        ("", 0),
    ],
)
def test_sentence_count(text: str, count: int) -> None:
    assert sentence_count(text) == count


def test_percentile_is_nearest_rank() -> None:
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile([5], 0.9) == 5
    assert percentile([], 0.9) == 0.0


def test_phrases_greetings_and_openings() -> None:
    assert opens_with("As-salamu alaykum, mijn zoon...", style.GREETINGS["nl"])
    assert opens_with("Guten Tag! Mein Sohn", style.GREETINGS["de"])
    assert not opens_with("Guten Morgen sagt er nie mehr", ("guten tag",))
    assert not opens_with("mijn zoon zei hallo", style.GREETINGS["nl"])
    assert not opens_with("", style.GREETINGS["nl"])
    assert mentions("hij is aan het radicaliseren", ("radicali*",))
    assert mentions("Franchement, c'est fini", ("c est",))
    assert not mentions("cest fini", ("c est",))
    assert not mentions("radical", ("radicali*",))
    assert opening("Mijn zoon (16) zegt") == "mijn zoon"
    assert opening("Hallo!") == "hallo"
    assert opening("!!") == ""


def test_code_switch_markers_are_not_words_of_the_language_itself() -> None:
    assert mentions("mijn zoon zegt wallah", style.CODE_SWITCH_MARKERS["nl"])
    assert mentions("mon fils dit que c'est haram", style.CODE_SWITCH_MARKERS["fr"])
    assert mentions("hij zegt genre dat het normaal is", style.CODE_SWITCH_MARKERS["nl"])
    assert not mentions("mon fils dit genre que c'est normal", style.CODE_SWITCH_MARKERS["fr"])
    assert not mentions("mijn zoon zegt dat het normaal is", style.CODE_SWITCH_MARKERS["nl"])
    assert not mentions("my son says it is normal", style.CODE_SWITCH_MARKERS["en"])


EXAMPLES = [
    ("describe_radicalisation", "Hallo. Mijn zoon is aan het radicaliseren, wat moet ik doen?"),
    ("describe_radicalisation", "mijn zoon zegt wallah dat wij kuffar zijn"),
    ("describe_parenting", "mijn zoon gamet de hele nacht"),
    ("greet", "goeiedag"),
]
CONCERNS = {"describe_radicalisation": {"nl": ("radicali*",)}, "describe_parenting": {"nl": ("opvoed*",)}}


def test_style_stats_on_hand_made_examples() -> None:
    stats = style_stats(EXAMPLES, "nl", concern_words=CONCERNS)
    assert stats.examples == 4
    assert stats.words_median == 7.0  # 11, 8, 6, 1 words
    assert stats.words_p90 == 11
    assert stats.multi_sentence == 1 / 4
    assert stats.greeting == 2 / 4
    assert stats.code_switch == 1 / 4
    assert stats.never_names_concern == 2 / 3  # the greeting has no concern
    assert stats.openings == [("mijn zoon", 0.5), ("goeiedag", 0.25), ("hallo mijn", 0.25)]
    assert style_stats(EXAMPLES, "nl", top=1, concern_words=CONCERNS).openings == [("mijn zoon", 0.5)]


def test_concern_share_is_none_without_a_concern_intent_and_zero_for_no_examples() -> None:
    assert style_stats([("greet", "hoi")], "nl").never_names_concern is None
    empty = style_stats([], "nl")
    assert (empty.examples, empty.words_median, empty.greeting, empty.openings) == (0, 0.0, 0.0, [])


def test_every_situation_intent_has_concern_words_in_every_language() -> None:
    assert len(style.CONCERN_WORDS) == 13
    for intent, per_language in style.CONCERN_WORDS.items():
        assert style.is_situation(intent)
        assert set(per_language) == set(style.LANGUAGES), intent
    assert set(style.GREETINGS) == set(style.CODE_SWITCH_MARKERS) == set(style.LANGUAGES)


def _write_data(root: Path) -> Path:
    (root / "nl").mkdir(parents=True)
    (root / "nl" / "situations.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: describe_radicalisation\n"
        "  examples: |\n"
        '    - [mijn zoon]{"entity": "role", "value": "parent"} radicaliseert in [Gent](place)\n'
        "    - Dag. Mijn zoon zegt dat wij kuffar zijn. Wat nu?\n"
        "- intent: emergency\n"
        "  examples: |\n"
        "    - er staat iemand met een mes voor de school\n"
        "- regex: postcode\n"
        "  examples: |\n"
        "    - \\b\\d{4}\\b\n",
        encoding="utf-8",
    )
    (root / "nl" / "conversation.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hallo\n    - dag\n', encoding="utf-8"
    )
    return root


def test_report_per_intent_and_total_over_situations(tmp_path: Path) -> None:
    result = report(_write_data(tmp_path))
    assert list(result) == ["nl"]
    assert list(result["nl"]) == ["greet", "describe_radicalisation", "emergency", TOTAL]
    radicalisation = result["nl"]["describe_radicalisation"]
    assert radicalisation.examples == 2
    assert radicalisation.words_median == 7.5  # "mijn zoon radicaliseert in Gent": 5 words, the other 10
    assert radicalisation.words_p90 == 10
    assert radicalisation.never_names_concern == 0.5
    total = result["nl"][TOTAL]
    assert total.examples == 3
    assert total.greeting == 1 / 3
    assert total.multi_sentence == 1 / 3
    assert total.code_switch == 1 / 3
    assert total.never_names_concern == 2 / 3  # the emergency says neither "nood" nor "112"
    assert total.openings == [("dag mijn", 1 / 3), ("er staat", 1 / 3), ("mijn zoon", 1 / 3)]
    assert result["nl"]["greet"].greeting == 1.0


def test_table_is_aligned_and_json_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = report(_write_data(tmp_path))
    lines = table(result).splitlines()
    assert lines[0].split()[:3] == ["lang", "intent", "n"]
    columns = [match.span() for match in re.finditer(r"-+", lines[1])]
    assert len(columns) == len(style.COLUMNS)
    rows = [line for line in lines[2:] if line]
    assert [row.split()[1] for row in rows] == ["greet", "describe_radicalisation", "emergency", "TOTAL"]
    for row in rows:  # every cell starts at its column; numbers end at its right edge
        assert row[columns[1][0] - 2 : columns[1][0]] == "  "
        assert row[columns[2][1] - 1].isdigit() and row[columns[2][1]] == " "
    assert rows[0].split()[2:8] == ["2", "1", "1", "0%", "100%", "0%"]

    style.main(["--json", "--data", str(tmp_path)])
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(to_json(result)))
    assert printed["nl"][TOTAL]["never_names_concern"] == 0.667
    assert printed["nl"]["greet"]["never_names_concern"] is None
    assert printed["nl"][TOTAL]["openings"][0] == ["dag mijn", 0.333]


@pytest.mark.parametrize("language", style.LANGUAGES)
def test_the_training_data_reads_like_people_write(language: str) -> None:
    """Floors for the situation intents of each language (issue 8): long, several sentences, often no
    label for the concern, some mixing of languages, and no opening that a large share repeats."""
    stats = style.report()[language][style.TOTAL]
    assert stats.words_median >= 25, stats.words_median
    assert stats.multi_sentence >= 0.30, stats.multi_sentence
    assert stats.never_names_concern is not None and stats.never_names_concern >= 0.25
    assert stats.code_switch >= 0.08, stats.code_switch
    opening, share = stats.openings[0]
    assert share <= 0.05, (opening, share)
