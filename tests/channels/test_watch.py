"""Watching an account's calendar: channels opened at the emulator, stored, and stopped."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from emulator.google_calendar import Running
from emulator.testing import FakeTime, WebhookReceiver
from gatekeeper import get_db
from gatekeeper.channels import ensure_watched, stop_account_channels
from gatekeeper.errors import CalendarError
from gatekeeper.jobs.queue import resolve
from gatekeeper.jobs.schedule import SCHEDULE
from gatekeeper.store.channels import active_channels, token_digest
from gatekeeper.store.google_models import Channel

pytest_plugins = ["emulator.pytest_plugin"]


def channels_of(app: Any, account_id: int) -> list[Channel]:
    with get_db(app).session() as session:
        return active_channels(session, account_id)


def all_channels(app: Any) -> list[Channel]:
    with get_db(app).session() as session:
        return list(session.scalars(select(Channel).order_by(Channel.id)))


def test_watch_opens_a_channel_at_google_and_stores_it(
    google_app: Any,
    connect: Callable[..., int],
    google_emulator: Running,
    webhook_receiver: WebhookReceiver,
) -> None:
    account_id = connect("ana@example.com")
    assert ensure_watched(google_app, account_id) == "opened"
    [row] = channels_of(google_app, account_id)
    assert uuid.UUID(row.channel_id).version == 4
    assert row.address == webhook_receiver.url
    assert row.expiration is not None
    assert timedelta(days=6, hours=23) < row.expiration - datetime.now(UTC) <= timedelta(days=7)
    google_side = google_emulator.state.notifier.channels[row.channel_id]
    assert google_side.address == webhook_receiver.url
    assert google_side.resource_id == row.resource_id
    # Only a digest is stored; it is the digest of the token Google will send back.
    assert google_side.token is not None and len(google_side.token) >= 32
    assert row.token_hash == token_digest(google_side.token) != google_side.token
    sync = webhook_receiver.wait_for(1)[0].headers
    assert sync["X-Goog-Resource-State"] == "sync"
    assert sync["X-Goog-Channel-ID"] == row.channel_id
    assert token_digest(sync["X-Goog-Channel-Token"]) == row.token_hash


def test_each_channel_gets_its_own_id_and_token(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    ana, bob = connect("ana@example.com"), connect("bob@example.com")
    ensure_watched(google_app, ana)
    ensure_watched(google_app, bob)
    [a], [b] = channels_of(google_app, ana), channels_of(google_app, bob)
    assert a.channel_id != b.channel_id and a.token_hash != b.token_hash
    tokens = {c.token for c in google_emulator.state.notifier.channels.values()}
    assert len(tokens) == 2


def test_watching_twice_keeps_the_one_channel(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    account_id = connect("ana@example.com")
    assert ensure_watched(google_app, account_id) == "opened"
    assert ensure_watched(google_app, account_id) == "kept"
    assert len(channels_of(google_app, account_id)) == 1
    assert len(google_emulator.state.requests_to("POST", "/events/watch")) == 1


def test_failed_watch_leaves_no_live_channel(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    account_id = connect("ana@example.com")
    google_emulator.state.inject(400, method="POST", path="*/events/watch", reason="invalid")
    with pytest.raises(CalendarError, match="HTTP 400"):
        ensure_watched(google_app, account_id)
    [row] = all_channels(google_app)
    assert row.stopped_at is not None and row.resource_id is None
    assert channels_of(google_app, account_id) == []
    assert ensure_watched(google_app, account_id) == "opened"  # the next try works


def test_rate_limited_watch_is_retried_with_backoff(
    google_app: Any, connect: Callable[..., int], google_emulator: Running, fake_time: FakeTime
) -> None:
    account_id = connect("ana@example.com")
    google_emulator.state.inject(429, method="POST", path="*/events/watch", times=2)
    assert ensure_watched(google_app, account_id) == "opened"
    assert len(fake_time.sleeps) == 2
    assert len(google_emulator.state.requests_to("POST", "/events/watch")) == 3
    assert len(channels_of(google_app, account_id)) == 1


def test_stop_account_channels_stops_them_at_google(
    google_app: Any,
    connect: Callable[..., int],
    google_emulator: Running,
    webhook_receiver: WebhookReceiver,
) -> None:
    account_id = connect("ana@example.com")
    ensure_watched(google_app, account_id)
    [row] = channels_of(google_app, account_id)
    assert stop_account_channels(google_app, account_id) == 1
    assert row.channel_id not in google_emulator.state.notifier.channels
    assert channels_of(google_app, account_id) == []
    [stopped] = all_channels(google_app)
    assert stopped.stopped_at is not None
    webhook_receiver.wait_for(1)
    start = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    later = start + timedelta(hours=1)
    google_emulator.state.invite("x@example.com", ["ana@example.com"], "After", start, later)
    assert google_emulator.state.notifier.wait_idle()
    assert [n.headers["X-Goog-Resource-State"] for n in webhook_receiver.received] == ["sync"]
    assert stop_account_channels(google_app, account_id) == 0


def test_renewal_is_on_the_schedule() -> None:
    [entry] = [job for job in SCHEDULE if job.job_id == "renew-channels"]
    assert entry.interval == timedelta(hours=1)
    assert callable(resolve(entry.func))
