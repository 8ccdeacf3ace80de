"""Fixtures shared by the account, channel, webhook and CLI tests: an app wired to the emulator.

Test modules enable the emulator plugin (``pytest_plugins = ["emulator.pytest_plugin"]``)
and import the fixtures they need from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from emulator.google_calendar import Running
from emulator.testing import CLIENT_ID, CLIENT_SECRET, FakeTime, WebhookReceiver
from gatekeeper.accounts.google import RETRY_POLICY_KEY
from gatekeeper.calendars.google import RetryPolicy

WEBHOOK_PATH = "/webhooks/google"


@pytest.fixture
def google_env(
    app_env: dict[str, str], google_emulator: Running, webhook_receiver: WebhookReceiver
) -> dict[str, str]:
    """Return the app environment with Google on, pointed at the emulator.

    PUBLIC_BASE_URL is the webhook receiver's, so the notifications the emulator sends
    are recorded there (tests replay them to the app).
    """
    assert webhook_receiver.url.endswith(WEBHOOK_PATH)
    return {
        **app_env,
        "GOOGLE_CLIENT_ID": CLIENT_ID,
        "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
        "GOOGLE_API_BASE_URL": google_emulator.api_base_url,
        "GOOGLE_TOKEN_URI": google_emulator.token_uri,
        "PUBLIC_BASE_URL": webhook_receiver.url[: -len(WEBHOOK_PATH)],
    }


def retry_policy(fake_time: FakeTime) -> RetryPolicy:
    """Return the adapter's retry policy sleeping on the fake clock."""
    return RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)


@pytest.fixture
def google_app(google_env: dict[str, str], fake_time: FakeTime) -> Iterator[Any]:
    """Return an app (SQLite, inline jobs) whose Google adapters talk to the emulator."""
    from gatekeeper import create_app, get_db, get_queue

    app = create_app({**google_env, "TESTING": True, RETRY_POLICY_KEY: retry_policy(fake_time)})
    yield app
    get_db(app).dispose()
    get_queue(app).close()


@pytest.fixture
def connect(google_app: Any, google_user: Callable[..., str]) -> Callable[..., int]:
    """Return ``connect(email, mode="enforce") -> account id``: an emulator user, connected."""
    from gatekeeper.accounts.service import connect_google

    def make(email: str, mode: str = "enforce", **user: Any) -> int:
        token = google_user(email, **user)
        return connect_google(google_app, email, token, mode).account_id

    return make


@pytest.fixture
def make_app(google_env: dict[str, str], fake_time: FakeTime) -> Iterator[Callable[..., Any]]:
    """Return ``make(**env)``: an emulator-backed app with extra settings (closed afterwards)."""
    from gatekeeper import create_app, get_db, get_queue

    made: list[Any] = []

    def make(**env: str) -> Any:
        app = create_app(
            {**google_env, **env, "TESTING": True, RETRY_POLICY_KEY: retry_policy(fake_time)}
        )
        made.append(app)
        return app

    yield make
    for app in made:
        get_db(app).dispose()
        get_queue(app).close()
