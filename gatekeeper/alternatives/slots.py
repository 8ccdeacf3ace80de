"""Other times to offer instead of an invite that collides with a focus block.

Slots are earliest first and spread: the first pass takes the earliest free slot of each
working day in turn, so the organizer gets a real choice (Monday 10:00, Tuesday 09:00,
Wednesday 09:00) rather than three neighbours (10:00, 10:15, 10:30); only when fewer
days have room does a day get a second slot, after its first. Slots never overlap each
other. Standard library and gatekeeper.domain only.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gatekeeper.domain import Interval, WorkingHours

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def find_slots(
    *,
    duration: timedelta,
    now: datetime,
    working_hours: WorkingHours,
    focus: Sequence[Interval],
    busy: Sequence[Interval],
    count: int = 3,
    working_days: int = 5,
    step_minutes: int = 15,
    earliest: datetime | None = None,
) -> list[Interval]:
    """Return up to ``count`` free slots of ``duration`` in the next ``working_days``.

    A slot lies inside the working hours, outside focus and busy time, starts at or after
    ``now`` (and ``earliest``, when given) on a multiple of ``step_minutes`` of the
    person's wall clock. The days counted start with today when some of today's working
    time is still ahead. Slots are returned sorted, in UTC.
    """
    if step_minutes <= 0:
        raise ValueError("step_minutes must be positive")
    if count <= 0 or working_days <= 0 or duration <= timedelta(0):
        return []
    zone = ZoneInfo(working_hours.timezone)
    floor = max(now, earliest) if earliest is not None else now
    blocked = _union(list(focus) + list(busy))
    windows = _next_working_windows(working_hours, zone, floor, working_days)
    search = _Search(duration, step_minutes, zone, blocked)

    chosen: list[list[Interval]] = [[] for _ in windows]
    found = 0
    # First pass: one slot per day; then further slots on the days that have room.
    for extra in (False, True):
        for day, window in enumerate(windows):
            while found < count:
                after = chosen[day][-1].end if chosen[day] else floor
                slot = search.first_free(window, after)
                if slot is None:
                    break
                chosen[day].append(slot)
                found += 1
                if not extra:
                    break
    return sorted((s for day in chosen for s in day), key=lambda s: s.start)


class _Search:
    """Find the first aligned free slot in a window, skipping blocked time."""

    def __init__(
        self, duration: timedelta, step: int, zone: ZoneInfo, blocked: list[Interval]
    ) -> None:
        self.duration = duration
        self.step = step
        self.zone = zone
        self.blocked = blocked

    def first_free(self, window: Interval, after: datetime) -> Interval | None:
        candidate = align_up(max(window.start, after), self.step, self.zone)
        while candidate + self.duration <= window.end:
            ends = candidate + self.duration
            # blocked is sorted and disjoint: the first block ending after the candidate
            # is the only one that can clash first.
            i = bisect.bisect_right(self.blocked, candidate, key=lambda b: b.end)
            if i == len(self.blocked) or self.blocked[i].start >= ends:
                return Interval(candidate, ends)
            candidate = align_up(self.blocked[i].end, self.step, self.zone)
        return None


def align_up(moment: datetime, step_minutes: int, zone: ZoneInfo) -> datetime:
    """Return the first instant at or after ``moment`` on a step of the local wall clock."""
    local = moment.astimezone(zone)
    midnight = datetime.combine(local.date(), time(0), tzinfo=zone)
    minutes = (local.replace(tzinfo=None) - midnight.replace(tzinfo=None)).total_seconds() / 60
    steps = math.ceil(minutes / step_minutes - 1e-9)
    aligned = (midnight + timedelta(minutes=steps * step_minutes)).astimezone(UTC)
    # In the repeated hour of a DST change the wall clock alone can point an hour back.
    while aligned < moment:
        aligned += timedelta(minutes=step_minutes)
    return aligned


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for piece in sorted(
        (Interval(i.start.astimezone(UTC), i.end.astimezone(UTC)) for i in intervals),
        key=lambda i: i.start,
    ):
        if piece.end <= piece.start:
            continue
        if out and piece.start <= out[-1].end:
            out[-1] = Interval(out[-1].start, max(out[-1].end, piece.end))
        else:
            out.append(piece)
    return out


def _window(wh: WorkingHours, zone: ZoneInfo, day: date) -> Interval:
    begins = datetime.combine(day, wh.start, tzinfo=zone)
    end_day = day if wh.end > wh.start else day + timedelta(days=1)
    ends = datetime.combine(end_day, wh.end, tzinfo=zone)
    return Interval(begins.astimezone(UTC), ends.astimezone(UTC))


def _next_working_windows(
    wh: WorkingHours, zone: ZoneInfo, floor: datetime, working_days: int
) -> list[Interval]:
    """Return the working time of the next working days whose time is not all past."""
    windows: list[Interval] = []
    # Start a day early: a night shift that began yesterday may still be running.
    day = floor.astimezone(zone).date() - timedelta(days=1)
    for _ in range(working_days * 7 + 2):
        if len(windows) == working_days:
            break
        if day.weekday() in wh.days:
            window = _window(wh, zone, day)
            if window.end > floor:
                windows.append(window)
        day += timedelta(days=1)
    return windows


def format_slot(slot: Interval, tz_name: str) -> str:
    """Return e.g. "Tue 24 Nov, 14:00–14:30 (Europe/Berlin)"; an unknown zone shows UTC."""
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone, tz_name = ZoneInfo("UTC"), "UTC"
    start = slot.start.astimezone(zone)
    end = slot.end.astimezone(zone)
    head = _day(start)
    if end.date() == start.date() or end == _next_midnight(start):
        return f"{head}, {start:%H:%M}–{end:%H:%M} ({tz_name})"
    return f"{head}, {start:%H:%M} – {_day(end)}, {end:%H:%M} ({tz_name})"


def format_slots(slots: Sequence[Interval], tz_name: str) -> list[str]:
    """Return one line per slot, written in the zone ``tz_name`` and naming it."""
    return [format_slot(slot, tz_name) for slot in slots]


def _day(moment: datetime) -> str:
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


def _next_midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.date() + timedelta(days=1), time(0), tzinfo=moment.tzinfo)
