"""GoogleCalendar.list_changes against the emulator: pages, sync tokens and 410."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from emulator.google_calendar import Running
from gatekeeper.calendars.google import GoogleCalendar, SyncTokenInvalid

pytest_plugins = ["emulator.pytest_plugin"]

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def ann(google_calendar: Callable[..., GoogleCalendar], google_emulator: Running) -> GoogleCalendar:
    """Return ann's adapter; bob (a Google user too) invites her to seven meetings."""
    calendar = google_calendar("ann@example.com", "Europe/Berlin")
    google_emulator.state.add_user("bob@example.com")
    for n in range(7):
        google_emulator.state.invite(
            "bob@example.com",
            ["ann@example.com"],
            f"Meeting {n}",
            START + timedelta(days=n),
            START + timedelta(days=n, hours=1),
        )
    return calendar


def test_full_sync_reads_every_page_and_keeps_the_last_pages_token(
    ann: GoogleCalendar, google_emulator: Running
) -> None:
    result = ann.list_changes(None, page_size=3)
    assert result.full
    assert sorted(e["summary"] for e in result.events) == [f"Meeting {n}" for n in range(7)]
    assert result.time_zone == "Europe/Berlin"
    assert ann.time_zone() == "Europe/Berlin"
    lists = google_emulator.state.requests_to("GET", "/events")
    assert len(lists) == 3
    assert [("pageToken" in r.query) for r in lists] == [False, True, True]
    assert all(r.query["maxResults"] == "3" for r in lists)
    assert lists[0].path == "/calendar/v3/calendars/primary/events"
    assert result.next_sync_token
    invites = result.invites("ann@example.com")
    assert len(invites) == 7 and all(i.attendee("ann@example.com") for i in invites)


def test_incremental_sync_returns_changes_and_cancellations(
    ann: GoogleCalendar, google_emulator: Running
) -> None:
    first = ann.list_changes(None)
    by_summary = {e["summary"]: e["id"] for e in first.events}
    google_emulator.state.update_invite(by_summary["Meeting 2"], description="Agenda: 1. risks")
    google_emulator.state.cancel_invite(by_summary["Meeting 5"])
    second = ann.list_changes(first.next_sync_token, page_size=1)
    assert not second.full
    assert second.cancelled_ids == [by_summary["Meeting 5"]]
    changed = second.invites("ann@example.com")
    assert [(i.source_id, i.description) for i in changed] == [
        (by_summary["Meeting 2"], "Agenda: 1. risks")
    ]
    sync_calls = [
        r
        for r in google_emulator.state.requests_to("GET", "/events")
        if "syncToken" in r.query or "pageToken" in r.query
    ]
    assert len(sync_calls) == 2  # two changes, one per page
    third = ann.list_changes(second.next_sync_token)
    assert third.events == []


def test_full_sync_from_time_min_skips_older_events(ann: GoogleCalendar) -> None:
    result = ann.list_changes(None, time_min=START + timedelta(days=5))
    assert sorted(e["summary"] for e in result.events) == ["Meeting 5", "Meeting 6"]


def test_invalid_sync_token_raises_sync_token_invalid(
    ann: GoogleCalendar, google_emulator: Running
) -> None:
    token = ann.list_changes(None).next_sync_token
    google_emulator.state.invalidate_sync_tokens()
    with pytest.raises(SyncTokenInvalid, match=r"ann@example\.com") as raised:
        ann.list_changes(token)
    assert raised.value.status == 410
    assert ann.list_changes(None).next_sync_token != token


def test_single_events_sync_expands_series_into_instances(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    ann = google_calendar("ann@example.com")
    series = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Weekly",
        START,
        START + timedelta(minutes=30),
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=3"],
    )
    result = ann.list_changes(None, single_events=True)
    invites = result.invites("ann@example.com")
    assert [i.source_id for i in invites] == [
        f"{series}_20310303T090000Z",
        f"{series}_20310310T090000Z",
        f"{series}_20310317T090000Z",
    ]
    assert all(i.recurring and i.recurrence_id == i.start for i in invites)


def test_instances_of_a_series(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    ann = google_calendar("ann@example.com")
    series = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Daily",
        START,
        START + timedelta(minutes=15),
        recurrence=["RRULE:FREQ=DAILY"],
    )
    google_emulator.state.cancel_instance(series, START + timedelta(days=1))
    found = ann.instances(series, START, START + timedelta(days=4))
    assert [e["id"][-16:] for e in found] == [
        "20310303T090000Z",
        "20310305T090000Z",
        "20310306T090000Z",
    ]
    assert ann.get_event(found[0]["id"])["recurringEventId"] == series


def test_window_lists_every_page_with_series_expanded(
    ann: GoogleCalendar, google_emulator: Running
) -> None:
    series = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Daily",
        START,
        START + timedelta(minutes=15),
        recurrence=["RRULE:FREQ=DAILY;COUNT=10"],
    )
    low, high = START + timedelta(days=1), START + timedelta(days=3)
    found = ann.list_window(low, high, page_size=2)
    assert sorted(e["summary"] for e in found) == ["Daily", "Daily", "Meeting 1", "Meeting 2"]
    assert {e["id"] for e in found if e["summary"] == "Daily"} == {
        f"{series}_20310304T090000Z",
        f"{series}_20310305T090000Z",
    }
    lists = google_emulator.state.requests_to("GET", "/events")
    assert len(lists) == 2
    assert lists[0].query["singleEvents"] == "true"
    assert lists[0].query["timeMin"] == "2031-03-04T09:00:00Z"
    assert lists[0].query["timeMax"] == "2031-03-06T09:00:00Z"
    assert "pageToken" in lists[1].query and lists[1].query["timeMin"] == lists[0].query["timeMin"]


def test_list_events_passes_googles_parameters(
    ann: GoogleCalendar, google_emulator: Running
) -> None:
    found = ann.list_events("listing by text", page_size=1, q="meeting 4")
    assert [e["summary"] for e in found] == ["Meeting 4"]
    lists = google_emulator.state.requests_to("GET", "/events")
    assert lists[0].query["q"] == "meeting 4" and lists[0].query["maxResults"] == "1"


def test_collection_objects_are_built_once_per_adapter(ann: GoogleCalendar) -> None:
    events = ann._events()
    ann.list_changes(None)
    ann.get_event(ann.list_window(START, START + timedelta(days=1))[0]["id"])
    assert ann._events() is events
