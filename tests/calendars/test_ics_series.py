"""Series in .ics files: masters, overrides, and the occurrences instances() returns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
NOVEMBER = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
STANDUP = "standup-7f3a@example.com"


def test_events_keep_master_and_overrides_in_file_order(ics):
    master, moved, cancelled = ics("series_weekly_standup.ics").events
    assert master.recurring and master.recurrence_id is None
    assert master.recurrence == (
        "RRULE:FREQ=WEEKLY;COUNT=12;BYDAY=MO,WE,FR",
        "EXDATE;TZID=Europe/Berlin:20261111T100000",
    )
    assert moved.recurring and moved.recurrence == ()
    assert moved.recurrence_id == datetime(2026, 11, 25, 10, tzinfo=BERLIN)
    assert moved.start == datetime(2026, 11, 25, 14, 30, tzinfo=BERLIN)
    assert cancelled.status == "cancelled"


def test_series_expansion_applies_count_byday_exdate_moves_and_cancels(ics):
    found = ics("series_weekly_standup.ics").instances(*NOVEMBER)
    days = [i.start.astimezone(BERLIN).date() for i in found]
    # COUNT=12 on Mon/Wed/Fri from 2 Nov, 11 Nov excluded, 27 Nov cancelled.
    assert days == [date(2026, 11, d) for d in (2, 4, 6, 9, 13, 16, 18, 20, 23, 25)]
    assert all(i.recurring and i.recurrence == () for i in found)
    assert all(i.recurrence_id is not None for i in found)


def test_moved_instance_keeps_its_original_recurrence_id(ics):
    found = ics("series_weekly_standup.ics").instances(*NOVEMBER)
    moved = next(i for i in found if i.start.day == 25)
    assert moved.start == datetime(2026, 11, 25, 14, 30, tzinfo=BERLIN)
    assert moved.recurrence_id == datetime(2026, 11, 25, 10, tzinfo=BERLIN)
    assert moved.summary == "Team stand-up (moved to the afternoon)"


def test_plain_occurrence_recurrence_id_is_its_start(ics):
    first = ics("series_weekly_standup.ics").instances(*NOVEMBER)[0]
    assert first.recurrence_id == first.start == datetime(2026, 11, 2, 10, tzinfo=BERLIN)
    assert first.attendee("pat@example.com") is not None


def test_window_is_half_open(ics):
    cal = ics("series_weekly_standup.ics")
    start = datetime(2026, 11, 2, 10, 15, tzinfo=BERLIN)  # the first one ends here
    end = datetime(2026, 11, 4, 10, 0, tzinfo=BERLIN)  # the second one starts here
    assert cal.instances(start, end) == []
    assert len(cal.instances(start, end.replace(minute=1))) == 1


def test_series_instances_selects_one_series(ics):
    cal = ics("series_weekly_standup.ics")
    assert len(cal.series_instances(STANDUP, *NOVEMBER)) == 10
    assert cal.series_instances("someone-else", *NOVEMBER) == []


def test_naive_window_is_refused(ics):
    with pytest.raises(ValueError, match="timezone-aware"):
        ics("series_weekly_standup.ics").instances(datetime(2026, 11, 1), datetime(2026, 12, 1))
