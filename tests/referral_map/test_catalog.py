"""The explanations of routing.yaml, extracted for gettext."""

from __future__ import annotations

import io

from referral_map.catalog import explanations, extract_explanations

ROUTING = """\
explanations:
  fits_local: "Works where you live."
safety:
  - id: emergency_first
    explain: "Call this number first."
    when: {urgency: [emergency]}
fallback:
  id: general_listening_line
  explain: "A line for anything."
"""


def test_every_explain_and_explanation_with_its_line() -> None:
    assert list(explanations(ROUTING)) == [
        (2, "Works where you live."),
        (5, "Call this number first."),
        (9, "A line for anything."),
    ]


def test_babel_extraction_interface() -> None:
    found = list(extract_explanations(io.BytesIO(ROUTING.encode()), {}, [], {}))
    assert [message for _line, _function, message, _comments in found] == [
        "Works where you live.",
        "Call this number first.",
        "A line for anything.",
    ]
    assert all(function is None for _line, function, _message, _comments in found)
