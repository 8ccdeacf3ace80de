"""Recurring series: one colliding instance is declined alone; the series as a whole stays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

from tests.sync.support import AGENDA, ORGANIZER, Person, answers, entry, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]

WEEKLY = ["RRULE:FREQ=WEEKLY;COUNT=4"]


def _instance_id(series_id: str, start: object) -> str:
    return f"{series_id}_{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"  # type: ignore[attr-defined]


def test_only_the_colliding_instance_is_declined(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    first = weekday_at(2, 10)
    series = ann.invite("Weekly sync", first, description=AGENDA, recurrence=WEEKLY)
    second = first + timedelta(days=7)
    ann.focus(second.replace(hour=9), minutes=180)  # deep work over the second instance only
    report = ann.sync()
    assert report.answered == 1
    colliding = _instance_id(series, second)
    (patch,) = answers(ann.state)
    assert patch.path.endswith(f"/events/{colliding}")
    assert entry(ann.state, ORGANIZER, colliding)["responseStatus"] == "declined"
    for week in (0, 2, 3):
        other = _instance_id(series, first + timedelta(days=7 * week))
        assert entry(ann.state, ORGANIZER, other)["responseStatus"] == "needsAction"
    assert entry(ann.state, ORGANIZER, series)["responseStatus"] == "needsAction"
    by_instance = {r.recurrence_id: r for r in ann.records()}
    assert by_instance[None].action == "none"  # the series itself passes
    declined = by_instance[second.astimezone(UTC)]
    assert declined.action == "decline" and declined.focus_conflict
    assert declined.calendar_event_id == colliding
    # The declined instance comes back as an exception of the series: nothing more happens.
    again = ann.sync()
    assert again.changed >= 1 and again.answered == 0
    assert len(answers(ann.state)) == 1


def test_a_series_without_agenda_is_declined_as_a_whole(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    series = ann.invite("Weekly chat", weekday_at(2, 14), description="", recurrence=WEEKLY)
    ann.sync()
    (patch,) = answers(ann.state)
    assert patch.path.endswith(f"/events/{series}")
    assert entry(ann.state, ORGANIZER, series)["responseStatus"] == "declined"
    # Re-check at the series level: an agenda for the series withdraws it.
    ann.state.update_invite(series, description=AGENDA)
    ann.sync()
    assert entry(ann.state, ORGANIZER, series)["responseStatus"] == "needsAction"
    assert ann.records()[-1].outcome == "decline withdrawn"


def test_an_instance_moved_into_focus_time_is_declined_and_moved_out_withdrawn(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    first = weekday_at(2, 14)
    series = ann.invite("Weekly sync", first, description=AGENDA, recurrence=WEEKLY)
    third = first + timedelta(days=14)
    ann.focus(third.replace(hour=9), minutes=120)  # 09:00-11:00 that day
    ann.sync()
    assert answers(ann.state) == []
    moved = ann.state.change_instance(
        series,
        third,
        start={"dateTime": third.replace(hour=9).isoformat()},
        end={"dateTime": third.replace(hour=10).isoformat()},
    )
    ann.sync()
    assert entry(ann.state, ORGANIZER, moved)["responseStatus"] == "declined"
    ann.state.change_instance(
        series,
        third,
        start={"dateTime": third.replace(hour=15).isoformat()},
        end={"dateTime": third.replace(hour=16).isoformat()},
    )
    ann.sync()
    assert entry(ann.state, ORGANIZER, moved)["responseStatus"] == "needsAction"
    assert [r.outcome for r in ann.records() if r.recurrence_id is not None] == [
        "declined",
        "decline withdrawn",
    ]
