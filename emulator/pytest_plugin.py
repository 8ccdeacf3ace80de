"""Pytest fixtures for tests that talk to the Google Calendar emulator.

Enable in a test module with ``pytest_plugins = ["emulator.pytest_plugin"]``; import the
helper types from ``emulator.testing``. Every fixture is function-scoped: each test gets a
fresh emulator on its own port.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from emulator import testing
from emulator.google_calendar import Running, start_emulator
from emulator.testing import CLIENT_ID, CLIENT_SECRET, Api, FakeTime, WebhookReceiver, send

if TYPE_CHECKING:
    from gatekeeper.calendars.google import GoogleCalendar, RetryPolicy


@pytest.fixture
def google_emulator() -> Iterator[Running]:
    """Yield a running emulator with an empty state; stop it afterwards."""
    running = start_emulator()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def google_user(google_emulator: Running) -> Callable[..., str]:
    """Return ``add(email, time_zone="UTC", focus_time=True) -> refresh token``."""

    def add(email: str, time_zone: str = "UTC", *, focus_time: bool = True) -> str:
        token = f"refresh-{email.split('@')[0]}"
        google_emulator.state.add_user(
            email, refresh_token=token, time_zone=time_zone, focus_time=focus_time
        )
        return token

    return add


@pytest.fixture
def google_api(google_emulator: Running, google_user: Callable[..., str]) -> Callable[..., Api]:
    """Return ``login(email, time_zone="UTC") -> Api``: a user with an access token."""

    def login(email: str, time_zone: str = "UTC", **user: Any) -> Api:
        refresh = google_user(email, time_zone, **user)
        answer = send(
            google_emulator.token_uri,
            "POST",
            form={"grant_type": "refresh_token", "refresh_token": refresh, "client_id": "c"},
        )
        assert answer.status == 200, answer.body
        return Api(google_emulator.calendar_api, answer.body["access_token"])

    return login


@pytest.fixture
def fake_time() -> FakeTime:
    """Return a fake clock whose sleeps are recorded instead of waited."""
    return FakeTime()


@pytest.fixture
def google_calendar(
    google_emulator: Running, google_user: Callable[..., str], fake_time: FakeTime
) -> Callable[..., GoogleCalendar]:
    """Return ``make(email, time_zone="UTC", retry=None)``: a user and their adapter.

    The adapter's retries sleep on ``fake_time`` unless another policy is given.
    """
    from gatekeeper.calendars.google import GoogleCalendar, RetryPolicy

    def make(
        email: str, time_zone: str = "UTC", *, retry: RetryPolicy | None = None, **user: Any
    ) -> GoogleCalendar:
        token = google_user(email, time_zone, **user)
        return GoogleCalendar(
            account=email,
            refresh_token=token,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            api_base_url=google_emulator.api_base_url,
            token_uri=google_emulator.token_uri,
            retry=retry or RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock),
        )

    return make


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """Yield a receiver on 127.0.0.1 that records POSTs (its ``url`` ends /webhooks/google)."""
    with testing.webhook_receiver() as receiver:
        yield receiver
