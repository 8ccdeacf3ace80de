"""freeBusy.query: merged busy time, and only for calendars the caller may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from emulator.google_calendar import Running
from emulator.testing import Api

pytest_plugins = ["emulator.pytest_plugin"]

DAY = datetime(2031, 3, 3, tzinfo=UTC)


def test_free_busy_merges_overlaps_and_skips_free_declined_and_cancelled(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    state = google_emulator.state
    state.add_user("bob@example.com")
    at = DAY.replace(hour=9)
    state.invite("ann@example.com", [], "Own", at, at + timedelta(hours=1))
    state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Overlap",
        at + timedelta(minutes=30),
        at + timedelta(hours=2),
    )
    declined = state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Declined",
        at + timedelta(hours=4),
        at + timedelta(hours=5),
    )
    state.respond_as("ann@example.com", declined, "declined")
    state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Free",
        at + timedelta(hours=6),
        at + timedelta(hours=7),
        transparency="transparent",
    )
    gone = state.invite(
        "bob@example.com",
        ["ann@example.com"],
        "Gone",
        at + timedelta(hours=8),
        at + timedelta(hours=9),
    )
    state.cancel_invite(gone)
    answer = ann(
        "POST",
        "/freeBusy",
        {
            "timeMin": "2031-03-03T00:00:00Z",
            "timeMax": "2031-03-04T00:00:00Z",
            "items": [{"id": "primary"}],
        },
    )
    assert answer.body["calendars"]["primary"]["busy"] == [
        {"start": "2031-03-03T09:00:00Z", "end": "2031-03-03T11:00:00Z"}
    ]


def test_free_busy_of_others_only_within_the_domain_or_when_shared(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    state = google_emulator.state
    for email in ("bob@example.com", "zoe@partner.org"):
        state.add_user(email)
        state.invite(email, [], "Busy", DAY.replace(hour=13), DAY.replace(hour=14))
    body = {
        "timeMin": "2031-03-03T00:00:00Z",
        "timeMax": "2031-03-04T00:00:00Z",
        "items": [{"id": "bob@example.com"}, {"id": "zoe@partner.org"}, {"id": "x@nowhere.io"}],
    }
    calendars = ann("POST", "/freeBusy", body).body["calendars"]
    assert calendars["bob@example.com"]["busy"] == [
        {"start": "2031-03-03T13:00:00Z", "end": "2031-03-03T14:00:00Z"}
    ]
    for hidden in ("zoe@partner.org", "x@nowhere.io"):
        assert calendars[hidden]["errors"] == [{"domain": "global", "reason": "notFound"}]
    state.share_free_busy("zoe@partner.org", "ann@example.com")
    shared = ann("POST", "/freeBusy", body).body["calendars"]["zoe@partner.org"]
    assert "errors" not in shared and len(shared["busy"]) == 1


def test_free_busy_expands_series(google_emulator: Running, google_api: Callable[..., Api]) -> None:
    ann = google_api("ann@example.com")
    google_emulator.state.invite(
        "ann@example.com",
        [],
        "Daily",
        DAY.replace(hour=8),
        DAY.replace(hour=8, minute=30),
        recurrence=["RRULE:FREQ=DAILY"],
    )
    body = {
        "timeMin": "2031-03-03T00:00:00Z",
        "timeMax": "2031-03-06T00:00:00Z",
        "items": [{"id": "ann@example.com"}],
    }
    busy = ann("POST", "/freeBusy", body).body["calendars"]["ann@example.com"]["busy"]
    assert [b["start"] for b in busy] == [f"2031-03-0{d}T08:00:00Z" for d in (3, 4, 5)]
