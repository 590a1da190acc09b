"""How current each contact fact is (referral_map/freshness.py, `wegwijzer map freshness`)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from referral_map.cli import main
from referral_map.directory import load_directory
from referral_map.freshness import ORDER, State, facts, source_date, summary
from referral_map.schemas import Source

TODAY = dt.date(2026, 12, 1)


def test_every_shipped_phone_number_has_a_source() -> None:
    unsourced = [f"{fact.record}: {fact.value}" for fact in facts(load_directory(), TODAY) if fact.kind == "phone"
                 and fact.state is State.UNSUPPORTED]  # fmt: skip
    assert not unsourced, f"phone numbers without a source: {unsourced}"


def test_a_police_promise_rests_on_a_page_that_speaks_of_it() -> None:
    confidentiality = {
        fact.record: fact.state for fact in facts(load_directory(), TODAY) if fact.kind == "confidentiality"
    }
    assert "telefonhilfe-108" not in confidentiality  # its pages promise absolute secrecy: now unknown
    assert "caw" not in confidentiality  # its FAQ names the danger exception for street workers only
    assert confidentiality["hulplijn-1712"] is State.CURRENT
    assert State.UNSUPPORTED not in confidentiality.values()


def test_an_old_source_makes_a_fact_too_old() -> None:
    found = {(fact.record, fact.kind): fact for fact in facts(load_directory(), TODAY)}
    wegweiser = found[("wegweiser-ostbelgien", "phone")]  # "+32 471 91 94 90" in a 2017 article
    assert wegweiser.state is State.TOO_OLD and wegweiser.source_date == dt.date(2017, 1, 1)


def test_facts_come_worst_first() -> None:
    found = facts(load_directory(), TODAY)
    ranks = [ORDER[fact.state] for fact in found]
    assert ranks == sorted(ranks)
    assert sum(summary(found).values()) == len(found)


def test_a_source_is_dated_by_its_publication_else_by_its_retrieval() -> None:
    assert source_date(Source(url="https://a.be", date="2021-11", supports=["x"])) == dt.date(2021, 11, 1)
    assert source_date(Source(url="https://a.be", date="2019", supports=["x"])) == dt.date(2019, 1, 1)
    retrieved = Source(url="https://a.be", retrieved=dt.date(2026, 10, 20), supports=["x"])
    assert source_date(retrieved) == dt.date(2026, 10, 20)
    assert source_date(Source(url="https://a.be", supports=["x"])) is None


def test_the_command_prints_a_table_or_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "freshness"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["state", "record", "kind"]
    assert "current" in out.splitlines()[-1]
    assert main(["map", "freshness", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["summary"]) == {state.value for state in State}
    assert data["facts"][0].keys() >= {
        "record",
        "kind",
        "value",
        "state",
        "source",
        "source_date",
        "age_days",
    }
