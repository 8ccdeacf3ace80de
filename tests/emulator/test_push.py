"""events.watch, push notifications (on, duplicated, out of order) and channels.stop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from emulator.google_calendar import PushMode, Running
from emulator.testing import Api, WebhookReceiver

pytest_plugins = ["emulator.pytest_plugin"]

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


def _watch(ann: Api, receiver: WebhookReceiver, channel: str = "chan-1", **extra: object) -> dict:
    body = {"id": channel, "type": "web_hook", "address": receiver.url, "token": "t0k", **extra}
    answer = ann("POST", "/calendars/primary/events/watch", body)
    assert answer.status == 200, answer.body
    return dict(answer.body)


def _invite(running: Running, summary: str) -> str:
    return running.state.invite(
        "bob@example.com", ["ann@example.com"], summary, START, START + timedelta(hours=1)
    )


def test_watch_posts_sync_then_exists_with_googles_headers(
    google_emulator: Running, google_api: Callable[..., Api], webhook_receiver: WebhookReceiver
) -> None:
    ann = google_api("ann@example.com")
    channel = _watch(ann, webhook_receiver, params={"ttl": "3600"})
    assert channel["kind"] == "api#channel"
    assert channel["token"] == "t0k"
    assert channel["resourceUri"].endswith("/calendar/v3/calendars/ann@example.com/events?alt=json")
    expires = datetime.fromtimestamp(int(channel["expiration"]) / 1000, UTC)
    assert timedelta(minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=1)
    _invite(google_emulator, "Planning")
    got = webhook_receiver.wait_for(2)
    assert [n.headers["X-Goog-Resource-State"] for n in got] == ["sync", "exists"]
    assert [n.headers["X-Goog-Message-Number"] for n in got] == ["1", "2"]
    first = got[0].headers
    assert first["X-Goog-Channel-ID"] == "chan-1"
    assert first["X-Goog-Channel-Token"] == "t0k"
    assert first["X-Goog-Resource-ID"] == channel["resourceId"]
    assert first["X-Goog-Resource-URI"] == channel["resourceUri"]
    assert first["X-Goog-Channel-Expiration"].endswith(" GMT")
    assert got[0].path == "/webhooks/google"
    assert got[1].body == b""


def test_stop_ends_notifications_and_unknown_channels_are_404(
    google_emulator: Running, google_api: Callable[..., Api], webhook_receiver: WebhookReceiver
) -> None:
    ann = google_api("ann@example.com")
    channel = _watch(ann, webhook_receiver)
    webhook_receiver.wait_for(1)
    stop = {"id": "chan-1", "resourceId": channel["resourceId"]}
    assert ann("POST", "/channels/stop", stop).status == 204
    assert ann("POST", "/channels/stop", stop).status == 404
    _invite(google_emulator, "After stop")
    assert google_emulator.state.notifier.wait_idle()
    assert len(webhook_receiver.received) == 1


def test_expired_channels_go_quiet(
    google_emulator: Running, google_api: Callable[..., Api], webhook_receiver: WebhookReceiver
) -> None:
    ann = google_api("ann@example.com")
    _watch(ann, webhook_receiver, params={"ttl": "60"})
    webhook_receiver.wait_for(1)
    google_emulator.state.advance(timedelta(minutes=2))
    _invite(google_emulator, "Too late")
    assert google_emulator.state.notifier.wait_idle()
    assert len(webhook_receiver.received) == 1
    assert "chan-1" not in google_emulator.state.notifier.channels


@pytest.mark.parametrize(
    ("mode", "numbers"),
    [(PushMode.DUPLICATED, ["1", "1", "2", "2"]), (PushMode.OUT_OF_ORDER, ["2", "1", "3"])],
)
def test_duplicated_and_out_of_order_delivery(
    google_emulator: Running,
    google_api: Callable[..., Api],
    webhook_receiver: WebhookReceiver,
    mode: PushMode,
    numbers: list[str],
) -> None:
    ann = google_api("ann@example.com")
    google_emulator.state.push_mode = mode
    _watch(ann, webhook_receiver)
    _invite(google_emulator, "One")
    if mode is PushMode.OUT_OF_ORDER:
        _invite(google_emulator, "Two")
    got = webhook_receiver.wait_for(len(numbers))
    assert [n.headers["X-Goog-Message-Number"] for n in got] == numbers


def test_push_off_sends_nothing(
    google_emulator: Running, google_api: Callable[..., Api], webhook_receiver: WebhookReceiver
) -> None:
    ann = google_api("ann@example.com")
    google_emulator.state.push_mode = "off"
    _watch(ann, webhook_receiver)
    _invite(google_emulator, "Quiet")
    assert google_emulator.state.notifier.wait_idle()
    assert webhook_receiver.received == []


def test_receiver_refusals_are_recorded(
    google_emulator: Running, google_api: Callable[..., Api], webhook_receiver: WebhookReceiver
) -> None:
    ann = google_api("ann@example.com")
    webhook_receiver.status = 503
    _watch(ann, webhook_receiver)
    assert google_emulator.state.notifier.wait_idle()
    assert [(d.state, d.status) for d in google_emulator.state.deliveries] == [("sync", 503)]


def test_watch_validates_the_channel(google_api: Callable[..., Api]) -> None:
    ann = google_api("ann@example.com")
    wrong_type = ann(
        "POST",
        "/calendars/primary/events/watch",
        {"id": "c", "type": "carrier_pigeon", "address": "http://x"},
    )
    assert wrong_type.status == 400
    no_address = ann("POST", "/calendars/primary/events/watch", {"id": "c", "type": "web_hook"})
    assert (no_address.status, no_address.reason) == (400, "required")
