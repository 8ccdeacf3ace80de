"""What a sync screens with: the person's zone, name, escalation budget, and a revoked grant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from emulator.google_calendar import Invitee
from gatekeeper.sync.service import sync_account, sync_or_disconnect
from tests.sync.support import ORGANIZER, ZONE, Person, answers, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


def test_re_screening_an_escalation_does_not_spend_the_budget_twice(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    day = weekday_at(2, 10)
    first = ann.invite("[urgent] Outage review", day, description="")
    ann.invite("[urgent] Customer escalation", day + timedelta(hours=3), description="")
    ann.sync()
    assert [r.rule for r in ann.records()] == ["urgent-escalation", "urgent-escalation"]
    # The organizer edits the first one: it is screened again, still within the limit.
    ann.state.update_invite(first, location="Room 4")
    ann.sync()
    last = ann.records()[-1]
    assert last.calendar_event_id == first
    assert last.rule == "urgent-escalation" and last.action == "none"
    assert any("escalation 2 of 2" in reason for reason in last.reasons)
    # A third escalation the same week is over the limit: flagged, not declined.
    third = ann.invite("[urgent] One more", day + timedelta(hours=5), description="")
    ann.sync()
    assert ann.records()[-1].rule == "urgent-over-limit"
    assert ann.mine(third)["responseStatus"] == "needsAction"
    assert answers(ann.state) == []


def test_the_reply_uses_the_persons_zone_and_name(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    start = weekday_at(2, 13)
    ann.state.invite(
        ORGANIZER,
        [Invitee(ann.email, "Ann Example"), "dan@example.com"],
        "Budget chat",
        start,
        start + timedelta(hours=1),
        time_zone=ZONE,
    )
    ann.sync()
    (record,) = ann.records()
    assert "Ann Example joins meetings" in record.message
    assert "13:00" in record.message and "Europe/Berlin" in record.message


def test_a_revoked_grant_disconnects_the_account_once(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.revoke("refresh-ann")
    report = sync_or_disconnect(ann.app, ann.account_id)
    assert report.skipped is not None and report.skipped.startswith("disconnected")
    from gatekeeper import get_db
    from gatekeeper.store.accounts import get_account

    with get_db(ann.app).session() as session:
        account = get_account(session, ann.account_id)
        assert account is not None and account.status == "disconnected"
    # Later syncs skip it quietly: no crash loop, no calls to Google.
    calls = len(ann.state.requests)
    again = sync_account(ann.app, ann.account_id)
    assert again.skipped == "account disconnected"
    assert len(ann.state.requests) == calls
    assert answers(ann.state) == []
