"""Recurring series: instances, exceptions, cancelled and moved occurrences, DST."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emulator.google_calendar import Running
from emulator.testing import Api

pytest_plugins = ["emulator.pytest_plugin"]

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 2031-03-17 10:00 in Berlin; Berlin moves to summer time on 2031-03-30.
FIRST = datetime(2031, 3, 17, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def series(google_emulator: Running, google_api: Callable[..., Api]) -> tuple[str, Api, Api]:
    """Return (series id, ann's api, bob's api) for a weekly 4-time series across DST."""
    ann = google_api("ann@example.com", "Europe/Berlin")
    bob = google_api("bob@example.com", "Europe/Berlin")
    series_id = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Weekly sync",
        FIRST,
        FIRST + timedelta(minutes=30),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=4"],
    )
    return series_id, ann, bob


def test_instances_keep_local_time_across_dst_with_google_ids(
    series: tuple[str, Api, Api],
) -> None:
    series_id, ann, _ = series
    items = ann("GET", f"/calendars/primary/events/{series_id}/instances").body["items"]
    assert [i["id"] for i in items] == [
        f"{series_id}_20310317T090000Z",
        f"{series_id}_20310324T090000Z",
        f"{series_id}_20310331T080000Z",
        f"{series_id}_20310407T080000Z",
    ]
    assert {
        datetime.fromisoformat(i["start"]["dateTime"]).astimezone(BERLIN).hour for i in items
    } == {10}
    for item in items:
        assert item["recurringEventId"] == series_id
        assert item["originalStartTime"] == item["start"]
        assert "recurrence" not in item
        assert item["iCalUID"] == f"{series_id}@google.com"


def test_single_events_expand_and_apply_moved_and_cancelled_occurrences(
    google_emulator: Running, series: tuple[str, Api, Api]
) -> None:
    series_id, ann, _ = series
    google_emulator.state.cancel_instance(series_id, datetime(2031, 3, 24, 9, tzinfo=UTC))
    moved = google_emulator.state.change_instance(
        series_id,
        datetime(2031, 3, 31, 8, tzinfo=UTC),
        start={"dateTime": "2031-03-31T15:00:00+02:00", "timeZone": "Europe/Berlin"},
        end={"dateTime": "2031-03-31T15:30:00+02:00", "timeZone": "Europe/Berlin"},
    )
    expanded = ann("GET", "/calendars/primary/events", singleEvents=True, orderBy="startTime").body[
        "items"
    ]
    assert [i["id"] for i in expanded] == [
        f"{series_id}_20310317T090000Z",
        moved,
        f"{series_id}_20310407T080000Z",
    ]
    assert expanded[1]["start"]["dateTime"] == "2031-03-31T15:00:00+02:00"
    assert expanded[1]["originalStartTime"]["dateTime"].startswith("2031-03-31T10:00:00")
    with_deleted = ann("GET", "/calendars/primary/events", singleEvents=True, showDeleted=True)
    assert f"{series_id}_20310324T090000Z" in {i["id"] for i in with_deleted.body["items"]}


def test_unexpanded_list_shows_the_master_and_its_exceptions(
    google_emulator: Running, series: tuple[str, Api, Api]
) -> None:
    series_id, ann, _ = series
    cancelled = google_emulator.state.cancel_instance(
        series_id, datetime(2031, 3, 24, 9, tzinfo=UTC)
    )
    items = {i["id"]: i for i in ann("GET", "/calendars/primary/events").body["items"]}
    assert set(items) == {series_id, cancelled}
    assert items[series_id]["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=4"]
    assert items[cancelled]["status"] == "cancelled"
    assert items[cancelled]["recurringEventId"] == series_id


def test_attendee_declines_one_instance_only(
    google_emulator: Running, series: tuple[str, Api, Api]
) -> None:
    series_id, ann, bob = series
    instance_id = f"{series_id}_20310324T090000Z"
    instance = ann("GET", f"/calendars/primary/events/{instance_id}").body
    attendees = [
        dict(a, responseStatus="declined") if a.get("self") else a for a in instance["attendees"]
    ]
    answer = ann("PATCH", f"/calendars/primary/events/{instance_id}", {"attendees": attendees})
    assert answer.status == 200
    organizer_view = bob("GET", f"/calendars/primary/events/{series_id}/instances").body["items"]
    answers = {
        i["id"]: next(
            a["responseStatus"] for a in i["attendees"] if a["email"] == "ann@example.com"
        )
        for i in organizer_view
    }
    assert answers[instance_id] == "declined"
    assert [v for k, v in answers.items() if k != instance_id] == ["needsAction"] * 3


def test_series_change_reaches_exceptions_that_did_not_override_it(
    google_emulator: Running, series: tuple[str, Api, Api]
) -> None:
    series_id, ann, _ = series
    renamed = google_emulator.state.change_instance(
        series_id, datetime(2031, 3, 17, 9, tzinfo=UTC), summary="Kick-off"
    )
    kept = google_emulator.state.change_instance(
        series_id, datetime(2031, 3, 24, 9, tzinfo=UTC), location="Room 5"
    )
    google_emulator.state.update_invite(series_id, summary="Weekly sync v2", description="Agenda")
    assert ann("GET", f"/calendars/primary/events/{renamed}").body["summary"] == "Kick-off"
    followed = ann("GET", f"/calendars/primary/events/{kept}").body
    assert (followed["summary"], followed["description"]) == ("Weekly sync v2", "Agenda")


def test_exdate_and_all_day_series(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com", "Europe/Berlin")
    google_emulator.state.add_user("bob@example.com")
    daily = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Stand-up",
        datetime(2031, 3, 17, 9, 0, tzinfo=UTC),
        datetime(2031, 3, 17, 9, 15, tzinfo=UTC),
        recurrence=["RRULE:FREQ=DAILY;COUNT=3", "EXDATE:20310318T090000Z"],
    )
    ids = [
        i["id"] for i in ann("GET", f"/calendars/primary/events/{daily}/instances").body["items"]
    ]
    assert ids == [f"{daily}_20310317T090000Z", f"{daily}_20310319T090000Z"]
    yearly = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Anniversary",
        datetime(2031, 3, 17).date(),
        datetime(2031, 3, 18).date(),
        recurrence=["RRULE:FREQ=YEARLY;COUNT=2"],
    )
    items = ann("GET", f"/calendars/primary/events/{yearly}/instances").body["items"]
    assert [(i["id"], i["start"]) for i in items] == [
        (f"{yearly}_20310317", {"date": "2031-03-17"}),
        (f"{yearly}_20320317", {"date": "2032-03-17"}),
    ]


def test_instance_ids_that_are_no_occurrence_are_not_found(
    series: tuple[str, Api, Api],
) -> None:
    series_id, ann, _ = series
    assert ann("GET", f"/calendars/primary/events/{series_id}_20310318T090000Z").status == 404
    assert ann("GET", f"/calendars/primary/events/{series_id}_garbage").status == 404


def test_broken_recurrence_is_refused(google_api: Callable[..., Api]) -> None:
    ann = google_api("ann@example.com")
    answer = ann(
        "POST",
        "/calendars/primary/events",
        {
            "start": {"dateTime": "2031-03-17T09:00:00Z"},
            "end": {"dateTime": "2031-03-17T10:00:00Z"},
            "recurrence": ["RRULE:FREQ=SOMETIMES"],
        },
    )
    assert answer.status == 400
    assert answer.body["error"]["errors"][0]["location"] == "recurrence"
