"""YAML focus blocks made real on Google: created once, updated, removed, DST-proof."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from gatekeeper import get_queue
from gatekeeper.focusblocks.blocks import DIGEST_PROPERTY, KEY_PROPERTY, block_key
from gatekeeper.focusblocks.service import sync_focus_blocks
from tests.sync.support import Person, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]

MORNING = {
    "name": "Morning deep work",
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "start": "09:00",
    "end": "11:00",
    "timezone": "Europe/Berlin",
}
FRIDAY = {"name": "Friday writing", "days": ["fri"], "start": "14:00", "end": "16:00"}


def _blocks(ann: Person) -> list[dict[str, Any]]:
    """Return the person's live events that Gatekeeper made for blocks."""
    return [
        event
        for event in ann.state.events(ann.email)
        if event.get("status") != "cancelled"
        and KEY_PROPERTY in ((event.get("extendedProperties") or {}).get("private") or {})
    ]


def _inserts(ann: Person) -> list[Any]:
    return [r for r in ann.state.requests_to("POST", "/events") if r.path.endswith("/events")]


def test_each_block_becomes_one_recurring_focus_time_event(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING, FRIDAY])
    ann = person("enforce", time_zone="America/New_York")
    report = sync_focus_blocks(ann.app, ann.account_id)
    assert sorted(report.created) == sorted(
        [block_key("Morning deep work"), block_key("Friday writing")]
    )
    assert report.focus_time is True
    by_name = {event["summary"]: event for event in _blocks(ann)}
    morning = by_name["Morning deep work"]
    assert morning["eventType"] == "focusTime"
    assert morning["recurrence"] == ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]
    assert morning["start"]["timeZone"] == "Europe/Berlin"
    assert morning["start"]["dateTime"].startswith(f"{morning['start']['dateTime'][:10]}T09:00")
    assert morning["focusTimeProperties"]["chatStatus"] == "doNotDisturb"
    assert morning["transparency"] == "opaque"
    friday = by_name["Friday writing"]
    assert friday["recurrence"] == ["RRULE:FREQ=WEEKLY;BYDAY=FR"]
    assert friday["start"]["timeZone"] == "America/New_York"  # follows the person
    first = datetime.fromisoformat(friday["start"]["dateTime"])
    assert first.weekday() == 4 and first.hour == 14


def test_running_again_changes_nothing(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING])
    ann = person("enforce")
    sync_focus_blocks(ann.app, ann.account_id)
    writes = len(_inserts(ann)) + len(ann.state.requests_to("PATCH"))
    for _ in range(3):
        report = sync_focus_blocks(ann.app, ann.account_id)
        assert report.created == report.updated == report.deleted == []
        assert report.unchanged == [block_key("Morning deep work")]
    assert len(_inserts(ann)) + len(ann.state.requests_to("PATCH")) == writes
    assert len(_blocks(ann)) == 1


def test_an_edited_block_is_patched_in_place(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING])
    ann = person("enforce")
    sync_focus_blocks(ann.app, ann.account_id)
    (before,) = _blocks(ann)
    write_blocks([{**MORNING, "start": "08:00", "days": ["mon", "wed"]}])
    report = sync_focus_blocks(ann.app, ann.account_id)
    assert report.updated == [block_key("Morning deep work")]
    (after,) = _blocks(ann)
    assert after["id"] == before["id"] and after["eventType"] == "focusTime"
    assert after["recurrence"] == ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE"]
    assert datetime.fromisoformat(after["start"]["dateTime"]).hour == 8
    props = after["extendedProperties"]["private"]
    assert props[DIGEST_PROPERTY] != before["extendedProperties"]["private"][DIGEST_PROPERTY]
    assert sync_focus_blocks(ann.app, ann.account_id).unchanged == [block_key("Morning deep work")]


def test_a_removed_block_is_deleted(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING, FRIDAY])
    ann = person("enforce")
    sync_focus_blocks(ann.app, ann.account_id)
    write_blocks([FRIDAY])
    report = sync_focus_blocks(ann.app, ann.account_id)
    assert report.deleted == [block_key("Morning deep work")]
    assert [event["summary"] for event in _blocks(ann)] == ["Friday writing"]


