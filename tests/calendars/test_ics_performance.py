"""The adapter adds little to icalendar's own parsing time (the budget is 2x)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import icalendar

from gatekeeper.calendars.ics import read_ics

COUNT = 2_000


def _best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def test_read_and_expand_within_twice_icalendar_parse(big_calendar):
    path = big_calendar(COUNT)
    data = path.read_bytes()
    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    def ours() -> None:
        cal = read_ics(path)
        assert len(cal.events) == COUNT
        assert len(cal.instances(*year)) > COUNT

    baseline = _best_of(2, lambda: icalendar.Calendar.from_ical(data))
    adapter = _best_of(2, ours)
    assert adapter <= 2 * baseline, f"adapter {adapter:.2f}s vs icalendar {baseline:.2f}s"
