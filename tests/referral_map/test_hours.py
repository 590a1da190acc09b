from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from referral_map.hours import BRUSSELS, Openness, by_channel, openness
from referral_map.schemas import Channel, Hours, Schedule, Weekday
from referral_map.taxonomy import Community

WORKDAYS = [Weekday.MO, Weekday.TU, Weekday.WE, Weekday.TH, Weekday.FR]
OFFICE = Hours(schedules=[Schedule(byday=WORKDAYS, opens_at="09:00", closes_at="17:00")])
OFFICE_ON_HOLIDAYS = Hours(
    schedules=[Schedule(byday=WORKDAYS, opens_at="09:00", closes_at="17:00")],
    closed_on_public_holidays=False,
)
MONDAYS = Hours(schedules=[Schedule(byday=[Weekday.MO], opens_at="09:00", closes_at="17:00")])
SPLIT = Hours(
    schedules=[
        Schedule(byday=WORKDAYS, opens_at="09:00", closes_at="12:00"),
        Schedule(byday=WORKDAYS, opens_at="13:00", closes_at="17:00"),
    ]
)
TOUCHING = Hours(
    schedules=[
        Schedule(byday=WORKDAYS, opens_at="09:00", closes_at="12:00"),
        Schedule(byday=WORKDAYS, opens_at="12:00", closes_at="17:00"),
    ]
)
EVENINGS = Hours(schedules=[Schedule(byday=[Weekday.MO], opens_at="18:00", closes_at="24:00")])
OVERNIGHT = Hours(
    schedules=[
        Schedule(byday=[Weekday.MO], opens_at="18:00", closes_at="24:00"),
        Schedule(byday=[Weekday.TU], opens_at="00:00", closes_at="08:00"),
    ]
)
PHONE_AND_CHAT = Hours(
    schedules=[
        Schedule(byday=WORKDAYS, opens_at="09:00", closes_at="17:00", channel=Channel.PHONE),
        Schedule(byday=WORKDAYS, opens_at="18:00", closes_at="22:00", channel=Channel.CHAT),
        Schedule(byday=[Weekday.SA], opens_at="10:00", closes_at="12:00"),
    ]
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


def opened(closes: str) -> Openness:
    return Openness("open", next_opening=None, closes_at=local(closes))


def closed(next_opening: str) -> Openness:
    return Openness("closed", next_opening=local(next_opening), closes_at=None)


def assert_same(actual: Openness, expected: Openness) -> None:
    """Equal, and equal in the wall-clock fields and UTC offset too (not only as instants)."""
    assert actual == expected
    for moment, wanted in (
        (actual.next_opening, expected.next_opening),
        (actual.closes_at, expected.closes_at),
    ):
        assert (moment and moment.isoformat()) == (wanted and wanted.isoformat())


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc("2026-03-27T08:30"), opened("2026-03-27T17:00")),
        (utc("2026-03-27T07:30"), closed("2026-03-27T09:00")),
        (utc("2026-03-27T17:00"), closed("2026-03-30T09:00")),
        (utc("2026-03-30T07:30"), opened("2026-03-30T17:00")),
        (utc("2026-03-30T06:30"), closed("2026-03-30T09:00")),
        (utc("2026-03-30T15:00"), closed("2026-03-31T09:00")),
        (utc("2026-10-23T07:30"), opened("2026-10-23T17:00")),
        (utc("2026-10-23T16:00"), closed("2026-10-26T09:00")),
        (utc("2026-10-26T08:30"), opened("2026-10-26T17:00")),
        (utc("2026-10-26T07:30"), closed("2026-10-26T09:00")),
        (utc("2026-10-26T15:59"), opened("2026-10-26T17:00")),
        (utc("2026-10-26T16:00"), closed("2026-10-27T09:00")),
    ],
)
def test_wall_clock_hours_across_summer_time_change(at: datetime, expected: Openness) -> None:
    assert_same(openness(OFFICE, at, None), expected)


