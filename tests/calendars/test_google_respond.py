"""GoogleCalendar.respond: only the person's own entry changes, never as organizer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from googleapiclient.errors import HttpError

from emulator.google_calendar import Invitee, Running
from gatekeeper.calendars.google import (
    EventChanged,
    GoogleCalendar,
    RespondRefused,
)

pytest_plugins = ["emulator.pytest_plugin"]

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
GUESTS = [
    Invitee("ann@example.com", "Ann Analyst"),
    Invitee("dan@example.com", response="accepted"),
    Invitee("eve@partner.org", "Eve", response="tentative", optional=True),
    Invitee("room-1@resource.calendar.google.com", "Room 1", "accepted", resource=True),
]


@pytest.fixture
def setup(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> tuple[GoogleCalendar, str]:
    """Return ann's adapter and an invite from bob to five guests (ann among them)."""
    ann = google_calendar("ann@example.com")
    google_emulator.state.add_user("bob@example.com")
    google_emulator.state.add_user("dan@example.com")
    event_id = google_emulator.state.invite(
        "bob@example.com",
        GUESTS,
        "Status",
        START,
        START + timedelta(hours=1),
        organizer_name="Bob",
    )
    return ann, event_id


def _entries(event: dict) -> dict[str, dict]:
    return {a["email"]: {k: v for k, v in a.items() if k != "self"} for a in event["attendees"]}


