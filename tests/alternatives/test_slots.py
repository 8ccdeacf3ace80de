"""Alternative slots: free, aligned, inside working hours, spread, earliest first."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from gatekeeper.alternatives import find_slots, format_slots
from gatekeeper.domain import Interval, WorkingHours
from gatekeeper.screening.focus import DEFAULT_TITLES, focus_intervals

BERLIN = ZoneInfo("Europe/Berlin")
PAT = "pat@example.com"
HOUR = timedelta(hours=1)


def _local(slots):
    return [(s.start.astimezone(BERLIN), s.end.astimezone(BERLIN)) for s in slots]


def test_one_slot_per_day_earliest_first(office, berlin):
    slots = find_slots(duration=HOUR, now=berlin(23, 7), working_hours=office, focus=[], busy=[])
    assert _local(slots) == [
        (berlin(23, 9), berlin(23, 10)),
        (berlin(24, 9), berlin(24, 10)),
        (berlin(25, 9), berlin(25, 10)),
    ]
    assert all(s.start.tzinfo is UTC for s in slots)


def test_skips_focus_and_busy_time(office, berlin):
    focus = [Interval(berlin(23, 9), berlin(23, 11), "Deep work")]
    busy = [Interval(berlin(23, 11), berlin(23, 11, 45)), Interval(berlin(24, 9), berlin(24, 17))]
    slots = find_slots(
        duration=HOUR, now=berlin(23, 7), working_hours=office, focus=focus, busy=busy
    )
    assert _local(slots)[:2] == [
        (berlin(23, 11, 45), berlin(23, 12, 45)),  # right after the busy time
        (berlin(25, 9), berlin(25, 10)),  # Tuesday is fully booked
    ]


def test_never_in_the_past_and_aligned_to_a_quarter_hour(office, berlin):
    now = berlin(23, 10, 7)
    slots = find_slots(duration=HOUR, now=now, working_hours=office, focus=[], busy=[])
    assert slots[0].start.astimezone(BERLIN) == berlin(23, 10, 15)
    assert all(s.start >= now for s in slots)
    assert all(s.start.astimezone(BERLIN).minute % 15 == 0 for s in slots)


def test_busy_end_off_the_grid_is_rounded_up(office, berlin):
    busy = [Interval(berlin(23, 9), berlin(23, 9, 50))]
    [slot] = find_slots(
        duration=HOUR, now=berlin(23, 8), working_hours=office, focus=[], busy=busy, count=1
    )
    assert slot.start.astimezone(BERLIN) == berlin(23, 10)


def test_other_step(office, berlin):
    [slot] = find_slots(
        duration=HOUR,
        now=berlin(23, 9, 1),
        working_hours=office,
        focus=[],
        busy=[],
        count=1,
        step_minutes=30,
    )
    assert slot.start.astimezone(BERLIN) == berlin(23, 9, 30)


def test_skips_weekends(office, berlin):
    slots = find_slots(duration=HOUR, now=berlin(27, 18), working_hours=office, focus=[], busy=[])
    assert [s.start.astimezone(BERLIN).date() for s in slots] == [
        berlin(30, 0).date(),
        datetime(2026, 12, 1).date(),
        datetime(2026, 12, 2).date(),
    ]


def test_working_days_limit(office, berlin):
    # The whole first week is busy: nothing within five working days, Monday within six.
    busy = [Interval(berlin(23, 0), berlin(28, 0))]
    kwargs = {
        "duration": HOUR,
        "now": berlin(23, 7),
        "working_hours": office,
        "focus": [],
        "busy": busy,
    }
    assert find_slots(**kwargs, working_days=5) == []
    assert find_slots(**kwargs, working_days=6)[0].start.astimezone(BERLIN) == berlin(30, 9)


def test_today_counts_only_while_working_time_is_ahead(office, berlin):
    late = find_slots(
        duration=HOUR, now=berlin(23, 17), working_hours=office, focus=[], busy=[], working_days=1
    )
    assert {start.date() for start, _ in _local(late)} == {berlin(24, 0).date()}
    assert _local(late)[0] == (berlin(24, 9), berlin(24, 10))
    nearly = find_slots(
        duration=HOUR,
        now=berlin(23, 16, 30),
        working_hours=office,
        focus=[],
        busy=[],
        working_days=1,
    )
    assert nearly == []  # half an hour left today is too short, and today was the one day


def test_second_slots_on_a_day_only_when_days_run_out(office, berlin):
    # Only Monday and Tuesday have room.
    busy = [Interval(berlin(25, 0), berlin(28, 0))]
    slots = find_slots(duration=HOUR, now=berlin(23, 7), working_hours=office, focus=[], busy=busy)
    assert _local(slots) == [
        (berlin(23, 9), berlin(23, 10)),
        (berlin(23, 10), berlin(23, 11)),
        (berlin(24, 9), berlin(24, 10)),
    ]


def test_slots_never_overlap_each_other(office, berlin):
    busy = [Interval(berlin(24, 0), berlin(28, 0))]
    slots = find_slots(
        duration=2 * HOUR, now=berlin(23, 7), working_hours=office, focus=[], busy=busy, count=4
    )
    assert len(slots) == 4
    assert all(a.end <= b.start for a, b in itertools.pairwise(slots))


def test_too_long_for_any_day(office, berlin):
    assert (
        find_slots(duration=9 * HOUR, now=berlin(23, 7), working_hours=office, focus=[], busy=[])
        == []
    )


def test_earliest_bound(office, berlin):
    [slot] = find_slots(
        duration=HOUR,
        now=berlin(23, 7),
        working_hours=office,
        focus=[],
        busy=[],
        count=1,
        earliest=berlin(25, 13, 5),
    )
    assert slot.start.astimezone(BERLIN) == berlin(25, 13, 15)


def test_bad_step_is_refused(office, berlin):
    with pytest.raises(ValueError, match="step_minutes"):
        find_slots(
            duration=HOUR,
            now=berlin(23, 7),
            working_hours=office,
            focus=[],
            busy=[],
            step_minutes=0,
        )


def test_new_york_person_aligns_in_new_york(berlin):
    new_york = WorkingHours("America/New_York", (0, 1, 2, 3, 4), time(9), time(17))
    now = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)  # 09:05 in New York
    [slot] = find_slots(duration=HOUR, now=now, working_hours=new_york, focus=[], busy=[], count=1)
    assert slot.start.astimezone(ZoneInfo("America/New_York")).time() == time(9, 15)


def test_from_pats_real_week(pat_week, office, berlin):
    week = (berlin(23, 0), berlin(30, 0))
    instances = pat_week.instances(*week)
    focus = focus_intervals(instances, PAT, DEFAULT_TITLES, [], *week)
    busy = [
        i.interval
        for i in instances
        if not i.transparent
        and i.status != "cancelled"
        and (a := i.attendee(PAT)) is not None
        and a.response in ("accepted", "tentative")
    ]
    slots = find_slots(
        duration=HOUR, now=berlin(23, 8), working_hours=office, focus=focus, busy=busy
    )
    assert _local(slots) == [
        (berlin(23, 11), berlin(23, 12)),  # after Deep work 09-11
        (berlin(24, 12), berlin(24, 13)),  # after Deep work and the tentative review 11-12
        (berlin(25, 9), berlin(25, 10)),  # no Deep work (EXDATE); the declined all-hands is free
    ]
    for slot in slots:
        assert not any(slot.overlaps(b) for b in focus + busy)


def test_format_in_the_organizers_zone(berlin):
    slots = [Interval(berlin(24, 14), berlin(24, 14, 30)), Interval(berlin(25, 9), berlin(25, 10))]
    assert format_slots(slots, "Europe/Berlin") == [
        "Tue 24 Nov, 14:00–14:30 (Europe/Berlin)",
        "Wed 25 Nov, 09:00–10:00 (Europe/Berlin)",
    ]
    assert format_slots(slots, "America/New_York") == [
        "Tue 24 Nov, 08:00–08:30 (America/New_York)",
        "Wed 25 Nov, 03:00–04:00 (America/New_York)",
    ]


def test_format_across_midnight_and_unknown_zone(berlin):
    late = Interval(berlin(24, 23, 30), berlin(25, 0, 30))
    assert format_slots([late], "Europe/Berlin") == [
        "Tue 24 Nov, 23:30 – Wed 25 Nov, 00:30 (Europe/Berlin)"
    ]
    assert format_slots([late], "Not/AZone") == ["Tue 24 Nov, 22:30–23:30 (UTC)"]


def test_working_hours_follow_the_wall_clock_across_dst(office):
    # Friday 23 Oct is summer time, Monday 26 Oct winter time: both at 09:00 local.
    now = datetime(2026, 10, 23, 6, tzinfo=UTC)
    slots = find_slots(duration=HOUR, now=now, working_hours=office, focus=[], busy=[], count=2)
    assert [s.start.astimezone(BERLIN).time() for s in slots] == [time(9), time(9)]
    assert [s.start.hour for s in slots] == [7, 8]