def test_summer_time_values_carry_the_right_offset() -> None:
    result = openness(OFFICE, utc("2026-03-27T17:00"), None)
    assert result.next_opening == utc("2026-03-30T07:00")
    assert result.next_opening is not None
    assert result.next_opening.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("hours", "at", "community", "expected"),
    [
        (OFFICE, local("2025-07-11T10:00"), Community.FLEMISH, closed("2025-07-14T09:00")),
        (OFFICE, local("2025-07-11T10:00"), Community.FRENCH, opened("2025-07-11T17:00")),
        (OFFICE, local("2025-07-11T10:00"), None, opened("2025-07-11T17:00")),
        (OFFICE, local("2027-09-27T10:00"), Community.FRENCH, closed("2027-09-28T09:00")),
        (OFFICE, local("2027-09-27T10:00"), Community.FLEMISH, opened("2027-09-27T17:00")),
        (OFFICE, local("2027-09-27T10:00"), Community.GERMAN, opened("2027-09-27T17:00")),
        (OFFICE, local("2027-11-15T10:00"), Community.GERMAN, closed("2027-11-16T09:00")),
        (OFFICE, local("2027-11-15T10:00"), Community.FRENCH, opened("2027-11-15T17:00")),
        (OFFICE, local("2027-11-15T10:00"), Community.BRUSSELS, opened("2027-11-15T17:00")),
        (OFFICE_ON_HOLIDAYS, local("2025-07-11T10:00"), Community.FLEMISH, opened("2025-07-11T17:00")),
    ],
)
def test_community_holidays(
    hours: Hours, at: datetime, community: Community | None, expected: Openness
) -> None:
    assert_same(openness(hours, at, community), expected)


@pytest.mark.parametrize(
    ("hours", "at", "community", "expected"),
    [
        (OFFICE, local("2026-04-03T17:30"), None, closed("2026-04-07T09:00")),
        (OFFICE_ON_HOLIDAYS, local("2026-04-03T17:30"), None, closed("2026-04-06T09:00")),
        (OFFICE, local("2026-05-13T17:00"), None, closed("2026-05-15T09:00")),
        (OFFICE, local("2026-05-14T08:00"), Community.FLEMISH, closed("2026-05-15T09:00")),
        (OFFICE, local("2026-12-24T18:00"), None, closed("2026-12-28T09:00")),
        (MONDAYS, local("2027-11-08T18:00"), Community.GERMAN, closed("2027-11-22T09:00")),
        (MONDAYS, local("2027-11-08T18:00"), Community.FRENCH, closed("2027-11-15T09:00")),
        (MONDAYS, local("2027-11-08T08:59"), Community.GERMAN, closed("2027-11-08T09:00")),
    ],
)
def test_next_opening_skips_weekends_and_holidays(
    hours: Hours, at: datetime, community: Community | None, expected: Openness
) -> None:
    assert_same(openness(hours, at, community), expected)


@pytest.mark.parametrize(
    ("hours", "at", "expected"),
    [
        (SPLIT, local("2026-06-03T10:00"), opened("2026-06-03T12:00")),
        (SPLIT, local("2026-06-03T12:00"), closed("2026-06-03T13:00")),
        (SPLIT, local("2026-06-03T12:30"), closed("2026-06-03T13:00")),
        (SPLIT, local("2026-06-03T13:00"), opened("2026-06-03T17:00")),
        (TOUCHING, local("2026-06-03T10:00"), opened("2026-06-03T17:00")),
        (TOUCHING, local("2026-06-03T12:00"), opened("2026-06-03T17:00")),
        (TOUCHING, local("2026-06-03T17:00"), closed("2026-06-04T09:00")),
    ],
)
def test_several_blocks_a_day(hours: Hours, at: datetime, expected: Openness) -> None:
    assert_same(openness(hours, at, None), expected)


@pytest.mark.parametrize(
    ("hours", "at", "expected"),
    [
        (EVENINGS, local("2026-06-01T23:30"), opened("2026-06-02T00:00")),
        (EVENINGS, local("2026-06-02T00:00"), closed("2026-06-08T18:00")),
        (EVENINGS, local("2026-06-01T17:00"), closed("2026-06-01T18:00")),
        (OVERNIGHT, local("2026-06-01T23:30"), opened("2026-06-02T08:00")),
        (OVERNIGHT, local("2026-06-02T03:00"), opened("2026-06-02T08:00")),
        (OVERNIGHT, local("2026-06-02T08:00"), closed("2026-06-08T18:00")),
    ],
)
def test_midnight_as_24_00(hours: Hours, at: datetime, expected: Openness) -> None:
    assert_same(openness(hours, at, None), expected)


