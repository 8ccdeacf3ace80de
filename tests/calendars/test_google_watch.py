"""Watch channels, push notifications to a local receiver, stop, free/busy, focus blocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from emulator.google_calendar import Running
from emulator.testing import WebhookReceiver
from gatekeeper.calendars.google import GoogleCalendar, api_endpoint
from gatekeeper.domain import Interval

pytest_plugins = ["emulator.pytest_plugin"]

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


def test_watch_gets_a_sync_notification_then_one_per_change(
    google_calendar: Callable[..., GoogleCalendar],
    google_emulator: Running,
    webhook_receiver: WebhookReceiver,
) -> None:
    ann = google_calendar("ann@example.com")
    channel = ann.watch("chan-42", "secret-token", webhook_receiver.url, timedelta(hours=2))
    assert channel.id == "chan-42"
    assert channel.token == "secret-token"
    assert channel.resource_id
    assert channel.expiration is not None
    assert timedelta(minutes=119) < channel.expiration - datetime.now(UTC) <= timedelta(hours=2)
    sync = webhook_receiver.wait_for(1)[0].headers
    assert sync["X-Goog-Resource-State"] == "sync"
    assert sync["X-Goog-Channel-ID"] == "chan-42"
    assert sync["X-Goog-Channel-Token"] == "secret-token"
    assert sync["X-Goog-Resource-ID"] == channel.resource_id
    google_emulator.state.invite(
        "bob@example.com", ["ann@example.com"], "New", START, START + timedelta(hours=1)
    )
    change = webhook_receiver.wait_for(2)[1].headers
    assert (change["X-Goog-Resource-State"], change["X-Goog-Message-Number"]) == ("exists", "2")


def test_stop_channel_ends_notifications_and_is_idempotent(
    google_calendar: Callable[..., GoogleCalendar],
    google_emulator: Running,
    webhook_receiver: WebhookReceiver,
) -> None:
    ann = google_calendar("ann@example.com")
    channel = ann.watch("chan-1", None, webhook_receiver.url, timedelta(hours=1))
    webhook_receiver.wait_for(1)
    assert "X-Goog-Channel-Token" not in webhook_receiver.received[0].headers
    assert ann.stop_channel(channel.id, channel.resource_id) is True
    assert ann.stop_channel(channel.id, channel.resource_id) is False
    google_emulator.state.invite(
        "bob@example.com", ["ann@example.com"], "Unheard", START, START + timedelta(hours=1)
    )
    assert google_emulator.state.notifier.wait_idle()
    assert len(webhook_receiver.received) == 1


def test_free_busy_for_colleagues_and_none_for_the_unseen(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    ann = google_calendar("ann@example.com")
    state = google_emulator.state
    state.add_user("bob@example.com")
    state.add_user("zoe@partner.org")
    state.invite("bob@example.com", [], "Busy", START, START + timedelta(hours=1))
    found = ann.free_busy(
        ["Bob@example.com", "zoe@partner.org", "ann@example.com"],
        START - timedelta(hours=1),
        START + timedelta(hours=3),
    )
    assert found == {
        "bob@example.com": (Interval(START, START + timedelta(hours=1), "busy"),),
        "zoe@partner.org": None,
        "ann@example.com": (),
    }


def test_focus_block_is_focus_time_where_supported(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    ann = google_calendar("ann@example.com")
    made = ann.insert_focus_block(
        "Deep work",
        START,
        START + timedelta(hours=2),
        time_zone="UTC",
        recurrence=["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
        decline_message="In focus time; please propose another slot.",
    )
    assert made["eventType"] == "focusTime"
    assert made["focusTimeProperties"]["declineMessage"].startswith("In focus time")
    assert len(google_emulator.state.requests_to("POST", "/events")) == 1


def test_focus_block_falls_back_to_a_busy_event_when_refused(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    joe = google_calendar("joe@gmail.com", focus_time=False)
    made = joe.insert_focus_block("Deep work", START, START + timedelta(hours=2), time_zone="UTC")
    assert made["eventType"] == "default"
    assert made["transparency"] == "opaque"
    inserts = google_emulator.state.requests_to("POST", "/events")
    assert [r.body.get("eventType") for r in inserts] == ["focusTime", None]
    assert [r.status for r in inserts] == [400, 200]


def test_own_events_can_be_patched_with_etag_and_deleted(
    google_calendar: Callable[..., GoogleCalendar], google_emulator: Running
) -> None:
    ann = google_calendar("ann@example.com")
    made = ann.insert_event(
        {
            "summary": "Focus",
            "start": {"dateTime": START.isoformat()},
            "end": {"dateTime": (START + timedelta(hours=1)).isoformat()},
        }
    )
    changed = ann.patch_event(made["id"], {"summary": "Deep work"}, etag=made["etag"])
    assert changed["summary"] == "Deep work"
    assert google_emulator.state.requests_to("PATCH")[-1].headers["If-Match"] == made["etag"]
    ann.delete_event(made["id"])
    ann.delete_event(made["id"])  # already gone: fine
    assert google_emulator.state.event("ann@example.com", made["id"])["status"] == "cancelled"


def test_requests_land_under_calendar_v3_of_the_base_url() -> None:
    assert api_endpoint("http://127.0.0.1:8090") == "http://127.0.0.1:8090/calendar/v3/"
    assert api_endpoint("https://proxy.example.com/") == "https://proxy.example.com/calendar/v3/"
    assert api_endpoint("https://x.example.com/calendar/v3") == "https://x.example.com/calendar/v3/"
