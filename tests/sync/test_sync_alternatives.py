"""Alternatives offered on Google avoid the organizer's busy time where free/busy shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from tests.sync.support import ORGANIZER, ZONE, Person, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


def _busy_for_three_days(person: Person) -> datetime:
    """Give the organizer one event over the next three days; return when it ends."""
    start = datetime.now().astimezone().replace(microsecond=0)
    end = start + timedelta(days=3)
    person.state.create_event(
        ORGANIZER,
        {
            "summary": "Offsite",
            "start": {"dateTime": start.isoformat(), "timeZone": ZONE},
            "end": {"dateTime": end.isoformat(), "timeZone": ZONE},
        },
    )
    return end


def _declined_alternatives(person: Person) -> list[datetime]:
    (record,) = [r for r in person.records() if r.action == "decline"]
    assert record.focus_conflict
    return [datetime.fromisoformat(slot["start"]) for slot in record.alternatives]


def test_alternatives_skip_the_organizers_busy_time(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    busy_until = _busy_for_three_days(ann)
    day = weekday_at(4, 9)
    ann.focus(day, minutes=180)
    ann.invite("Design review", day.replace(hour=10))
    ann.sync()
    starts = _declined_alternatives(ann)
    assert starts, "no alternatives offered"
    assert all(start >= busy_until for start in starts), (starts, busy_until)
    queries = [r for r in ann.state.requests if r.path.endswith("/freeBusy")]
    assert len(queries) == 1  # once per organizer per run


def test_without_free_busy_only_the_persons_time_counts(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    busy_until = _busy_for_three_days(ann)
    ann.state.inject(403, method="POST", path="*/freeBusy", times=5, reason="forbidden")
    day = weekday_at(4, 9)
    ann.focus(day, minutes=180)
    ann.invite("Design review", day.replace(hour=10))
    ann.sync()
    starts = _declined_alternatives(ann)
    # The person is free right away, so without the organizer's calendar the first offer
    # falls inside the organizer's busy days.
    assert starts and min(starts) < busy_until