def test_decline_changes_only_own_entry_and_everyone_sees_it(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    before = _entries(google_emulator.state.event("bob@example.com", event_id))
    message = "Hi Bob, there is no agenda yet. Add one and I will look again."
    answer = ann.respond(event_id, "ann@example.com", "declined", message)
    after = _entries(google_emulator.state.event("bob@example.com", event_id))
    assert after["ann@example.com"]["responseStatus"] == "declined"
    assert after["ann@example.com"]["comment"] == message
    assert {k: v for k, v in after.items() if k != "ann@example.com"} == {
        k: v for k, v in before.items() if k != "ann@example.com"
    }
    assert list(after) == list(before)  # same people, same order
    assert _entries(answer) == _entries(google_emulator.state.event("ann@example.com", event_id))
    patch = google_emulator.state.requests_to("PATCH")[-1]
    assert patch.query["sendUpdates"] == "all"
    assert set(patch.body) == {"attendees"}
    assert len(patch.body["attendees"]) == 5
    assert patch.headers["If-Match"]  # guarded by the etag just read


def test_withdrawing_a_decline_returns_to_needs_action_without_comment(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    ann.respond(event_id, "ann@example.com", "declined", "No agenda")
    ann.respond(event_id, "ann@example.com", "needsAction")
    mine = _entries(google_emulator.state.event("bob@example.com", event_id))["ann@example.com"]
    assert mine["responseStatus"] == "needsAction"
    assert "comment" not in mine


def test_the_emulator_refuses_a_patch_that_drops_an_attendee(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    request = ann.service.events().patch(
        calendarId="primary",
        eventId=event_id,
        body={"attendees": [{"email": "ann@example.com", "responseStatus": "declined"}]},
    )
    with pytest.raises(HttpError) as raised:
        request.execute()
    assert raised.value.status_code == 403
    assert "forbiddenForNonOrganizer" in str(raised.value.error_details)
    assert len(google_emulator.state.event("bob@example.com", event_id)["attendees"]) == 5


def test_responding_as_the_organizer_is_refused_before_any_change(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    bob = google_calendar("bob@example.com")
    event_id = google_emulator.state.invite(
        "bob@example.com", ["ann@example.com"], "Own meeting", START, START + timedelta(hours=1)
    )
    with pytest.raises(RespondRefused, match="organizer"):
        bob.respond(event_id, "bob@example.com", "declined", "No agenda")
    assert google_emulator.state.requests_to("PATCH") == []


def test_responding_for_someone_not_invited_is_refused(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    with pytest.raises(RespondRefused, match="not among the attendees"):
        ann.respond(event_id, "zed@example.com", "declined", "x")
    assert google_emulator.state.requests_to("PATCH") == []


def test_a_screened_version_that_changed_raises_event_changed(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    screened = ann.get_event(event_id)["etag"]
    google_emulator.state.update_invite(event_id, description="Agenda: 1. numbers")
    with pytest.raises(EventChanged):
        ann.respond(event_id, "ann@example.com", "declined", "No agenda", etag=screened)
    assert google_emulator.state.requests_to("PATCH") == []


def test_a_concurrent_change_between_read_and_patch_is_retried_on_fresh_data(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    google_emulator.state.inject(412, method="PATCH", reason="conditionNotMet")
    ann.respond(event_id, "ann@example.com", "declined", "No agenda")
    assert len(google_emulator.state.requests_to("PATCH")) == 2
    assert len(google_emulator.state.requests_to("GET", event_id)) == 2
    mine = _entries(google_emulator.state.event("bob@example.com", event_id))["ann@example.com"]
    assert mine["responseStatus"] == "declined"


def test_declining_one_instance_leaves_the_rest_of_the_series(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    ann = google_calendar("ann@example.com")
    series = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com", "dan@example.com"],
        "Weekly",
        START,
        START + timedelta(minutes=30),
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=3"],
    )
    instances = ann.instances(series, START, START + timedelta(days=21))
    ann.respond(instances[1]["id"], "ann@example.com", "declined", "Focus week")
    answers = [
        _entries(e)["ann@example.com"]["responseStatus"]
        for e in ann.instances(series, START, START + timedelta(days=21))
    ]
    assert answers == ["needsAction", "declined", "needsAction"]


def test_an_event_just_read_saves_the_read_and_still_guards_the_patch(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    fresh = ann.get_event(event_id)
    ann.respond(event_id, "ann@example.com", "declined", "No agenda", event=fresh)
    assert len(google_emulator.state.requests_to("GET", event_id)) == 1  # only ours above
    patch = google_emulator.state.requests_to("PATCH")[-1]
    assert patch.headers["If-Match"] == fresh["etag"]
    assert len(patch.body["attendees"]) == 5
    mine = _entries(google_emulator.state.event("bob@example.com", event_id))["ann@example.com"]
    assert mine["responseStatus"] == "declined"


def test_a_stale_event_given_is_read_again_and_keeps_the_other_answer(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    stale = ann.get_event(event_id)
    google_emulator.state.respond_as("dan@example.com", event_id, "declined", "Travelling")
    ann.respond(event_id, "ann@example.com", "declined", "No agenda", event=stale)
    patches = google_emulator.state.requests_to("PATCH")
    assert [p.status for p in patches] == [412, 200]
    after = _entries(google_emulator.state.event("bob@example.com", event_id))
    assert after["dan@example.com"]["responseStatus"] == "declined"
    assert after["dan@example.com"]["comment"] == "Travelling"
    assert after["ann@example.com"]["responseStatus"] == "declined"


def test_a_stale_event_given_with_the_screened_etag_sends_nothing_more(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    stale = ann.get_event(event_id)
    google_emulator.state.update_invite(event_id, description="Agenda: 1. numbers")
    with pytest.raises(EventChanged):
        ann.respond(event_id, "ann@example.com", "declined", "x", etag=stale["etag"], event=stale)
    assert [p.status for p in google_emulator.state.requests_to("PATCH")] == [412]
    assert "comment" not in _entries(ann.get_event(event_id))["ann@example.com"]


def test_an_event_given_without_all_attendees_is_read_again(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    partial = dict(ann.get_event(event_id), attendeesOmitted=True)
    partial["attendees"] = [a for a in partial["attendees"] if a["email"] == "ann@example.com"]
    ann.respond(event_id, "ann@example.com", "declined", "No agenda", event=partial)
    assert len(google_emulator.state.requests_to("GET", event_id)) == 2
    assert len(google_emulator.state.event("bob@example.com", event_id)["attendees"]) == 5


def test_an_event_given_for_another_id_is_a_programming_error(
    setup: tuple[GoogleCalendar, str], google_emulator: Running
) -> None:
    ann, event_id = setup
    other = dict(ann.get_event(event_id), id="someotherevent")
    with pytest.raises(ValueError, match="someotherevent"):
        ann.respond(event_id, "ann@example.com", "declined", "x", event=other)
    assert google_emulator.state.requests_to("PATCH") == []
