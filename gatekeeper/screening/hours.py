"""Working hours: when the person works, in their own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from gatekeeper.domain import Interval, WorkingHours


def working_day(wh: WorkingHours, day: date) -> Interval | None:
    """Return the working time that begins on ``day`` (local date), in UTC, or None.

    Hours whose end is not after their start (a night shift, 22:00-06:00) run past
    midnight into the next day.
    """
    if day.weekday() not in wh.days:
        return None
    zone = ZoneInfo(wh.timezone)
    begins = datetime.combine(day, wh.start, tzinfo=zone)
    end_day = day if wh.end > wh.start else day + timedelta(days=1)
    ends = datetime.combine(end_day, wh.end, tzinfo=zone)
    return Interval(begins.astimezone(UTC), ends.astimezone(UTC), "working hours")


def working_intervals(wh: WorkingHours, start: datetime, end: datetime) -> list[Interval]:
    """Return the working time within [start, end), clipped to it, sorted, in UTC."""
    zone = ZoneInfo(wh.timezone)
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    found: list[Interval] = []
    while day <= last:
        block = working_day(wh, day)
        if block is not None and block.start < hi and block.end > lo:
            found.append(Interval(max(block.start, lo), min(block.end, hi), block.label))
        day += timedelta(days=1)
    return found


def outside_working_hours(interval: Interval, wh: WorkingHours) -> bool:
    """Return True when any part of ``interval`` falls outside the working hours.

    The check is made in the person's zone, day by day, so an event spanning a night or
    a weekend is outside even when it starts and ends within working hours. An instant
    (a zero-length event) is inside when it lies within a working day, its end included.
    """
    return outside_hours(interval.start, interval.end, wh)


def outside_hours(start: datetime, end: datetime, wh: WorkingHours) -> bool:
    """outside_working_hours() for the interval [start, end)."""
    zone = ZoneInfo(wh.timezone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if (
        wh.start < wh.end
        and local_start < local_end
        and local_start.date() == local_end.date()
        and local_start.utcoffset() == local_end.utcoffset()
    ):
        # The usual case, a meeting within one local day: compare wall-clock times.
        return (
            local_start.weekday() not in wh.days
            or local_start.time() < wh.start
            or local_end.time() > wh.end
        )
    if end <= start:
        return not any(
            block.start <= start <= block.end
            for block in working_intervals(wh, start - timedelta(days=1), start + timedelta(days=1))
        )
    covered_until = start
    for block in working_intervals(wh, start, end):
        if block.start > covered_until:
            return True  # a gap before this block
        covered_until = max(covered_until, block.end)
    return covered_until < end
