"""to_invite: Google event JSON becomes the same Invite the .ics adapter produces."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gatekeeper.calendars.google import SyncResult, is_cancelled, to_invite
from gatekeeper.domain import Attachment, Attendee
from gatekeeper.errors import CalendarError

DATA = Path(__file__).resolve().parent.parent / "data" / "google"
BERLIN = ZoneInfo("Europe/Berlin")


def load(name: str) -> dict[str, Any]:
    found = DATA / name
    assert found.is_file(), f"missing fixture {found}"
    return dict(json.loads(found.read_text(encoding="utf-8")))


def test_meet_invite_keeps_html_attachments_conference_and_people() -> None:
    invite = to_invite(load("meet_invite.json"), "ann@example.com")
    assert invite.uid == "4s1ktb0d2fo8hqsrv7cvn0lu3k@google.com"
    assert invite.source_id == "4s1ktb0d2fo8hqsrv7cvn0lu3k"
    assert invite.summary == "Q3 planning"
    assert invite.description.startswith("<p><b>Agenda</b></p><ol>")
    assert invite.location == "Room Ada, 3rd floor"
    assert invite.start == datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
    assert invite.end - invite.start == timedelta(hours=1)
    assert invite.timezone == "Europe/Berlin"
    assert invite.organizer == Attendee("bob@example.com", "Bob Builder", "accepted", True)
    assert invite.attendees == (
        Attendee("bob@example.com", "Bob Builder", "accepted", organizer=True),
        Attendee("ann@example.com", "Ann Analyst", "needsAction"),
        Attendee("carl@other.org", None, "tentative", optional=True),
        Attendee("c_1888abc@resource.calendar.google.com", "Room Ada", "accepted", resource=True),
    )
    assert invite.attendee("ANN@example.com") is not None
    assert invite.attachments == (
        Attachment(
            "https://docs.google.com/document/d/1AbC/edit",
            "Q3 draft",
            "application/vnd.google-apps.document",
        ),
    )
    assert invite.conference_urls == (
        "https://meet.google.com/abc-defg-hij",
        "https://tel.meet/abc-defg-hij?pin=123456789",
    )
    assert (invite.sequence, invite.etag) == (2, '"3425136418044000"')
    assert invite.updated == datetime(2024, 4, 29, 8, 13, 9, 22000, tzinfo=UTC)
    assert (invite.status, invite.event_type, invite.all_day) == ("confirmed", "default", False)
    assert not invite.recurring and invite.recurrence == () and invite.recurrence_id is None


def test_focus_time_series_keeps_event_type_and_recurrence() -> None:
    invite = to_invite(load("focus_time.json"), "ann@example.com")
    assert invite.event_type == "focusTime"
    assert invite.recurrence == ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",)
    assert invite.recurring
    assert invite.attendees == ()
    assert invite.organizer is not None and invite.organizer.email == "ann@example.com"
    assert not invite.transparent


def test_all_day_dates_are_read_in_the_calendar_zone() -> None:
    invite = to_invite(load("all_day.json"), "ann@example.com", calendar_zone="Europe/Berlin")
    assert invite.all_day
    assert invite.start == datetime(2024, 5, 8, tzinfo=BERLIN)
    assert invite.end == datetime(2024, 5, 10, tzinfo=BERLIN)
    assert invite.transparent
    assert invite.timezone is None


def test_instance_carries_recurrence_id_from_original_start_time() -> None:
    invite = to_invite(load("instance.json"), "ann@example.com")
    assert invite.recurring
    assert invite.recurrence == ()
    assert invite.recurrence_id == datetime(2024, 5, 13, 10, 0, tzinfo=BERLIN)
    assert invite.start == datetime(2024, 5, 13, 14, 0, tzinfo=BERLIN)
    assert invite.uid == "w33k1y0000000000000000000c@google.com"
    assert invite.source_id == "w33k1y0000000000000000000c_20240513T080000Z"


def test_series_master_keeps_exdate_and_rrule_lines_as_written() -> None:
    invite = to_invite(load("series.json"), "ann@example.com")
    assert invite.recurrence == (
        "EXDATE;TZID=Europe/Berlin:20240422T100000",
        "RRULE:FREQ=WEEKLY;WKST=MO;UNTIL=20240624T215959Z;BYDAY=MO",
    )
    assert invite.recurrence_id is None and invite.recurring


def test_cancelled_minimal_event_is_recognised_and_not_mapped() -> None:
    event = load("cancelled_minimal.json")
    assert is_cancelled(event)
    result = SyncResult([event, load("meet_invite.json")], "tok", "UTC", full=False)
    assert result.cancelled_ids == ["w33k1y0000000000000000000c_20240520T080000Z"]
    assert [i.summary for i in result.invites("ann@example.com")] == ["Q3 planning"]
    with pytest.raises(CalendarError, match="start is missing"):
        to_invite(event, "ann@example.com")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": {"dateTime": "next tuesday"}}, "start.dateTime 'next tuesday'"),
        ({"end": {"date": "2024-13-01"}}, "end.date '2024-13-01'"),
        ({"end": {"timeZone": "UTC"}}, "end has neither dateTime nor date"),
        ({"id": ""}, "without an id"),
    ],
)
def test_broken_event_json_says_what_and_where(change: dict[str, Any], message: str) -> None:
    event = {**load("meet_invite.json"), **change}
    with pytest.raises(CalendarError, match=message) as raised:
        to_invite(event, "ann@example.com")
    if change.get("id") != "":
        assert "4s1ktb0d2fo8hqsrv7cvn0lu3k" in str(raised.value)


def test_unknown_response_status_and_missing_fields_fall_back_safely() -> None:
    event = load("meet_invite.json")
    event["attendees"] = [{"email": "x@example.com", "responseStatus": "maybe"}, {"self": True}]
    for key in ("summary", "description", "location", "sequence", "updated", "etag"):
        event.pop(key)
    invite = to_invite(event, "x@example.com")
    assert invite.attendees == (Attendee("x@example.com", None, "needsAction"),)
    assert (invite.summary, invite.description, invite.sequence) == ("", "", 0)
    assert invite.updated is None and invite.etag is None
