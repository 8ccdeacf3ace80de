"""Disconnecting: once, with one mail, channels stopped, grant forgotten; no crash loop."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from rq import Worker
from rq.job import Job, JobStatus

from emulator.google_calendar import Running
from gatekeeper import get_db, get_queue
from gatekeeper.accounts.service import connect_google, disconnect
from gatekeeper.channels import ensure_watched, renew_channels
from gatekeeper.jobs.queue import RedisQueue
from gatekeeper.store.accounts import get_account
from gatekeeper.store.channels import active_channels
from tests.mail.smtp_server import RunningSmtp

pytest_plugins = ["emulator.pytest_plugin"]


def status_and_token(app: Any, account_id: int) -> tuple[str, bytes | None]:
    with get_db(app).session() as session:
        account = get_account(session, account_id)
        assert account is not None
        return account.status, account.refresh_token_encrypted


def live_channels(app: Any, account_id: int) -> int:
    with get_db(app).session() as session:
        return len(active_channels(session, account_id))


def run_worker(app: Any) -> None:
    queue = get_queue(app)
    assert isinstance(queue, RedisQueue)
    # The forked job process inherits this app context, so jobs use the test's database.
    with app.app_context():
        Worker([queue.queue], connection=queue.connection).work(burst=True)


def test_revoked_grant_disconnects_once_and_mails_the_person_once(
    make_app: Callable[..., Any],
    google_user: Callable[..., str],
    google_emulator: Running,
    smtp_server: RunningSmtp,
) -> None:
    app = make_app(SMTP_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    account_id = connect_google(app, "ana@example.com", google_user("ana@example.com")).account_id
    ensure_watched(app, account_id)
    google_emulator.state.revoke("refresh-ana")
    assert renew_channels(app).disconnected == []  # still watched: nothing to ask Google yet
    reason = "Google Calendar of ana@example.com: the grant was revoked or expired"
    assert disconnect(app, account_id, reason) is True
    assert disconnect(app, account_id, reason) is False
    assert renew_channels(app).disconnected == []
    [mail] = smtp_server.state.wait_for(1)
    assert mail.rcpt_to == ("ana@example.com",)
    body = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "/signin" in body and "the grant was revoked" in body
    assert status_and_token(app, account_id) == ("disconnected", None)
    assert live_channels(app, account_id) == 0
    assert len(smtp_server.received) == 1


def test_reconnecting_then_losing_the_grant_again_mails_again(
    make_app: Callable[..., Any], google_user: Callable[..., str], smtp_server: RunningSmtp
) -> None:
    app = make_app(SMTP_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    token = google_user("ana@example.com")
    account_id = connect_google(app, "ana@example.com", token).account_id
    assert disconnect(app, account_id, "first time")
    assert connect_google(app, "ana@example.com", token).was_disconnected
    assert status_and_token(app, account_id)[0] == "active"
    assert disconnect(app, account_id, "second time")
    mails = smtp_server.state.wait_for(2)
    assert [m.message["To"] for m in mails] == ["ana@example.com", "ana@example.com"]


def test_operator_disconnect_stops_the_channel_at_google_without_mail(
    google_app: Any, connect: Callable[..., int], google_emulator: Running
) -> None:
    account_id = connect("ana@example.com")
    ensure_watched(google_app, account_id)
    assert len(google_emulator.state.notifier.channels) == 1
    assert disconnect(google_app, account_id, "by an operator", notify=False)
    assert google_emulator.state.notifier.channels == {}
    assert google_emulator.state.requests_to("POST", "/channels/stop")[-1].status == 204
    assert status_and_token(google_app, account_id) == ("disconnected", None)


def test_without_smtp_the_mail_lands_in_the_outbox(
    google_app: Any, connect: Callable[..., int]
) -> None:
    from gatekeeper import get_config

    account_id = connect("ana@example.com")
    disconnect(google_app, account_id, "revoked")
    [written] = list(get_config(google_app).outbox_path.glob("*.eml"))
    assert b"To: ana@example.com" in written.read_bytes()


def test_mail_failure_is_retried_by_the_worker_not_lost(
    make_app: Callable[..., Any],
    google_user: Callable[..., str],
    redis_url: str,
    unused_port: int,
) -> None:
    app = make_app(REDIS_URL=redis_url, SMTP_URL=f"smtp://127.0.0.1:{unused_port}?timeout=2")
    account_id = connect_google(app, "ana@example.com", google_user("ana@example.com")).account_id
    assert disconnect(app, account_id, "revoked")
    run_worker(app)
    queue = get_queue(app)
    assert isinstance(queue, RedisQueue)
    job = Job.fetch(f"reconnect-mail-{account_id}", connection=queue.connection)
    # Failed once and waiting for its retry (RQ's Retry), not dropped.
    assert job.get_status() == JobStatus.SCHEDULED
    assert job.retries_left == 2


def test_mail_is_skipped_when_the_person_reconnected_before_it_went_out(
    make_app: Callable[..., Any],
    google_user: Callable[..., str],
    redis_url: str,
    smtp_server: RunningSmtp,
) -> None:
    app = make_app(REDIS_URL=redis_url, SMTP_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    token = google_user("ana@example.com")
    account_id = connect_google(app, "ana@example.com", token).account_id
    disconnect(app, account_id, "revoked")
    connect_google(app, "ana@example.com", token)
    run_worker(app)
    queue = get_queue(app)
    assert isinstance(queue, RedisQueue)
    job = Job.fetch(f"reconnect-mail-{account_id}", connection=queue.connection)
    assert job.get_status() == JobStatus.FINISHED and job.return_value() is None
    assert smtp_server.received == []


def test_nothing_secret_is_logged_while_disconnecting(
    google_app: Any,
    connect: Callable[..., int],
    google_emulator: Running,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    account_id = connect("ana@example.com")
    ensure_watched(google_app, account_id)
    tokens = [c.token for c in google_emulator.state.notifier.channels.values()]
    google_emulator.state.revoke("refresh-ana")
    disconnect(google_app, account_id, "revoked")
    assert "disconnected" in caplog.text
    for secret in ["refresh-ana", *tokens]:
        assert secret and secret not in caplog.text
