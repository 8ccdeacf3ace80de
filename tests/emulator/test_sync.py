"""events.list: pages, sync tokens, incremental changes and 410."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from emulator.google_calendar import Running
from emulator.testing import Answer, Api

pytest_plugins = ["emulator.pytest_plugin"]

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def ann_with_five(
    google_emulator: Running, google_api: Callable[..., Api]
) -> tuple[Api, list[str]]:
    """Return ann's api and the ids of five invites from bob to her."""
    ann = google_api("ann@example.com")
    google_emulator.state.add_user("bob@example.com")
    ids = [
        google_emulator.state.invite(
            "bob@example.com",
            ["ann@example.com"],
            f"Meeting {n}",
            START + timedelta(days=n),
            START + timedelta(days=n, hours=1),
        )
        for n in range(5)
    ]
    return ann, ids


def extra(token: str | None) -> dict[str, str]:
    return {"pageToken": token} if token else {}


def _all_pages(api: Api, **params: Any) -> tuple[list[Answer], list[dict[str, Any]]]:
    pages: list[Answer] = []
    items: list[dict[str, Any]] = []
    token = None
    while True:
        page = api("GET", "/calendars/primary/events", **{**params, **extra(token)})
        assert page.status == 200, page.body
        pages.append(page)
        items += page.body["items"]
        token = page.body.get("nextPageToken")
        if not token:
            return pages, items


def test_pages_carry_next_sync_token_only_on_the_last_page(
    ann_with_five: tuple[Api, list[str]],
) -> None:
    ann, ids = ann_with_five
    pages, items = _all_pages(ann, maxResults=2)
    assert [len(p.body["items"]) for p in pages] == [2, 2, 1]
    assert ["nextSyncToken" in p.body for p in pages] == [False, False, True]
    assert all("nextPageToken" in p.body for p in pages[:-1])
    assert sorted(i["id"] for i in items) == sorted(ids)


def test_sync_token_returns_only_what_changed_including_cancellations(
    google_emulator: Running, ann_with_five: tuple[Api, list[str]]
) -> None:
    ann, ids = ann_with_five
    pages, _ = _all_pages(ann)
    token = pages[-1].body["nextSyncToken"]
    nothing = ann("GET", "/calendars/primary/events", syncToken=token)
    assert nothing.body["items"] == []
    google_emulator.state.update_invite(ids[1], description="Agenda: 1. budget")
    google_emulator.state.cancel_invite(ids[3])
    changed = ann("GET", "/calendars/primary/events", syncToken=token)
    by_id = {i["id"]: i for i in changed.body["items"]}
    assert set(by_id) == {ids[1], ids[3]}
    assert by_id[ids[1]]["description"] == "Agenda: 1. budget"
    assert by_id[ids[3]]["status"] == "cancelled"
    assert "start" not in by_id[ids[3]]  # a deletion carries only its id
    again = ann("GET", "/calendars/primary/events", syncToken=changed.body["nextSyncToken"])
    assert again.body["items"] == []


def test_cancelled_events_are_left_out_of_a_full_list_unless_show_deleted(
    google_emulator: Running, ann_with_five: tuple[Api, list[str]]
) -> None:
    ann, ids = ann_with_five
    google_emulator.state.cancel_invite(ids[0])
    listed = {i["id"] for i in ann("GET", "/calendars/primary/events").body["items"]}
    assert ids[0] not in listed
    shown = ann("GET", "/calendars/primary/events", showDeleted=True).body["items"]
    assert ids[0] in {i["id"] for i in shown}


def test_incremental_sync_pages_keep_the_change_window(
    google_emulator: Running, ann_with_five: tuple[Api, list[str]]
) -> None:
    ann, ids = ann_with_five
    token = _all_pages(ann)[0][-1].body["nextSyncToken"]
    for event_id in ids[:3]:
        google_emulator.state.update_invite(event_id, location="Room 2")
    pages, items = _all_pages(ann, syncToken=token, maxResults=2)
    assert len(pages) == 2
    assert sorted(i["id"] for i in items) == sorted(ids[:3])


def test_changes_during_paging_arrive_by_the_next_sync(
    google_emulator: Running, ann_with_five: tuple[Api, list[str]]
) -> None:
    ann, ids = ann_with_five
    first = ann("GET", "/calendars/primary/events", maxResults=2)
    google_emulator.state.update_invite(ids[0], summary="Renamed")
    _, rest = _all_pages(ann, maxResults=2, pageToken=first.body["nextPageToken"])
    seen = [i["id"] for i in first.body["items"]] + [i["id"] for i in rest]
    assert sorted(seen) == sorted(ids)
    token = ann(
        "GET", "/calendars/primary/events", pageToken=first.body["nextPageToken"], maxResults=10
    ).body["nextSyncToken"]
    changed = ann("GET", "/calendars/primary/events", syncToken=token).body["items"]
    assert [(i["id"], i["summary"]) for i in changed] == [(ids[0], "Renamed")]


def test_invalidated_sync_token_answers_410_full_sync_required(
    google_emulator: Running, ann_with_five: tuple[Api, list[str]]
) -> None:
    ann, _ = ann_with_five
    token = _all_pages(ann)[0][-1].body["nextSyncToken"]
    google_emulator.state.invalidate_sync_tokens("ann@example.com")
    gone = ann("GET", "/calendars/primary/events", syncToken=token)
    assert (gone.status, gone.reason) == (410, "fullSyncRequired")
    garbage = ann("GET", "/calendars/primary/events", syncToken="not-a-token")
    assert garbage.status == 410


def test_sync_token_of_another_calendar_is_refused(
    google_api: Callable[..., Api], ann_with_five: tuple[Api, list[str]]
) -> None:
    ann, _ = ann_with_five
    bob = google_api("bob@example.com")
    token = _all_pages(ann)[0][-1].body["nextSyncToken"]
    assert bob("GET", "/calendars/primary/events", syncToken=token).status == 410


def test_sync_token_cannot_be_combined_with_time_bounds(
    ann_with_five: tuple[Api, list[str]],
) -> None:
    ann, _ = ann_with_five
    token = _all_pages(ann)[0][-1].body["nextSyncToken"]
    clash = ann("GET", "/calendars/primary/events", syncToken=token, timeMin="2031-01-01T00:00:00Z")
    assert clash.status == 400
    assert "timeMin" in clash.body["error"]["message"]


def test_time_window_and_order_by_start_time(ann_with_five: tuple[Api, list[str]]) -> None:
    ann, ids = ann_with_five
    window = ann(
        "GET",
        "/calendars/primary/events",
        timeMin="2031-03-04T00:00:00Z",
        timeMax="2031-03-06T00:00:00Z",
        singleEvents=True,
        orderBy="startTime",
    )
    assert [i["id"] for i in window.body["items"]] == ids[1:3]
    wrong = ann("GET", "/calendars/primary/events", orderBy="startTime")
    assert wrong.status == 400
    empty = ann(
        "GET",
        "/calendars/primary/events",
        timeMin="2031-03-06T00:00:00Z",
        timeMax="2031-03-04T00:00:00Z",
    )
    assert (empty.status, empty.reason) == (400, "timeRangeEmpty")
