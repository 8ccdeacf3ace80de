"""Connect → first sync → screen → act, per mode, against the emulator and the real client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.sync.support import AGENDA, ORGANIZER, PERSON, Person, answers, entry, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


def test_first_sync_in_dry_run_fills_only_the_log(person: Callable[..., Person]) -> None:
    ann = person("dry-run")
    bare = ann.invite("Budget chat", weekday_at(2, 13), description="")
    planned = ann.invite("Planning", weekday_at(2, 15), description=AGENDA)
    report = ann.sync()
    assert report.full and report.recorded == 2 and report.answered == 0
    assert answers(ann.state) == []
    assert ann.mine(bare)["responseStatus"] == "needsAction"
    by_event = {r.calendar_event_id: r for r in ann.records()}
    assert by_event[bare].action == "decline" and by_event[bare].rule == "no-agenda"
    assert by_event[bare].outcome == "recorded only (dry-run)" and not by_event[bare].executed
    assert by_event[bare].message and "agenda" in by_event[bare].message
    assert by_event[planned].action == "none"
    # The next sync has nothing new to log.
    again = ann.sync()
    assert (again.full, again.recorded) == (False, 0)
    assert len(ann.records()) == 2


def test_decline_patches_only_own_entry_and_keeps_every_other_attendee(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    before = ann.state.event(ORGANIZER, event_id)["attendees"]
    report = ann.sync()
    assert report.answered == 1
    after = ann.state.event(ORGANIZER, event_id)["attendees"]
    others_before = [a for a in before if a["email"] != PERSON]
    others_after = [a for a in after if a["email"] != PERSON]
    assert others_after == others_before
    assert [a["email"] for a in after] == [a["email"] for a in before]
    mine = ann.mine(event_id)
    (record,) = ann.records()
    assert mine["responseStatus"] == "declined"
    assert mine["comment"] == record.message
    assert "Bob Organizer" in record.message and "agenda" in record.message
    assert record.executed and record.outcome == "declined"
    (patch,) = answers(ann.state, event_id)
    assert patch.headers.get("If-Match")  # guarded by the etag of what was read
    assert patch.query.get("sendUpdates") == "all"
    # The answer is built on the copy the run listed: no second read of the event.
    assert ann.state.requests_to("GET", f"/events/{event_id}") == []


def test_flag_mode_turns_a_decline_into_a_flag(person: Callable[..., Person]) -> None:
    ann = person("flag")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    report = ann.sync()
    assert (report.answered, report.flagged) == (0, 1)
    assert answers(ann.state) == []
    assert ann.mine(event_id)["responseStatus"] == "needsAction"
    (record,) = ann.records()
    assert record.action == "decline" and record.mode == "flag" and record.executed
    assert record.outcome == "flagged (flag mode: declines become flags) (marked on your calendar)"
    # The mark is a private property of the person's own copy: nobody else sees it.
    mine = ann.state.event(ann.email, event_id)["extendedProperties"]
    assert mine == {"private": {"gatekeeper": "flagged"}}
    assert "extendedProperties" not in ann.state.event(ORGANIZER, event_id)
    # Our own mark comes back as a change of the event: seen, not screened or marked again.
    again = ann.sync()
    assert (again.changed, again.recorded, again.flagged) == (1, 0, 0)
    assert len(ann.state.requests_to("PATCH")) == 1


def test_a_calendar_that_refuses_the_flag_mark_keeps_the_flag_in_the_log(
    person: Callable[..., Person],
) -> None:
    ann = person("flag")
    ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.invite("Status chat", weekday_at(2, 15), description="")
    ann.state.inject(403, method="PATCH", reason="forbiddenForNonOrganizer")
    report = ann.sync()
    assert report.flagged == 2
    first, second = (r.outcome for r in ann.records())
    assert first.endswith(" (logged only: the calendar refused the mark)")
    assert second.endswith(" (logged only)")
    assert len(ann.state.requests_to("PATCH")) == 1  # refused once: the rest logged only


def test_own_answered_cancelled_and_all_day_events_are_not_touched(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    own = ann.focus(weekday_at(2, 9), summary="1:1 prep")
    start = weekday_at(2, 11)
    organized = ann.state.invite(
        PERSON, [ORGANIZER], "My meeting", start, start + timedelta(hours=1), description=""
    )
    answered = ann.invite("Already accepted", weekday_at(2, 13), description="")
    ann.state.respond_as(PERSON, answered, "accepted")
    cancelled = ann.invite("Called off", weekday_at(2, 15), description="")
    ann.state.cancel_invite(cancelled)
    day = weekday_at(3, 0).date()
    all_day = ann.state.invite(ORGANIZER, [PERSON], "Offsite", day, day, description="")
    report = ann.sync()
    assert report.answered == 0
    assert answers(ann.state) == []
    assert ann.records() == []  # nothing Gatekeeper would act on is logged
    assert entry(ann.state, ORGANIZER, answered)["responseStatus"] == "accepted"
    assert entry(ann.state, ORGANIZER, all_day)["responseStatus"] == "needsAction"
    assert ann.state.event(PERSON, own)["summary"] == "1:1 prep"
    assert entry(ann.state, PERSON, organized)["responseStatus"] == "accepted"


def test_an_invite_arriving_later_is_screened_by_the_incremental_sync(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    assert ann.sync().recorded == 0
    event_id = ann.invite("New thing", weekday_at(3, 10), description="")
    report = ann.sync()
    assert (report.full, report.changed, report.answered) == (False, 1, 1)
    assert ann.mine(event_id)["responseStatus"] == "declined"
