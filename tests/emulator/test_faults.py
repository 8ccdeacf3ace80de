"""Injected errors and latency."""

from __future__ import annotations

import time
from collections.abc import Callable

from emulator.google_calendar import Running
from emulator.testing import Api, send

pytest_plugins = ["emulator.pytest_plugin"]


def test_queued_429_answers_with_retry_after_then_clears(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    google_emulator.state.inject(429, method="GET", path="*/events", times=2, retry_after=3)
    answers = [ann("GET", "/calendars/primary/events") for _ in range(3)]
    assert [a.status for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "3"
    assert answers[0].reason == "rateLimitExceeded"


def test_faults_match_only_their_method_and_path(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    google_emulator.state.inject(503, method="POST", path="/calendar/v3/freeBusy")
    assert ann("GET", "/calendars/primary/events").status == 200
    body = {"timeMin": "2031-01-01T00:00:00Z", "timeMax": "2031-01-02T00:00:00Z", "items": []}
    failed = ann("POST", "/freeBusy", body)
    assert (failed.status, failed.reason) == (503, "backendError")
    assert ann("POST", "/freeBusy", body).status == 200


def test_quota_403_reasons_come_in_googles_shape(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    google_emulator.state.inject(403, reason="userRateLimitExceeded")
    google_emulator.state.inject(403, reason="rateLimitExceeded")
    first = ann("GET", "/calendars/primary/events")
    second = ann("GET", "/calendars/primary/events")
    assert first.body["error"]["errors"][0] == {
        "domain": "usageLimits",
        "reason": "userRateLimitExceeded",
        "message": "User Rate Limit Exceeded",
    }
    assert (second.status, second.reason) == (403, "rateLimitExceeded")


def test_the_token_endpoint_can_fail_too(
    google_emulator: Running, google_user: Callable[..., str]
) -> None:
    refresh = google_user("ann@example.com")
    google_emulator.state.inject(500, path="/token")
    form = {"grant_type": "refresh_token", "refresh_token": refresh}
    assert send(google_emulator.token_uri, "POST", form=form).status == 500
    assert send(google_emulator.token_uri, "POST", form=form).status == 200


def test_latency_is_added_to_matching_requests_only(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    google_emulator.state.inject_latency(0.3, path="*/events", times=1)
    started = time.monotonic()
    ann("GET", "/calendars/primary/events")
    slow = time.monotonic() - started
    started = time.monotonic()
    ann("GET", "/calendars/primary/events")
    fast = time.monotonic() - started
    assert slow >= 0.3
    assert fast < 0.3
