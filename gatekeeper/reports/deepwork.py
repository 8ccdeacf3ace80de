"""The deep-work goal: protected focus time per day of a week, and what meetings ate of it.

All figures are minutes of working time: focus outside working hours counts for nothing,
since the goal is a share of working hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from gatekeeper.domain import Interval, WorkingHours
from gatekeeper.screening.focus import merge
from gatekeeper.screening.hours import working_day

DEFAULT_GOAL = 0.5


@dataclass(frozen=True)
class DeepWorkDay:
    """One day's figures, in minutes of the day's working time."""

    date: date
    working_minutes: float
    goal_minutes: float
    focus_minutes: float  # protected focus time within working hours
    eaten_minutes: float  # of that, time taken by meetings
    free_minutes: float  # working time that is neither focus nor meeting

    @property
    def kept_minutes(self) -> float:
        """Return the focus time meetings left alone."""
        return self.focus_minutes - self.eaten_minutes

    @property
    def goal_met(self) -> bool:
        """Return True when the kept focus time reaches the goal."""
        return self.kept_minutes >= self.goal_minutes


@dataclass(frozen=True)
class DeepWorkWeek:
    """Seven days from ``week_start`` and their totals."""

    week_start: date
    goal: float  # share of working time to protect
    days: tuple[DeepWorkDay, ...]

    @property
    def working_minutes(self) -> float:
        """Return the week's working time."""
        return sum(d.working_minutes for d in self.days)

    @property
    def goal_minutes(self) -> float:
        """Return the week's goal."""
        return sum(d.goal_minutes for d in self.days)

    @property
    def focus_minutes(self) -> float:
        """Return the week's protected focus time."""
        return sum(d.focus_minutes for d in self.days)

    @property
    def eaten_minutes(self) -> float:
        """Return the focus time meetings took over the week."""
        return sum(d.eaten_minutes for d in self.days)

    @property
    def free_minutes(self) -> float:
        """Return the week's working time that is neither focus nor meeting."""
        return sum(d.free_minutes for d in self.days)

    @property
    def kept_minutes(self) -> float:
        """Return the week's focus time that meetings left alone."""
        return self.focus_minutes - self.eaten_minutes

    @property
    def days_goal_met(self) -> int:
        """Return how many working days reached the goal."""
        return sum(1 for d in self.days if d.working_minutes > 0 and d.goal_met)


def deep_work_week(
    week_start: date,
    wh: WorkingHours,
    focus: Sequence[Interval],
    meetings: Sequence[Interval],
    goal: float = DEFAULT_GOAL,
) -> DeepWorkWeek:
    """Return the deep-work figures of the seven days from ``week_start``.

    ``focus`` is the person's focus time and ``meetings`` the meetings they attend (any
    order, overlaps allowed); ``goal`` is the share of working time to protect.
    """
    if not 0 <= goal <= 1:
        raise ValueError(f"deep-work goal must be between 0 and 1, not {goal}")
    focus_union = merge(_in_utc(focus))
    meeting_union = merge(_in_utc(meetings))
    busy_union = merge([*focus_union, *meeting_union])
    days: list[DeepWorkDay] = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        work = working_day(wh, day)
        if work is None:
            days.append(DeepWorkDay(day, 0.0, 0.0, 0.0, 0.0, 0.0))
            continue
        protected = _clip(focus_union, work)
        working = _minutes([work])
        days.append(
            DeepWorkDay(
                date=day,
                working_minutes=working,
                goal_minutes=working * goal,
                focus_minutes=_minutes(protected),
                eaten_minutes=_minutes(_intersect(protected, meeting_union)),
                free_minutes=working - _minutes(_clip(busy_union, work)),
            )
        )
    return DeepWorkWeek(week_start, goal, tuple(days))


def _clip(intervals: Sequence[Interval], window: Interval) -> list[Interval]:
    """Return the parts of sorted, disjoint intervals inside ``window``."""
    return [
        Interval(max(i.start, window.start), min(i.end, window.end), i.label)
        for i in intervals
        if i.overlaps(window)
    ]


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Return the common time of two sorted, disjoint lists."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i].start, b[j].start)
        end = min(a[i].end, b[j].end)
        if start < end:
            out.append(Interval(start, end))
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return out


def _in_utc(intervals: Sequence[Interval]) -> list[Interval]:
    # Lengths of aware datetimes sharing a zone are wall-clock differences in Python;
    # UTC makes them exact on daylight saving days.
    return [Interval(i.start.astimezone(UTC), i.end.astimezone(UTC), i.label) for i in intervals]


def _minutes(intervals: Sequence[Interval]) -> float:
    return sum((i.end - i.start).total_seconds() for i in intervals) / 60
