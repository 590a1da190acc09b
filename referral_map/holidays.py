"""Belgian public holidays, computed: the ten federal days plus each community's own day."""

from __future__ import annotations

import datetime as dt
from functools import cache
from types import MappingProxyType

from referral_map.schemas import Scope, ServiceArea
from referral_map.taxonomy import Community

FIXED_FEDERAL_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "new_year"),
    (5, 1, "labour_day"),
    (7, 21, "national_day"),
    (8, 15, "assumption_day"),
    (11, 1, "all_saints_day"),
    (11, 11, "armistice_day"),
    (12, 25, "christmas_day"),
)

DAYS_AFTER_EASTER: tuple[tuple[int, str], ...] = (
    (1, "easter_monday"),
    (39, "ascension_day"),
    (50, "whit_monday"),
)

COMMUNITY_HOLIDAYS: dict[Community, tuple[int, int, str]] = {
    Community.FLEMISH: (7, 11, "flemish_community_day"),
    Community.FRENCH: (9, 27, "french_community_day"),
    Community.GERMAN: (11, 15, "german_community_day"),
}


def easter_sunday(year: int) -> dt.date:
    """Western Easter, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century - (century + 8) // 25 + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    quarter, quarter_rest = divmod(year_of_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * quarter - epact - quarter_rest) % 7
    correction = (golden + 11 * epact + 22 * weekday_shift) // 451
    month, day_index = divmod(epact + weekday_shift - 7 * correction + 114, 31)
    return dt.date(year, month, day_index + 1)


@cache
def _holidays(year: int, community: Community | None) -> MappingProxyType[dt.date, str]:
    days = {dt.date(year, month, day): name for month, day, name in FIXED_FEDERAL_HOLIDAYS}
    easter = easter_sunday(year)
    days.update({easter + dt.timedelta(days=offset): name for offset, name in DAYS_AFTER_EASTER})
    if community in COMMUNITY_HOLIDAYS:
        month, day, name = COMMUNITY_HOLIDAYS[community]
        days[dt.date(year, month, day)] = name
    return MappingProxyType(dict(sorted(days.items())))


def public_holidays(year: int, community: Community | None) -> dict[dt.date, str]:
    """Date -> holiday id. `None` or Brussels: the federal holidays only."""
    return dict(_holidays(year, community))


def is_public_holiday(day: dt.date, community: Community | None) -> bool:
    return day in _holidays(day.year, community)


def holiday_community(area: ServiceArea) -> Community | None:
    """The one community whose own holiday a service with this area keeps, if there is exactly one."""
    if area.scope is Scope.NATIONAL:
        return None
    own_holiday = {community for community in area.communities if community in COMMUNITY_HOLIDAYS}
    return own_holiday.pop() if len(own_holiday) == 1 else None
