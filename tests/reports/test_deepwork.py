"""Deep-work figures for a week: working, goal, focus, eaten-by-meetings and free minutes."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatekeeper.calendars.ics import read_ics
from gatekeeper.domain import Interval, WorkingHours
from gatekeeper.reports.deepwork import deep_work_week
from gatekeeper.screening.focus import DEFAULT_TITLES, focus_intervals

BERLIN = ZoneInfo("Europe/Berlin")
PAT = "pat@example.com"
MONDAY = date(2026, 11, 23)
OFFICE = WorkingHours("Europe/Berlin", (0, 1, 2, 3, 4), time(9), time(17))
ICS = Path(__file__).resolve().parents[1] / "data" / "ics"
# The meetings Pat attends that week (the all-hands was declined; the billing review is
# counted as if accepted, so that a meeting eats into focus time).
MEETING_UIDS = {
    "one-on-one@google.com",
    "architecture-review@google.com",
    "billing-review@google.com",
    "focus-time-with-sam@google.com",
    "focus-group@google.com",
}


def _berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def pat_week():
    """Return (focus, meetings) of Pat's week of 23 November 2026."""
    cal = read_ics(ICS / "pat_week_2026_11_23.ics")
    window = (_berlin(23, 0), _berlin(30, 0))
    instances = cal.instances(*window)
    focus = focus_intervals(instances, PAT, DEFAULT_TITLES, [], *window)
    meetings = [i.interval for i in instances if i.uid in MEETING_UIDS]
    return focus, meetings


def test_rows_for_pats_week(pat_week):
    focus, meetings = pat_week
    week = deep_work_week(MONDAY, OFFICE, focus, meetings, goal=0.5)
    rows = [
        (
            d.date.day,
            d.working_minutes,
            d.goal_minutes,
            d.focus_minutes,
            d.eaten_minutes,
            d.free_minutes,
        )
        for d in week.days
    ]
    assert rows == [
        (23, 480, 240, 120, 0, 330),  # Deep work 9-11; 1:1 13:00-13:30
        (24, 480, 240, 240, 60, 180),  # Deep work + Quiet hours; billing review eats 1 h
        (25, 480, 240, 0, 0, 420),  # Deep work excluded; pairing 16-17
        (26, 480, 240, 120, 0, 300),  # Deep work moved to 13-15; focus group 16-17
        (27, 480, 240, 240, 0, 240),  # Deep work and heads-down roadmap
        (28, 0, 0, 0, 0, 0),
        (29, 0, 0, 0, 0, 0),
    ]


def test_totals_for_pats_week(pat_week):
    week = deep_work_week(MONDAY, OFFICE, *pat_week)
    assert week.goal == 0.5  # the default: half of working hours
    assert (week.working_minutes, week.goal_minutes) == (2400, 1200)
    assert (week.focus_minutes, week.eaten_minutes, week.kept_minutes) == (720, 60, 660)
    assert week.free_minutes == 1470
    assert week.days_goal_met == 1  # only Friday keeps four hours of focus


def test_goal_is_a_share_of_working_time(pat_week):
    week = deep_work_week(MONDAY, OFFICE, *pat_week, goal=0.25)
    assert [d.goal_minutes for d in week.days[:5]] == [120] * 5
    assert week.days_goal_met == 4  # every working day but Wednesday
    with pytest.raises(ValueError, match="between 0 and 1"):
        deep_work_week(MONDAY, OFFICE, *pat_week, goal=1.5)


def test_focus_outside_working_hours_and_overlaps_count_once():
    focus = [
        Interval(_berlin(23, 7), _berlin(23, 10), "early"),  # only 09-10 counts
        Interval(_berlin(23, 9, 30), _berlin(23, 10, 30), "overlapping"),
    ]
    meetings = [
        Interval(_berlin(23, 10), _berlin(23, 11)),
        Interval(_berlin(23, 10, 15), _berlin(23, 10, 45)),  # double-booked
    ]
    monday = deep_work_week(MONDAY, OFFICE, focus, meetings).days[0]
    assert monday.focus_minutes == 90
    assert monday.eaten_minutes == 30
    assert monday.free_minutes == 480 - 120


def test_dst_day_has_its_real_length():
    always = WorkingHours("Europe/Berlin", tuple(range(7)), time(0), time(12))
    week = deep_work_week(date(2026, 10, 19), always, [], [])
    sunday = week.days[6]
    assert sunday.date == date(2026, 10, 25)
    assert sunday.working_minutes == 13 * 60  # 00:00 summer time to 12:00 winter time
    assert sunday.free_minutes == 13 * 60
    assert week.days[0].working_minutes == 12 * 60
