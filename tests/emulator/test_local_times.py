"""Local event times: a dateTime without offset is read in its timeZone, as Google does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emulator.google_calendar import Running
from emulator.testing import Api
from gatekeeper.calendars.google import GoogleCalendar

pytest_plugins = ["emulator.pytest_plugin"]

BERLIN = "Europe/Berlin"


def _local(start: str, end: str, zone: str = BERLIN) -> dict[str, dict[str, str]]:
    return {
        "start": {"dateTime": start, "timeZone": zone},
        "end": {"dateTime": end, "timeZone": zone},
    }


@pytest.mark.parametrize(
    ("local", "offset"),
    [("2031-01-15T10:00:00", "+01:00"), ("2031-07-15T10:00:00", "+02:00")],
)
def test_insert_reads_a_local_time_in_its_zone_and_answers_with_the_offset(
    google_api: Callable[..., Api], local: str, offset: str
) -> None:
    ann = google_api("ann@example.com")
    end = local.replace("T10", "T11")
    answer = ann("POST", "/calendars/primary/events", {"summary": "Local", **_local(local, end)})
    assert answer.status == 200, answer.body
    assert answer.body["start"] == {"dateTime": local + offset, "timeZone": BERLIN}
    assert answer.body["end"] == {"dateTime": end + offset, "timeZone": BERLIN}
    utc_start = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(BERLIN)).astimezone(UTC)
    window = ann(
        "GET",
        "/calendars/primary/events",
        timeMin=(utc_start - timedelta(minutes=1)).isoformat().replace("+00:00", "Z"),
        timeMax=(utc_start + timedelta(minutes=1)).isoformat().replace("+00:00", "Z"),
    )
    assert [e["summary"] for e in window.body["items"]] == ["Local"]


def test_a_local_time_without_time_zone_is_refused(google_api: Callable[..., Api]) -> None:
    ann = google_api("ann@example.com")
    body = {
        "start": {"dateTime": "2031-01-15T10:00:00"},
        "end": {"dateTime": "2031-01-15T11:00:00"},
    }
    answer = ann("POST", "/calendars/primary/events", body)
    assert answer.status == 400
    assert answer.body["error"]["errors"][0]["location"] == "start.dateTime"
    assert "offset" in answer.body["error"]["message"]


def test_patch_moves_an_event_by_local_time_and_bumps_the_sequence(
    google_api: Callable[..., Api],
) -> None:
    ann = google_api("ann@example.com")
    created = ann(
        "POST",
        "/calendars/primary/events",
        _local("2031-03-03T09:00:00+01:00", "2031-03-03T10:00:00+01:00"),
    ).body
    path = f"/calendars/primary/events/{created['id']}"
    same = ann("PATCH", path, _local("2031-03-03T09:00:00", "2031-03-03T10:00:00"))
    assert same.status == 200 and same.body["sequence"] == 0  # the same moment, spelled locally
    moved = ann("PATCH", path, _local("2031-03-03T14:00:00", "2031-03-03T15:00:00"))
    assert moved.status == 200, moved.body
    assert moved.body["start"]["dateTime"] == "2031-03-03T14:00:00+01:00"
    assert moved.body["sequence"] == 1


def test_a_local_series_keeps_its_hour_across_the_dst_change(
    google_api: Callable[..., Api],
) -> None:
    ann = google_api("ann@example.com")
    body = {
        "summary": "Weekly",
        **_local("2031-03-20T09:00:00", "2031-03-20T09:30:00"),
        "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"],
    }
    series = ann("POST", "/calendars/primary/events", body).body
    items = ann("GET", f"/calendars/primary/events/{series['id']}/instances").body["items"]
    assert [e["start"]["dateTime"] for e in items] == [
        "2031-03-20T09:00:00+01:00",
        "2031-03-27T09:00:00+01:00",
        "2031-04-03T09:00:00+02:00",
    ]


def test_the_adapter_reads_back_an_event_inserted_with_local_times(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    ann = google_calendar("ann@example.com", BERLIN)
    created = ann.insert_event(
        {"summary": "Local", **_local("2031-07-15T10:00:00", "2031-07-15T11:00:00")}
    )
    invite = ann.list_changes(None).invites("ann@example.com")[0]
    assert invite.source_id == created["id"]
    assert invite.start == datetime(2031, 7, 15, 8, 0, tzinfo=UTC)
    assert google_emulator.state.event("ann@example.com", created["id"])["start"]["dateTime"] == (
        "2031-07-15T10:00:00+02:00"
    )
