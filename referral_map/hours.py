"""Whether a service is open at a given moment, with schedules read as Brussels wall-clock time."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from referral_map.holidays import is_public_holiday
from referral_map.schemas import Channel, Hours, Schedule, Weekday
from referral_map.taxonomy import Community

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
LOOK_AHEAD = dt.timedelta(days=14)
DAY_AND_NIGHT = dt.timedelta(days=7)  # open without a break for longer than this: open day and night
WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Openness:
    status: Literal["open", "closed", "unknown"]
    next_opening: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    day_and_night: bool = False


def openness(
    hours: Hours,
    at: dt.datetime,
    holiday_community: Community | None,
    channel: Channel | None = None,
) -> Openness:
    """Open, closed or unknown at `at`.

    With `channel`, only schedules for that channel or for any channel count; `Channel.ANY` or
    `None` counts every schedule. A channel no schedule applies to has unknown hours.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"openness needs a timezone-aware datetime, got naive {at.isoformat()}")
    if hours.always_open:
        return Openness("open", day_and_night=True)
    schedules = _for_channel(hours.schedules, channel)
    if not schedules:
        return Openness("unknown")
    now = at.astimezone(dt.UTC)
    weekly = tuple((tuple(schedule.byday), schedule.opens_at, schedule.closes_at) for schedule in schedules)
    today = now.astimezone(BRUSSELS).date()
    opening_times = _opening_times(weekly, hours.closed_on_public_holidays, today, holiday_community)
    for opens, closes in opening_times:
        if opens <= now < closes:
            if closes - now > DAY_AND_NIGHT:
                return Openness("open", day_and_night=True)
            return Openness("open", closes_at=_local(closes))
        if now < opens <= now + LOOK_AHEAD:
            return Openness("closed", next_opening=_local(opens))
    return Openness("closed")


def by_channel(
    hours: Hours, at: dt.datetime, holiday_community: Community | None, channels: Iterable[Channel]
) -> tuple[tuple[Channel, Openness], ...]:
    """Openness per channel, for the `channels` that have schedules of their own ("phone day and night,
    chat 17:00-24:00"); empty when every schedule holds for any channel."""
    own = {schedule.channel for schedule in hours.schedules}
    return tuple(
        (channel, openness(hours, at, holiday_community, channel)) for channel in channels if channel in own
    )


def _for_channel(schedules: list[Schedule], channel: Channel | None) -> list[Schedule]:
    if channel is None or channel is Channel.ANY:
        return schedules
    return [schedule for schedule in schedules if schedule.channel in (channel, Channel.ANY)]


WeeklyBlock = tuple[tuple[Weekday, ...], str, str]  # the days, opens at, closes at


@lru_cache(maxsize=4096)  # the same services are asked about all day: their times are read once a day
def _opening_times(
    weekly: tuple[WeeklyBlock, ...], closed_on_holidays: bool, today: dt.date, community: Community | None
) -> tuple[Interval, ...]:
    return tuple(_merged(_blocks(weekly, closed_on_holidays, today, community)))


def _blocks(
    weekly: tuple[WeeklyBlock, ...], closed_on_holidays: bool, today: dt.date, community: Community | None
) -> Iterator[Interval]:
    """Opening blocks in UTC, from the day before `today` (Brussels) to the end of the look-ahead."""
    for offset in range(-1, LOOK_AHEAD.days + 1):
        day = today + dt.timedelta(days=offset)
        if closed_on_holidays and is_public_holiday(day, community):
            continue
        weekday = WEEKDAYS[day.weekday()]
        for byday, opens_at, closes_at in weekly:
            if weekday in byday:
                yield _wall_clock(day, opens_at), _wall_clock(day, closes_at)


def _wall_clock(day: dt.date, time_of_day: str) -> dt.datetime:
    """`day` at HH:MM Brussels time, in UTC; 24:00 is the midnight that ends the day."""
    hour, minute = (int(part) for part in time_of_day.split(":"))
    if hour == 24:
        day, hour = day + dt.timedelta(days=1), 0
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BRUSSELS).astimezone(dt.UTC)


def _merged(blocks: Iterator[Interval]) -> list[Interval]:
    """Sorted blocks, with overlapping or touching ones joined into one."""
    merged: list[Interval] = []
    for opens, closes in sorted(blocks):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BRUSSELS)