def test_a_duplicate_is_removed_and_other_events_are_left_alone(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING])
    ann = person("enforce")
    sync_focus_blocks(ann.app, ann.account_id)
    (kept,) = _blocks(ann)
    # The same block created twice (a create whose answer was lost and retried).
    twin = {k: v for k, v in kept.items() if k in ("summary", "start", "end", "recurrence")}
    twin["extendedProperties"] = kept["extendedProperties"]
    ann.state.advance(timedelta(seconds=1))  # the twin is the younger one, never a tie
    ann.state.create_event(ann.email, twin)
    mine = ann.focus(weekday_at(2, 14), summary="Focus on the report")  # not ours
    report = sync_focus_blocks(ann.app, ann.account_id)
    assert report.deleted == [block_key("Morning deep work")]
    assert [event["id"] for event in _blocks(ann)] == [kept["id"]]
    assert ann.state.event(ann.email, mine).get("status") == "confirmed"


def test_without_focus_time_a_busy_event_stands_in(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING, FRIDAY])
    ann = person("enforce", focus_time=False)
    report = sync_focus_blocks(ann.app, ann.account_id)
    assert report.focus_time is False and len(report.created) == 2
    for event in _blocks(ann):
        assert event.get("eventType", "default") == "default"
        assert event["transparency"] == "opaque"
        assert "focusTimeProperties" not in event
    refused = [r for r in _inserts(ann) if r.status == 400]
    assert len(refused) == 1  # asked once, then busy events for the rest
    assert sync_focus_blocks(ann.app, ann.account_id).unchanged  # and stable afterwards


def test_the_block_keeps_its_local_time_across_daylight_saving(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING])
    ann = person("enforce")
    sync_focus_blocks(ann.app, ann.account_id)
    (event,) = _blocks(ann)
    from gatekeeper import get_db
    from gatekeeper.accounts.google import calendar_for
    from gatekeeper.store.accounts import get_account

    with get_db(ann.app).session() as session:
        account = get_account(session, ann.account_id)
        assert account is not None
        calendar = calendar_for(ann.app, account)
    now = datetime.now(UTC)
    occurrences = calendar.instances(event["id"], now, now + timedelta(days=370))
    berlin = ZoneInfo("Europe/Berlin")
    starts = [
        datetime.fromisoformat(o["start"]["dateTime"]).astimezone(berlin) for o in occurrences
    ]
    assert len(starts) > 250
    assert {(s.hour, s.minute) for s in starts} == {(9, 0)}
    assert {s.utcoffset() for s in starts} == {timedelta(hours=1), timedelta(hours=2)}
    assert {s.weekday() for s in starts} == {0, 1, 2, 3, 4}


def test_the_hourly_job_runs_every_account(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([FRIDAY])
    ann = person("enforce")
    cid = person("enforce", "cid@example.com")
    with ann.app.app_context():  # inline jobs run in the caller's app
        handle = get_queue(ann.app).enqueue(
            "gatekeeper.jobs.sync.focus_blocks_all_job", job_id="focus-blocks-all"
        )
    assert sorted(handle.result) == sorted([ann.account_id, cid.account_id])
    assert len(_blocks(ann)) == 1 and len(_blocks(cid)) == 1


def test_the_calendars_own_blocks_are_not_screened_or_logged(
    person: Callable[..., Person], write_blocks: Callable[..., Path]
) -> None:
    write_blocks([MORNING])
    ann = person("enforce")
    sync_focus_blocks(ann.app, ann.account_id)
    invite = ann.invite("Planning", weekday_at(2, 10))  # inside the morning block
    ann.sync()
    records = ann.records()
    assert [r.calendar_event_id for r in records] == [invite]
    assert records[0].action == "decline" and records[0].focus_conflict
    assert "Morning deep work" in (records[0].message or "")
