"""Google's rules on who may change what, enforced so that client mistakes surface."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from emulator.google_calendar import Running
from emulator.testing import Api

pytest_plugins = ["emulator.pytest_plugin"]

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def invite(google_emulator: Running, google_api: Callable[..., Api]) -> tuple[str, Api, Api, Api]:
    """Return (event id, ann's api, bob's api = organizer, dan's api) for a 4-person invite."""
    ann = google_api("ann@example.com")
    bob = google_api("bob@example.com")
    dan = google_api("dan@example.com")
    event_id = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com", "dan@example.com", "eve@partner.org"],
        "Roadmap review",
        START,
        START + timedelta(hours=1),
        description="Agenda: 1. risks",
    )
    return event_id, ann, bob, dan


def _answered(event: dict[str, Any], me: str, status: str, comment: str) -> list[Any]:
    attendees = [dict(a) for a in event["attendees"]]
    for entry in attendees:
        if entry["email"] == me:
            entry["responseStatus"] = status
            entry["comment"] = comment
    return attendees


def test_attendee_answer_keeps_everyone_and_reaches_organizer_and_guests(
    google_emulator: Running, invite: tuple[str, Api, Api, Api]
) -> None:
    event_id, ann, bob, dan = invite
    before = ann("GET", f"/calendars/primary/events/{event_id}").body
    bob_before = bob("GET", f"/calendars/primary/events/{event_id}").body
    body = {"attendees": _answered(before, "ann@example.com", "declined", "No pre-read")}
    answer = ann("PATCH", f"/calendars/primary/events/{event_id}", body, sendUpdates="all")
    assert answer.status == 200
    assert answer.body["etag"] != before["etag"]
    seen_by_bob = bob("GET", f"/calendars/primary/events/{event_id}").body
    seen_by_dan = dan("GET", f"/calendars/primary/events/{event_id}").body
    for copy in (answer.body, seen_by_bob, seen_by_dan):
        emails = [a["email"] for a in copy["attendees"]]
        assert emails == [
            "bob@example.com",
            "ann@example.com",
            "dan@example.com",
            "eve@partner.org",
        ]
        ann_entry = next(a for a in copy["attendees"] if a["email"] == "ann@example.com")
        assert (ann_entry["responseStatus"], ann_entry["comment"]) == ("declined", "No pre-read")
    assert seen_by_bob["etag"] != bob_before["etag"]
    assert seen_by_bob["organizer"] == {"email": "bob@example.com", "self": True}
    assert seen_by_bob["sequence"] == bob_before["sequence"]  # an answer is not a change


def test_attendee_patch_that_drops_another_attendee_is_refused(
    google_emulator: Running, invite: tuple[str, Api, Api, Api]
) -> None:
    event_id, ann, _, _ = invite
    event = ann("GET", f"/calendars/primary/events/{event_id}").body
    only_me = [dict(a, responseStatus="declined") for a in event["attendees"] if a.get("self")]
    answer = ann("PATCH", f"/calendars/primary/events/{event_id}", {"attendees": only_me})
    assert answer.status == 403
    assert answer.reason == "forbiddenForNonOrganizer"
    assert "dropped" in answer.body["error"]["message"]
    stored = google_emulator.state.event("bob@example.com", event_id)
    assert len(stored["attendees"]) == 4
    assert stored["etag"] == google_emulator.state.event("bob@example.com", event_id)["etag"]


