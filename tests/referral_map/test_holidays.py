from __future__ import annotations

from datetime import date

import pytest

from referral_map.holidays import easter_sunday, holiday_community, is_public_holiday, public_holidays
from referral_map.schemas import Scope, ServiceArea
from referral_map.taxonomy import Community

FEDERAL = {
    2025: {
        date(2025, 1, 1): "new_year",
        date(2025, 4, 21): "easter_monday",
        date(2025, 5, 1): "labour_day",
        date(2025, 5, 29): "ascension_day",
        date(2025, 6, 9): "whit_monday",
        date(2025, 7, 21): "national_day",
        date(2025, 8, 15): "assumption_day",
        date(2025, 11, 1): "all_saints_day",
        date(2025, 11, 11): "armistice_day",
        date(2025, 12, 25): "christmas_day",
    },
    2026: {
        date(2026, 1, 1): "new_year",
        date(2026, 4, 6): "easter_monday",
        date(2026, 5, 1): "labour_day",
        date(2026, 5, 14): "ascension_day",
        date(2026, 5, 25): "whit_monday",
        date(2026, 7, 21): "national_day",
        date(2026, 8, 15): "assumption_day",
        date(2026, 11, 1): "all_saints_day",
        date(2026, 11, 11): "armistice_day",
        date(2026, 12, 25): "christmas_day",
    },
    2027: {
        date(2027, 1, 1): "new_year",
        date(2027, 3, 29): "easter_monday",
        date(2027, 5, 1): "labour_day",
        date(2027, 5, 6): "ascension_day",
        date(2027, 5, 17): "whit_monday",
        date(2027, 7, 21): "national_day",
        date(2027, 8, 15): "assumption_day",
        date(2027, 11, 1): "all_saints_day",
        date(2027, 11, 11): "armistice_day",
        date(2027, 12, 25): "christmas_day",
    },
}

COMMUNITY_DAYS = {
    Community.FLEMISH: ((7, 11), "flemish_community_day"),
    Community.FRENCH: ((9, 27), "french_community_day"),
    Community.GERMAN: ((11, 15), "german_community_day"),
}


@pytest.mark.parametrize("year", sorted(FEDERAL))
@pytest.mark.parametrize("community", [None, Community.BRUSSELS])
def test_federal_holidays_only(year: int, community: Community | None) -> None:
    assert public_holidays(year, community) == FEDERAL[year]


@pytest.mark.parametrize("year", sorted(FEDERAL))
@pytest.mark.parametrize("community", sorted(COMMUNITY_DAYS))
def test_community_adds_its_own_day(year: int, community: Community) -> None:
    (month, day), name = COMMUNITY_DAYS[community]
    assert public_holidays(year, community) == {**FEDERAL[year], date(year, month, day): name}


@pytest.mark.parametrize("year", sorted(FEDERAL))
@pytest.mark.parametrize("holiday_of", sorted(COMMUNITY_DAYS))
@pytest.mark.parametrize("community", [None, *Community])
def test_community_day_applies_only_to_its_community(
    year: int, holiday_of: Community, community: Community | None
) -> None:
    (month, day), _ = COMMUNITY_DAYS[holiday_of]
    assert is_public_holiday(date(year, month, day), community) is (community is holiday_of)


@pytest.mark.parametrize(
    ("day", "community", "expected"),
    [
        (date(2026, 4, 6), None, True),
        (date(2026, 4, 5), None, False),
        (date(2026, 4, 7), Community.FLEMISH, False),
        (date(2027, 5, 6), Community.GERMAN, True),
        (date(2027, 7, 21), Community.BRUSSELS, True),
        (date(2027, 7, 22), Community.FRENCH, False),
    ],
)
def test_is_public_holiday(day: date, community: Community | None, expected: bool) -> None:
    assert is_public_holiday(day, community) is expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


def test_returned_holidays_are_a_copy() -> None:
    public_holidays(2026, Community.FLEMISH).clear()
    assert len(public_holidays(2026, Community.FLEMISH)) == 11


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (ServiceArea(scope=Scope.COMMUNITY, communities=[Community.FLEMISH]), Community.FLEMISH),
        (ServiceArea(scope=Scope.COMMUNITY, communities=[Community.FRENCH]), Community.FRENCH),
        (ServiceArea(scope=Scope.COMMUNITY, communities=[Community.GERMAN]), Community.GERMAN),
        (
            ServiceArea(scope=Scope.COMMUNITY, communities=[Community.BRUSSELS, Community.FLEMISH]),
            Community.FLEMISH,
        ),
        (
            ServiceArea(scope=Scope.MUNICIPALITY, communities=[Community.FRENCH], municipalities=["21004"]),
            Community.FRENCH,
        ),
        (ServiceArea(scope=Scope.COMMUNITY, communities=[Community.BRUSSELS]), None),
        (ServiceArea(scope=Scope.COMMUNITY, communities=[Community.FLEMISH, Community.FRENCH]), None),
        (ServiceArea(scope=Scope.NATIONAL), None),
        (ServiceArea(scope=Scope.NATIONAL, communities=[Community.FLEMISH]), None),
        (ServiceArea(scope=Scope.PROVINCE, provinces=["10000"]), None),
    ],
)
def test_holiday_community(area: ServiceArea, expected: Community | None) -> None:
    assert holiday_community(area) is expected
