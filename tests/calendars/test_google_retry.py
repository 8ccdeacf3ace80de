"""Backoff and error mapping: quota, 429 and 5xx retried within bounds; auth errors surface."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from emulator.google_calendar import Running
from emulator.testing import FakeTime
from gatekeeper.calendars.google import GoogleCalendar, GoogleError, RetryPolicy
from gatekeeper.calendars.google_retry import retry_after_seconds
from gatekeeper.errors import AuthError, CalendarError

pytest_plugins = ["emulator.pytest_plugin"]

EVENTS = "/calendar/v3/calendars/primary/events"


@pytest.fixture
def ann(google_calendar: Callable[..., GoogleCalendar]) -> GoogleCalendar:
    """Return ann's adapter (sleeping on the fake clock)."""
    return google_calendar("ann@example.com")


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (429, "rateLimitExceeded"),
        (403, "rateLimitExceeded"),
        (403, "userRateLimitExceeded"),
        (500, "backendError"),
        (503, "backendError"),
    ],
)
def test_transient_errors_are_retried_then_succeed(
    ann: GoogleCalendar, google_emulator: Running, fake_time: FakeTime, status: int, reason: str
) -> None:
    google_emulator.state.inject(status, method="GET", path=EVENTS, times=3, reason=reason)
    result = ann.list_changes(None)
    assert result.next_sync_token
    assert len(google_emulator.state.requests_to("GET", "/events")) == 4
    assert len(fake_time.sleeps) == 3
    # Full jitter: each wait lies within its doubling window.
    for attempt, slept in enumerate(fake_time.sleeps, start=1):
        assert 0 <= slept <= 0.5 * 2 ** (attempt - 1)


def test_retry_after_is_respected(
    ann: GoogleCalendar, google_emulator: Running, fake_time: FakeTime
) -> None:
    google_emulator.state.inject(429, path=EVENTS, times=1, retry_after=7)
    ann.list_changes(None)
    assert fake_time.sleeps == [pytest.approx(7.0)]


def test_exhausted_retries_raise_calendar_error_saying_what_and_where(
    ann: GoogleCalendar, google_emulator: Running, fake_time: FakeTime
) -> None:
    google_emulator.state.inject(503, path=EVENTS, times=10)
    with pytest.raises(CalendarError) as raised:
        ann.list_changes(None)
    assert not isinstance(raised.value, AuthError)
    message = str(raised.value)
    assert "ann@example.com" in message
    assert "listing events" in message
    assert "HTTP 503 backendError" in message
    assert len(google_emulator.state.requests_to("GET", "/events")) == 6
    assert len(fake_time.sleeps) == 5


def test_total_wait_is_bounded_even_when_retry_after_asks_for_more(
    ann: GoogleCalendar, google_emulator: Running, fake_time: FakeTime
) -> None:
    google_emulator.state.inject(429, path=EVENTS, times=3, retry_after=20)
    with pytest.raises(GoogleError) as raised:
        ann.list_changes(None)
    assert raised.value.status == 429
    assert fake_time.sleeps == [pytest.approx(20.0)]  # a second wait would pass 32 s
    assert sum(fake_time.sleeps) <= 32


def test_permanent_errors_are_not_retried(
    ann: GoogleCalendar, google_emulator: Running, fake_time: FakeTime
) -> None:
    google_emulator.state.inject(403, path=EVENTS, reason="forbidden")
    with pytest.raises(GoogleError) as raised:
        ann.list_changes(None)
    assert (raised.value.status, raised.value.reason) == (403, "forbidden")
    assert fake_time.sleeps == []


def test_revoked_grant_raises_auth_error(
    ann: GoogleCalendar, google_emulator: Running, fake_time: FakeTime
) -> None:
    google_emulator.state.revoke("refresh-ann")
    with pytest.raises(AuthError, match="invalid_grant") as raised:
        ann.list_changes(None)
    assert "reconnected" in str(raised.value)
    assert fake_time.sleeps == []


def test_expired_access_token_is_refreshed_transparently(
    ann: GoogleCalendar, google_emulator: Running
) -> None:
    ann.list_changes(None)
    google_emulator.state.expire_access_tokens()
    ann.list_changes(None)
    assert len(google_emulator.state.requests_to("POST", "/token")) == 2


def test_401_that_survives_a_refresh_raises_auth_error(
    ann: GoogleCalendar, google_emulator: Running, fake_time: FakeTime
) -> None:
    google_emulator.state.inject(401, path=EVENTS, times=5)
    with pytest.raises(AuthError, match="credentials rejected"):
        ann.list_changes(None)
    assert len(google_emulator.state.requests_to("POST", "/token")) >= 2
    assert fake_time.sleeps == []


def test_unreachable_server_is_a_calendar_error_after_retries(fake_time: FakeTime) -> None:
    dead = GoogleCalendar(
        account="ann@example.com",
        refresh_token="r",
        client_id="c",
        client_secret="s",
        api_base_url="http://127.0.0.1:9",
        token_uri="http://127.0.0.1:9/token",
        retry=RetryPolicy(max_tries=2, sleep=fake_time.sleep, clock=fake_time.clock),
    )
    with pytest.raises(CalendarError, match=r"ann@example\.com"):
        dead.get_event("abc")
    assert len(fake_time.sleeps) == 1


def test_tokens_never_reach_the_logs(
    ann: GoogleCalendar, google_emulator: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    google_emulator.state.inject(429, path=EVENTS, times=2)
    ann.list_changes(None)
    assert "retry" in caplog.text
    assert "refresh-ann" not in caplog.text
    access = ann.credentials.token
    assert access and access not in caplog.text


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds("Mon, 03 Mar 2031 09:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Mon, 03 Mar 2031 08:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_backoff_windows_double_up_to_the_cap() -> None:
    policy = RetryPolicy(base=0.5, cap=4.0, jitter=lambda: 0.999)
    windows = [policy.backoff(n) for n in range(1, 7)]
    assert windows == pytest.approx([0.4995, 0.999, 1.998, 3.996, 3.996, 3.996])
    assert RetryPolicy(jitter=lambda: 0.0).backoff(3) == 0.0
    assert timedelta(seconds=sum(windows)) < timedelta(seconds=32)
