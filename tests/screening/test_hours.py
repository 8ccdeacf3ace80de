"""Working hours in the person's zone: what falls outside them, and when they are."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from gatekeeper.domain import Interval, WorkingHours
from gatekeeper.screening.hours import outside_working_hours, working_day, working_intervals

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = WorkingHours("Europe/Berlin", (0, 1, 2, 3, 4), time(9), time(17))


def _berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def _span(start: datetime, minutes: int) -> Interval:
    return Interval(start, start + timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("start", "minutes", "outside"),
    [
        (_berlin(24, 9), 60, False),  # Tuesday morning
        (_berlin(24, 16), 60, False),  # ends exactly at 17:00
        (_berlin(24, 16, 30), 60, True),  # runs past 17:00
        (_berlin(24, 8, 30), 60, True),  # begins before 09:00
        (_berlin(28, 10), 60, True),  # Saturday
        (_berlin(24, 15), 24 * 60, True),  # Tue 15:00 to Wed 15:00 spans the night
        (_berlin(27, 16), 3 * 24 * 60 + 60, True),  # over the weekend
    ],
)
def test_outside_working_hours(start, minutes, outside):
    assert outside_working_hours(_span(start, minutes), OFFICE) is outside


def test_judged_in_the_persons_zone_not_the_invites():
    # 15:00 in New York is 21:00 in Berlin.
    invite = _span(datetime(2026, 11, 24, 15, tzinfo=NEW_YORK), 30)
    assert outside_working_hours(invite, OFFICE)
    assert not outside_working_hours(invite, WorkingHours("America/New_York"))


def test_across_the_us_dst_change_new_york_morning_is_berlin_afternoon():
    nine_in_new_york = _span(datetime(2026, 10, 30, 9, tzinfo=NEW_YORK), 60)  # US still EDT
    late = _span(datetime(2026, 10, 30, 11, 30, tzinfo=NEW_YORK), 60)
    assert not outside_working_hours(nine_in_new_york, OFFICE)  # 14:00-15:00 in Berlin
    assert outside_working_hours(late, OFFICE)  # 16:30-17:30 in Berlin


def test_instants_inside_and_outside():
    assert not outside_working_hours(_span(_berlin(24, 17), 0), OFFICE)
    assert outside_working_hours(_span(_berlin(24, 18), 0), OFFICE)


def test_working_intervals_clip_to_the_window():
    found = working_intervals(OFFICE, _berlin(24, 12), _berlin(26, 10))
    assert [(i.start.astimezone(BERLIN), i.end.astimezone(BERLIN)) for i in found] == [
        (_berlin(24, 12), _berlin(24, 17)),
        (_berlin(25, 9), _berlin(25, 17)),
        (_berlin(26, 9), _berlin(26, 10)),
    ]
    assert all(i.start.tzinfo is UTC and i.end.tzinfo is UTC for i in found)


def test_working_intervals_skip_days_off():
    found = working_intervals(OFFICE, _berlin(27, 0), _berlin(30, 23))
    assert [i.start.astimezone(BERLIN).day for i in found] == [27, 30]


def test_working_day_length_on_dst_days_is_real():
    european_change = working_day(
        WorkingHours("Europe/Berlin", days=(6,), start=time(0), end=time(12)),
        datetime(2026, 3, 29).date(),
    )
    assert european_change is not None
    assert european_change.duration == timedelta(hours=11)


def test_night_shift_runs_past_midnight():
    nights = WorkingHours("Europe/Berlin", (0, 1, 2, 3, 4), time(22), time(6))
    assert not outside_working_hours(_span(_berlin(24, 23), 120), nights)  # Tue 23:00-01:00
    assert outside_working_hours(_span(_berlin(24, 12), 60), nights)
    # Saturday 02:00 still belongs to Friday's shift.
    assert not outside_working_hours(_span(_berlin(28, 2), 60), nights)
