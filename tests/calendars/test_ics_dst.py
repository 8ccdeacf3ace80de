"""Weekly blocks across the daylight saving changes of Europe and the US (2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
BERLIN_BLOCK = "berlin-deep-work@example.com"
NEW_YORK_BLOCK = "new-york-focus@example.com"


@pytest.fixture
def mondays(ics):
    """Return {monday: (Berlin block, New York block)} for every Monday of the series."""
    cal = ics("dst_focus_blocks.ics")
    berlin = {
        i.start.astimezone(BERLIN).date(): i for i in cal.series_instances(BERLIN_BLOCK, *YEAR)
    }
    new_york = {
        i.start.astimezone(NEW_YORK).date(): i for i in cal.series_instances(NEW_YORK_BLOCK, *YEAR)
    }
    assert berlin.keys() == new_york.keys()
    return {day: (berlin[day], new_york[day]) for day in berlin}


def test_berlin_block_stays_at_nine_local_all_year(mondays):
    assert {b.start.astimezone(BERLIN).time() for b, _ in mondays.values()} == {time(9, 0)}
    assert {b.end.astimezone(BERLIN).time() for b, _ in mondays.values()} == {time(11, 0)}


@pytest.mark.parametrize(
    ("monday", "utc_hour"),
    [
        (date(2026, 3, 23), 8),  # CET, the last Monday before 29 March
        (date(2026, 3, 30), 7),  # CEST from 29 March
        (date(2026, 10, 19), 7),  # still CEST
        (date(2026, 10, 26), 8),  # CET again from 25 October
    ],
)
def test_berlin_block_moves_in_utc_at_the_european_changes(mondays, monday, utc_hour):
    berlin, _ = mondays[monday]
    assert berlin.start.astimezone(UTC).hour == utc_hour


def test_new_york_block_stays_at_nine_local_all_year(mondays):
    assert {n.start.astimezone(NEW_YORK).time() for _, n in mondays.values()} == {time(9, 0)}


@pytest.mark.parametrize(
    ("monday", "berlin_hour"),
    [
        (date(2026, 3, 2), 15),  # both on winter time: six hours apart
        (date(2026, 3, 9), 14),  # US on summer time from 8 March, Europe not yet
        (date(2026, 3, 23), 14),
        (date(2026, 3, 30), 15),  # both on summer time
        (date(2026, 10, 19), 15),
        (date(2026, 10, 26), 14),  # Europe back on winter time 25 October, US not yet
        (date(2026, 11, 2), 15),  # US back on winter time 1 November
    ],
)
def test_new_york_block_moves_relative_to_berlin_when_only_one_side_changed(
    mondays, monday, berlin_hour
):
    _, new_york = mondays[monday]
    assert new_york.start.astimezone(BERLIN).hour == berlin_hour


def test_dst_weeks_keep_one_occurrence_per_monday(mondays):
    assert len(mondays) == 40  # 2 March .. 30 November
    assert all(day.weekday() == 0 for day in mondays)


def test_recurrence_id_is_the_local_start(mondays):
    berlin, new_york = mondays[date(2026, 11, 2)]
    assert berlin.recurrence_id == datetime(2026, 11, 2, 9, tzinfo=BERLIN)
    assert new_york.recurrence_id == datetime(2026, 11, 2, 9, tzinfo=NEW_YORK)
