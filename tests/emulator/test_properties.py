"""extendedProperties: private ones per calendar copy, shared ones the organizer's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from emulator.google_calendar import Running
from emulator.testing import Api, send

pytest_plugins = ["emulator.pytest_plugin"]

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
FLAG = {"extendedProperties": {"private": {"gatekeeper": "flagged"}}}


@pytest.fixture
def invite(google_emulator: Running, google_api: Callable[..., Api]) -> tuple[str, Api, Api, Api]:
    """Return (event id, ann, bob = organizer, dan) for an invite with a shared property."""
    ann = google_api("ann@example.com")
    bob = google_api("bob@example.com")
    dan = google_api("dan@example.com")
    event_id = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com", "dan@example.com"],
        "Roadmap review",
        START,
        START + timedelta(hours=1),
        extendedProperties={"shared": {"room": "4.01"}, "private": {"bob-note": "prep deck"}},
    )
    return event_id, ann, bob, dan


def _props(api: Api, event_id: str) -> dict[str, Any]:
    answer = api("GET", f"/calendars/primary/events/{event_id}")
    assert answer.status == 200, answer.body
    return dict(answer.body.get("extendedProperties") or {})


def test_each_copy_shows_its_own_private_properties_and_the_shared_ones(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, bob, dan = invite
    assert _props(bob, event_id) == {
        "private": {"bob-note": "prep deck"},
        "shared": {"room": "4.01"},
    }
    assert _props(ann, event_id) == {"shared": {"room": "4.01"}}
    assert _props(dan, event_id) == {"shared": {"room": "4.01"}}


def test_a_guest_marks_their_own_copy_and_nobody_else_sees_it(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, bob, dan = invite
    etags = {
        name: api("GET", f"/calendars/primary/events/{event_id}").body["etag"]
        for name, api in (("bob", bob), ("dan", dan))
    }
    answer = ann("PATCH", f"/calendars/primary/events/{event_id}", FLAG)
    assert answer.status == 200, answer.body
    assert answer.body["extendedProperties"] == {
        "private": {"gatekeeper": "flagged"},
        "shared": {"room": "4.01"},
    }
    assert _props(ann, event_id)["private"] == {"gatekeeper": "flagged"}
    assert "gatekeeper" not in str(_props(bob, event_id))
    assert "private" not in _props(dan, event_id)
    # Only ann's copy changed.
    assert bob("GET", f"/calendars/primary/events/{event_id}").body["etag"] == etags["bob"]
    assert dan("GET", f"/calendars/primary/events/{event_id}").body["etag"] == etags["dan"]


def test_private_properties_merge_on_patch_and_null_removes_one(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, _, _ = invite
    path = f"/calendars/primary/events/{event_id}"
    ann("PATCH", path, FLAG)
    ann("PATCH", path, {"extendedProperties": {"private": {"seen": "yes"}}})
    assert _props(ann, event_id)["private"] == {"gatekeeper": "flagged", "seen": "yes"}
    ann("PATCH", path, {"extendedProperties": {"private": {"gatekeeper": None}}})
    assert _props(ann, event_id)["private"] == {"seen": "yes"}


def test_a_guest_may_not_change_shared_properties(invite: tuple[str, Api, Api, Api]) -> None:
    event_id, ann, bob, _ = invite
    path = f"/calendars/primary/events/{event_id}"
    changed = ann("PATCH", path, {"extendedProperties": {"shared": {"room": "lobby"}}})
    assert (changed.status, changed.reason) == (403, "forbiddenForNonOrganizer")
    assert "extendedProperties.shared" in changed.body["error"]["message"]
    cleared = ann("PATCH", path, {"extendedProperties": None})
    assert (cleared.status, cleared.reason) == (403, "forbiddenForNonOrganizer")
    assert _props(bob, event_id)["shared"] == {"room": "4.01"}
    # Echoing the shared ones unchanged beside a private mark is fine.
    same = {"extendedProperties": {"shared": {"room": "4.01"}, "private": {"a": "b"}}}
    assert ann("PATCH", path, same).status == 200


def test_a_guests_update_without_private_properties_clears_theirs(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, _, _ = invite
    path = f"/calendars/primary/events/{event_id}"
    ann("PATCH", path, FLAG)
    event = ann("GET", path).body
    event["extendedProperties"] = {"shared": event["extendedProperties"]["shared"]}
    answer = ann("PUT", path, event)
    assert answer.status == 200, answer.body
    assert answer.body["extendedProperties"] == {"shared": {"room": "4.01"}}


def test_the_organizers_private_change_touches_only_their_copy(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, bob, _ = invite
    path = f"/calendars/primary/events/{event_id}"
    ann_etag = ann("GET", path).body["etag"]
    answer = bob("PATCH", path, {"extendedProperties": {"private": {"bob-note": "done"}}})
    assert answer.status == 200
    assert answer.body["extendedProperties"]["private"] == {"bob-note": "done"}
    assert ann("GET", path).body["etag"] == ann_etag
    shared = bob("PATCH", path, {"extendedProperties": {"shared": {"room": "5.02"}}})
    assert shared.body["extendedProperties"]["private"] == {"bob-note": "done"}
    assert _props(ann, event_id) == {"shared": {"room": "5.02"}}
    assert ann("GET", path).body["etag"] != ann_etag


def test_a_mark_on_one_instance_stays_on_that_instance(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    series = google_emulator.state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Weekly",
        START,
        START + timedelta(minutes=30),
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=3"],
    )
    second = f"{series}_20310310T090000Z"
    assert ann("PATCH", f"/calendars/primary/events/{second}", FLAG).status == 200
    listed = ann(
        "GET",
        "/calendars/primary/events",
        singleEvents=True,
        privateExtendedProperty="gatekeeper=flagged",
    ).body["items"]
    assert [e["id"] for e in listed] == [second]


def test_lists_filter_on_private_and_shared_properties(
    invite: tuple[str, Api, Api, Api], google_emulator: Running
) -> None:
    event_id, ann, bob, _ = invite
    google_emulator.state.invite(
        "bob@example.com", ["ann@example.com"], "Other", START, START + timedelta(hours=1)
    )
    ann("PATCH", f"/calendars/primary/events/{event_id}", FLAG)

    def ids(api: Api, **query: str) -> list[str]:
        answer = api("GET", "/calendars/primary/events", **query)
        assert answer.status == 200, answer.body
        return [e["id"] for e in answer.body["items"]]

    assert ids(ann, privateExtendedProperty="gatekeeper=flagged") == [event_id]
    assert ids(bob, privateExtendedProperty="gatekeeper=flagged") == []
    assert ids(bob, privateExtendedProperty="bob-note=prep deck") == [event_id]
    assert ids(ann, sharedExtendedProperty="room=4.01") == [event_id]
    assert ids(ann, sharedExtendedProperty="room=lobby") == []


def test_property_filters_take_every_constraint_and_refuse_bad_ones(
    invite: tuple[str, Api, Api, Api],
) -> None:
    event_id, ann, _, _ = invite
    ann("PATCH", f"/calendars/primary/events/{event_id}", FLAG)
    both = ann.root + "/calendars/primary/events?privateExtendedProperty=gatekeeper%3Dflagged"
    auth = {"Authorization": f"Bearer {ann.token}"}
    found = send(both + "&privateExtendedProperty=seen%3Dyes", headers=auth)
    assert found.status == 200 and found.body["items"] == []
    found = send(both, headers=auth)
    assert [e["id"] for e in found.body["items"]] == [event_id]
    bad = ann("GET", "/calendars/primary/events", privateExtendedProperty="no-equals-sign")
    assert bad.status == 400 and "propertyName=value" in bad.body["error"]["message"]
    token = ann("GET", "/calendars/primary/events").body["nextSyncToken"]
    mixed = ann(
        "GET",
        "/calendars/primary/events",
        syncToken=token,
        privateExtendedProperty="gatekeeper=flagged",
    )
    assert mixed.status == 400


@pytest.mark.parametrize(
    "value",
    [
        "flagged",
        {"private": {"gatekeeper": 1}},
        {"private": ["gatekeeper"]},
        {"secret": {"a": "b"}},
    ],
)
def test_malformed_extended_properties_get_400(google_api: Callable[..., Api], value: Any) -> None:
    ann = google_api("ann@example.com")
    body = {
        "summary": "Own",
        "start": {"dateTime": "2031-03-03T09:00:00Z"},
        "end": {"dateTime": "2031-03-03T10:00:00Z"},
        "extendedProperties": value,
    }
    answer = ann("POST", "/calendars/primary/events", body)
    assert answer.status == 400
    assert "extendedProperties" in answer.body["error"]["message"]
