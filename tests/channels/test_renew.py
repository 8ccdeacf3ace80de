"""Renewal: a new channel before the old one stops, idempotent, resilient, per account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from emulator.google_calendar import Running
from gatekeeper import get_db
from gatekeeper.channels import renew_channels, start_watch
from gatekeeper.channels.jobs import renew_channels_job, watch_account_job
from gatekeeper.store.accounts import get_account
from gatekeeper.store.channels import active_channels
from gatekeeper.store.google_models import Channel
from gatekeeper.store.types import utcnow

pytest_plugins = ["emulator.pytest_plugin"]


def live(app: Any, account_id: int | None = None) -> list[Channel]:
    with get_db(app).session() as session:
        return active_channels(session, account_id)


def travel(emulator: Running, moment: datetime) -> datetime:
    """Move the emulator's clock to ``moment`` (channels it opens then expire a week later)."""
    emulator.state.advance(moment - emulator.state.now())
    return moment


def everything(app: Any) -> list[Channel]:
    with get_db(app).session() as session:
        return list(session.scalars(select(Channel).order_by(Channel.id)))


def test_renewal_opens_missing_channels_and_keeps_fresh_ones(
    google_app: Any, connect: Callable[..., int]
) -> None:
    ana, bob = connect("ana@example.com"), connect("bob@example.com")
    first = renew_channels(google_app)
    assert sorted(first.opened) == ["ana@example.com", "bob@example.com"]
    assert {c.account_id for c in live(google_app)} == {ana, bob}
    second = renew_channels(google_app)
    assert (second.opened, second.stopped) == ([], 0)
    assert sorted(second.kept) == ["ana@example.com", "bob@example.com"]


def test_expiring_channel_is_replaced_new_first_then_old_stopped(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    account_id = connect("ana@example.com")
    renew_channels(google_app)
    [old] = live(google_app)
    assert old.expiration is not None
    near_expiry = travel(google_emulator, old.expiration - timedelta(hours=2))
    report = renew_channels(google_app, now=near_expiry)
    assert (report.opened, report.stopped) == (["ana@example.com"], 1)
    [new] = live(google_app, account_id)
    assert new.channel_id != old.channel_id
    assert set(google_emulator.state.notifier.channels) == {new.channel_id}
    calls = [
        (r.method, r.path, (r.body or {}).get("id"))
        for r in google_emulator.state.requests
        if r.path.endswith(("/events/watch", "/channels/stop"))
    ]
    assert calls[-2:] == [
        ("POST", "/calendar/v3/calendars/primary/events/watch", new.channel_id),
        ("POST", "/calendar/v3/channels/stop", old.channel_id),
    ]
    stopped = {c.channel_id: c.stopped_at for c in everything(google_app)}
    assert stopped[old.channel_id] is not None and stopped[new.channel_id] is None


def test_renewing_again_at_the_same_moment_does_nothing(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    connect("ana@example.com")
    renew_channels(google_app)
    [old] = live(google_app)
    assert old.expiration is not None
    moment = travel(google_emulator, old.expiration - timedelta(hours=1))
    renew_channels(google_app, now=moment)
    watches = len(google_emulator.state.requests_to("POST", "/events/watch"))
    again = renew_channels(google_app, now=moment)
    assert (again.opened, again.stopped, again.kept) == ([], 0, ["ana@example.com"])
    assert len(google_emulator.state.requests_to("POST", "/events/watch")) == watches


def test_crash_between_opening_and_stopping_is_finished_without_a_third_channel(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    account_id = connect("ana@example.com")
    renew_channels(google_app)
    [old] = live(google_app)
    assert old.expiration is not None
    moment = travel(google_emulator, old.expiration - timedelta(hours=1))
    # A renewal that died after opening the new channel: both are live now.
    start_watch(google_app, account_id)
    assert len(live(google_app)) == 2
    report = renew_channels(google_app, now=moment)
    assert (report.opened, report.stopped) == ([], 1)
    [kept] = live(google_app)
    assert kept.channel_id != old.channel_id
    assert set(google_emulator.state.notifier.channels) == {kept.channel_id}


def test_old_channel_keeps_running_when_the_new_one_cannot_be_opened(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    connect("ana@example.com")
    connect("bob@example.com")
    renew_channels(google_app)
    old = {c.channel_id for c in live(google_app)}
    soonest = min(c.expiration for c in live(google_app) if c.expiration)
    moment = travel(google_emulator, soonest - timedelta(hours=1))
    google_emulator.state.inject(500, method="POST", path="*/events/watch", times=50)
    report = renew_channels(google_app, now=moment)
    assert sorted(report.failed) == ["ana@example.com", "bob@example.com"]
    assert "HTTP 500" in report.failed["ana@example.com"]
    assert {c.channel_id for c in live(google_app)} == old
    assert old <= set(google_emulator.state.notifier.channels)
    google_emulator.state.faults.clear()
    assert sorted(renew_channels(google_app, now=moment).opened) == [
        "ana@example.com",
        "bob@example.com",
    ]


def test_revoked_grant_disconnects_the_account_and_the_others_renew(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    ana = connect("ana@example.com")
    connect("bob@example.com")
    google_emulator.state.revoke("refresh-ana")
    report = renew_channels(google_app)
    assert report.disconnected == ["ana@example.com"]
    assert report.opened == ["bob@example.com"]
    with get_db(google_app).session() as session:
        account = get_account(session, ana)
        assert account is not None and account.status == "disconnected"
    assert live(google_app, ana) == []
    # A disconnected account is left alone from then on: no new channel, no crash.
    assert renew_channels(google_app).disconnected == []


def test_stale_pending_channel_is_dropped_and_replaced(
    google_app: Any, connect: Callable[..., int]
) -> None:
    account_id = connect("ana@example.com")
    with get_db(google_app).session() as session:
        session.add(
            Channel(
                account_id=account_id,
                channel_id="died-mid-watch",
                token_hash="0" * 64,
                address="https://gate.example.org/webhooks/google",
                created_at=utcnow() - timedelta(hours=1),
            )
        )
    report = renew_channels(google_app)
    assert (report.opened, report.stopped) == (["ana@example.com"], 1)
    assert [c.channel_id for c in live(google_app)] != ["died-mid-watch"]
    assert len(live(google_app)) == 1


def test_jobs_renew_in_the_app_context(google_app: Any, connect: Callable[..., int]) -> None:
    account_id = connect("ana@example.com")
    with google_app.app_context():
        assert watch_account_job(account_id) == "opened"
        assert renew_channels_job() == {"opened": [], "stopped": 0, "kept": ["ana@example.com"]}