@pytest.mark.parametrize(
    ("channel", "at", "expected"),
    [
        (Channel.PHONE, local("2026-06-03T10:00"), opened("2026-06-03T17:00")),
        (Channel.CHAT, local("2026-06-03T10:00"), closed("2026-06-03T18:00")),
        (Channel.PHONE, local("2026-06-03T19:00"), closed("2026-06-04T09:00")),
        (Channel.CHAT, local("2026-06-03T19:00"), opened("2026-06-03T22:00")),
        (None, local("2026-06-03T19:00"), opened("2026-06-03T22:00")),
        (Channel.ANY, local("2026-06-03T19:00"), opened("2026-06-03T22:00")),
        (Channel.PHONE, local("2026-06-06T11:00"), opened("2026-06-06T12:00")),
        (Channel.CHAT, local("2026-06-05T22:00"), closed("2026-06-06T10:00")),
        (Channel.VISIT, local("2026-06-06T11:00"), opened("2026-06-06T12:00")),
        (Channel.VISIT, local("2026-06-03T10:00"), closed("2026-06-06T10:00")),
    ],
)
def test_channel_filter(channel: Channel | None, at: datetime, expected: Openness) -> None:
    assert_same(openness(PHONE_AND_CHAT, at, None, channel), expected)


def test_channel_without_schedules_is_unknown() -> None:
    phone_only = Hours(
        schedules=[Schedule(byday=WORKDAYS, opens_at="09:00", closes_at="17:00", channel=Channel.PHONE)]
    )
    assert openness(phone_only, local("2026-06-03T10:00"), None, Channel.CHAT) == Openness(
        "unknown", None, None
    )


@pytest.mark.parametrize(
    "at", [local("2026-06-03T10:00"), local("2026-12-25T03:00"), local("2027-07-11T12:00")]
)
def test_unknown_hours(at: datetime) -> None:
    assert openness(Hours(), at, Community.FLEMISH) == Openness("unknown", None, None)


@pytest.mark.parametrize(
    "at", [local("2026-06-03T10:00"), local("2026-12-25T03:00"), local("2027-07-11T12:00")]
)
def test_always_open(at: datetime) -> None:
    assert openness(Hours(always_open=True), at, Community.FLEMISH) == Openness("open", day_and_night=True)


@pytest.mark.parametrize("hours", [OFFICE, Hours(), Hours(always_open=True)])
def test_naive_datetime_refused(hours: Hours) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        openness(hours, datetime(2026, 6, 3, 10, 0), None)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 6, 3, 12, 30, tzinfo=timezone(timedelta(hours=5))), opened("2026-06-03T17:00")),
        (datetime(2026, 6, 3, 1, 30, tzinfo=timezone(timedelta(hours=-5))), closed("2026-06-03T09:00")),
    ],
)
def test_other_time_zones_are_converted(at: datetime, expected: Openness) -> None:
    assert_same(openness(OFFICE, at, None), expected)


EVERY_DAY = list(Weekday)
LISTENING_LINE = Hours(  # the phone day and night, the chat every evening (Zelfmoordlijn 1813)
    schedules=[
        Schedule(byday=EVERY_DAY, opens_at="00:00", closes_at="24:00", channel=Channel.PHONE),
        Schedule(byday=EVERY_DAY, opens_at="17:00", closes_at="24:00", channel=Channel.CHAT),
    ],
    closed_on_public_holidays=False,
)


def test_a_phone_open_day_and_night_and_a_chat_in_the_evening() -> None:
    at = local("2026-12-01T03:00")
    (phone, on_phone), (chat, on_chat) = by_channel(LISTENING_LINE, at, None, [Channel.PHONE, Channel.CHAT])
    assert (phone, chat) == (Channel.PHONE, Channel.CHAT)
    assert on_phone == Openness("open", day_and_night=True)
    assert on_chat == Openness("closed", next_opening=local("2026-12-01T17:00"))
    assert openness(LISTENING_LINE, at, None) == Openness("open", day_and_night=True)
    evening = by_channel(LISTENING_LINE, local("2026-12-25T20:00"), Community.FLEMISH, [Channel.CHAT])
    assert evening == ((Channel.CHAT, Openness("open", closes_at=local("2026-12-26T00:00"))),)


def test_hours_for_any_channel_are_not_told_per_channel() -> None:
    assert by_channel(OFFICE, local("2026-06-03T10:00"), None, [Channel.PHONE, Channel.CHAT]) == ()