def test_attendee_may_not_change_another_attendees_entry(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, _, _ = invite
    event = ann("GET", f"/calendars/primary/events/{event_id}").body
    forged = _answered(event, "dan@example.com", "declined", "Dan is busy")
    answer = ann("PATCH", f"/calendars/primary/events/{event_id}", {"attendees": forged})
    assert answer.status == 403
    assert "dan@example.com" in answer.body["error"]["message"]


def test_attendee_may_not_add_an_attendee(invite: tuple[str, Api, Api, Api]) -> None:
    event_id, ann, _, _ = invite
    event = ann("GET", f"/calendars/primary/events/{event_id}").body
    more = [*event["attendees"], {"email": "mallory@example.com"}]
    answer = ann("PATCH", f"/calendars/primary/events/{event_id}", {"attendees": more})
    assert (answer.status, answer.reason) == (403, "forbiddenForNonOrganizer")


@pytest.mark.parametrize(
    "change",
    [
        {"summary": "Hijacked"},
        {"description": "No agenda after all"},
        {"start": {"dateTime": "2031-03-03T11:00:00+00:00"}},
        {"status": "cancelled"},
    ],
)
def test_attendee_may_not_change_shared_fields(
    invite: tuple[str, Api, Api, Api], change: dict[str, Any]
) -> None:
    event_id, ann, _, _ = invite
    answer = ann("PATCH", f"/calendars/primary/events/{event_id}", change)
    assert (answer.status, answer.reason) == (403, "forbiddenForNonOrganizer")


def test_attendee_update_with_the_whole_event_echoed_back_succeeds(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, _, _ = invite
    event = ann("GET", f"/calendars/primary/events/{event_id}").body
    event["attendees"] = _answered(event, "ann@example.com", "tentative", "")
    answer = ann("PUT", f"/calendars/primary/events/{event_id}", event)
    assert answer.status == 200
    mine = next(a for a in answer.body["attendees"] if a.get("self"))
    assert mine["responseStatus"] == "tentative"


def test_attendee_update_that_leaves_out_the_description_is_refused(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, _, _ = invite
    event = ann("GET", f"/calendars/primary/events/{event_id}").body
    del event["description"]
    answer = ann("PUT", f"/calendars/primary/events/{event_id}", event)
    assert (answer.status, answer.reason) == (403, "forbiddenForNonOrganizer")


def test_attendee_personal_fields_stay_on_their_own_copy(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, bob, _ = invite
    answer = ann("PATCH", f"/calendars/primary/events/{event_id}", {"transparency": "transparent"})
    assert answer.status == 200
    assert answer.body["transparency"] == "transparent"
    assert "transparency" not in bob("GET", f"/calendars/primary/events/{event_id}").body


def test_organizer_may_not_respond_to_their_own_event(invite: tuple[str, Api, Api, Api]) -> None:
    event_id, _, bob, _ = invite
    event = bob("GET", f"/calendars/primary/events/{event_id}").body
    body = {"attendees": _answered(event, "bob@example.com", "declined", "")}
    answer = bob("PATCH", f"/calendars/primary/events/{event_id}", body)
    assert (answer.status, answer.reason) == (403, "forbidden")


def test_event_type_cannot_be_patched(invite: tuple[str, Api, Api, Api]) -> None:
    event_id, ann, bob, _ = invite
    for who in (ann, bob):
        answer = who("PATCH", f"/calendars/primary/events/{event_id}", {"eventType": "focusTime"})
        assert answer.status == 400
        assert "event type" in answer.body["error"]["message"]


def test_if_match_with_a_stale_etag_gets_412(invite: tuple[str, Api, Api, Api]) -> None:
    event_id, ann, _, _ = invite
    event = ann("GET", f"/calendars/primary/events/{event_id}").body
    body = {"attendees": _answered(event, "ann@example.com", "declined", "x")}
    fresh = ann("PATCH", f"/calendars/primary/events/{event_id}", body, {"If-Match": event["etag"]})
    assert fresh.status == 200
    stale = ann("PATCH", f"/calendars/primary/events/{event_id}", body, {"If-Match": event["etag"]})
    assert (stale.status, stale.reason) == (412, "conditionNotMet")


def test_organizer_patch_replaces_arrays_and_bumps_sequence_only_on_time_changes(
    google_emulator: Running, invite: tuple[str, Api, Api, Api]
) -> None:
    event_id, ann, bob, _ = invite
    path = f"/calendars/primary/events/{event_id}"
    docs = [{"fileUrl": f"https://docs.example.com/{n}", "title": f"Doc {n}"} for n in (1, 2)]
    assert bob("PATCH", path, {"attachments": docs}).status == 200
    after = bob("PATCH", path, {"attachments": docs[1:], "description": "Agenda v2"}).body
    assert after["attachments"] == docs[1:]
    assert after["sequence"] == 0
    moved = bob(
        "PATCH",
        path,
        {
            "start": {"dateTime": "2031-03-03T10:00:00+00:00"},
            "end": {"dateTime": "2031-03-03T11:00:00+00:00"},
        },
    ).body
    assert moved["sequence"] == 1
    seen_by_ann = ann("GET", path).body
    assert seen_by_ann["description"] == "Agenda v2"
    assert seen_by_ann["start"]["dateTime"] == "2031-03-03T10:00:00+00:00"


def test_organizer_dropping_an_attendee_cancels_their_copy(
    google_emulator: Running, invite: tuple[str, Api, Api, Api]
) -> None:
    event_id, _, bob, dan = invite
    event = bob("GET", f"/calendars/primary/events/{event_id}").body
    kept = [a for a in event["attendees"] if a["email"] != "dan@example.com"]
    assert bob("PATCH", f"/calendars/primary/events/{event_id}", {"attendees": kept}).status == 200
    assert dan("GET", f"/calendars/primary/events/{event_id}").body["status"] == "cancelled"


def test_invalid_bodies_get_400_with_a_location(google_api: Callable[..., Api]) -> None:
    ann = google_api("ann@example.com")
    no_end = ann("POST", "/calendars/primary/events", {"start": {"date": "2031-03-03"}})
    assert no_end.status == 400
    assert no_end.body["error"]["errors"][0]["location"] == "end"
    backwards = ann(
        "POST",
        "/calendars/primary/events",
        {"start": {"date": "2031-03-04"}, "end": {"date": "2031-03-03"}},
    )
    assert (backwards.status, backwards.reason) == (400, "timeRangeEmpty")
    broken = ann(
        "POST",
        "/calendars/primary/events",
        {"start": {"dateTime": "soon"}, "end": {"dateTime": "later"}},
    )
    assert broken.status == 400
    assert "start.dateTime" in broken.body["error"]["message"]


def test_focus_time_is_refused_where_the_account_has_no_focus_time(
    google_api: Callable[..., Api],
) -> None:
    body = {
        "summary": "Focus",
        "eventType": "focusTime",
        "start": {"dateTime": "2031-03-03T09:00:00+00:00"},
        "end": {"dateTime": "2031-03-03T11:00:00+00:00"},
    }
    workspace = google_api("ann@example.com")
    assert workspace("POST", "/calendars/primary/events", body).body["eventType"] == "focusTime"
    consumer = google_api("joe@gmail.com", focus_time=False)
    refused = consumer("POST", "/calendars/primary/events", body)
    assert refused.status == 400
    assert refused.body["error"]["errors"][0]["location"] == "eventType"


def test_attendee_delete_removes_only_their_copy_and_declines(
    google_emulator: Running, invite: tuple[str, Api, Api, Api]
) -> None:
    event_id, ann, bob, _ = invite
    assert ann("DELETE", f"/calendars/primary/events/{event_id}").status == 204
    assert ann("GET", f"/calendars/primary/events/{event_id}").body["status"] == "cancelled"
    organizer_view = bob("GET", f"/calendars/primary/events/{event_id}").body
    assert organizer_view["status"] == "confirmed"
    ann_entry = next(a for a in organizer_view["attendees"] if a["email"] == "ann@example.com")
    assert ann_entry["responseStatus"] == "declined"
    assert ann("DELETE", f"/calendars/primary/events/{event_id}").status == 410


def test_unknown_send_updates_value_is_refused(invite: tuple[str, Api, Api, Api]) -> None:
    event_id, _, bob, _ = invite
    answer = bob("PATCH", f"/calendars/primary/events/{event_id}", {}, sendUpdates="everyone")
    assert answer.status == 400
    assert answer.body["error"]["errors"][0]["location"] == "sendUpdates"
