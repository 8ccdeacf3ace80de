"""Fixtures and helpers for the sync, job and focus-block tests: an app wired to the emulator.

Test modules enable the emulator plugin (``pytest_plugins = ["emulator.pytest_plugin"]``)
and get these fixtures through their directory's conftest.py (or import them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from emulator.google_calendar import Running, State
from emulator.google_calendar.state import RecordedRequest
from emulator.testing import CLIENT_ID, CLIENT_SECRET, FakeTime
from gatekeeper.accounts.google import RETRY_POLICY_KEY
from gatekeeper.calendars.google import RetryPolicy

PERSON = "ann@example.com"
ORGANIZER = "bob@example.com"
ZONE = "Europe/Berlin"
GUESTS = ["dan@example.com", "eve@partner.org"]
AGENDA = "Agenda:\n1. Review the Q3 numbers\n2. Decide on the hiring plan\n3. Agree on next steps"


def weekday_at(days_ahead: int, hour: int, minute: int = 0, zone: str = ZONE) -> datetime:
    """Return the first weekday at least ``days_ahead`` days from now, at hour:minute local."""
    tz = ZoneInfo(zone)
    day = datetime.now(tz).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def answers(state: State, event_id: str | None = None) -> list[RecordedRequest]:
    """Return the successful PATCHes that changed attendees (answers), of one event or all."""
    return [
        r
        for r in state.requests_to("PATCH", f"/events/{event_id}" if event_id else "/events/")
        if r.status == 200 and isinstance(r.body, dict) and "attendees" in r.body
    ]


def entry(state: State, owner: str, event_id: str, email: str = PERSON) -> dict[str, Any]:
    """Return ``email``'s attendee entry on ``owner``'s copy of an event."""
    event = state.event(owner, event_id)
    found = [a for a in event.get("attendees") or [] if a["email"].lower() == email]
    assert found, f"{email} is not on event {event_id}"
    return {k: v for k, v in found[0].items() if k != "self"}


@dataclass
class Person:
    """A connected Google account and ways to look at what Gatekeeper did for it."""

    app: Any
    state: State
    account_id: int
    email: str

    def sync(self, **options: Any) -> Any:
        """Run one sync of the account (gatekeeper.sync.service.sync_account)."""
        from gatekeeper.sync.service import sync_account

        return sync_account(self.app, self.account_id, **options)

    def records(self) -> list[Any]:
        """Return the account's decision log, oldest first."""
        from sqlalchemy import select

        from gatekeeper import get_db
        from gatekeeper.store.models import DecisionRecord

        with get_db(self.app).session() as session:
            return list(
                session.scalars(
                    select(DecisionRecord)
                    .where(DecisionRecord.account_id == self.account_id)
                    .order_by(DecisionRecord.id)
                )
            )

    def mine(self, event_id: str) -> dict[str, Any]:
        """Return the person's own attendee entry on the organizer's copy of an event."""
        return entry(self.state, ORGANIZER, event_id, self.email)

    def invite(
        self,
        summary: str,
        start: datetime,
        minutes: int = 60,
        *,
        description: str = AGENDA,
        guests: list[str] | None = None,
        **fields: Any,
    ) -> str:
        """Invite the person (and others) to a meeting organized by ORGANIZER; return its id."""
        people = [self.email, *(GUESTS if guests is None else guests)]
        return self.state.invite(
            ORGANIZER,
            people,
            summary,
            start,
            start + timedelta(minutes=minutes),
            description=description,
            time_zone=ZONE,
            organizer_name="Bob Organizer",
            **fields,
        )

    def focus(self, start: datetime, minutes: int = 120, summary: str = "Deep work") -> str:
        """Put one of the person's own focus events on their calendar; return its id."""
        body = {
            "summary": summary,
            "start": {"dateTime": start.isoformat(), "timeZone": ZONE},
            "end": {"dateTime": (start + timedelta(minutes=minutes)).isoformat(), "timeZone": ZONE},
        }
        return str(self.state.create_event(self.email, body)["id"])


def retry_policy(fake_time: FakeTime) -> RetryPolicy:
    """Return the adapter's retry policy sleeping on the fake clock."""
    return RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)


def google_env(app_env: dict[str, str], emulator: Running, database_url: str) -> dict[str, str]:
    """Return the app environment with Google on, pointed at the emulator."""
    if not database_url.startswith("sqlite"):
        from gatekeeper.store import migrate
        from gatekeeper.store.database import Database

        database = Database(database_url)
        migrate.upgrade(database)  # the app upgrades only SQLite by itself
        database.dispose()
    return {
        **app_env,
        "DATABASE_URL": database_url,
        "GOOGLE_CLIENT_ID": CLIENT_ID,
        "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
        "GOOGLE_API_BASE_URL": emulator.api_base_url,
        "GOOGLE_TOKEN_URI": emulator.token_uri,
    }


def make_app(env: dict[str, str], fake_time: FakeTime) -> Any:
    """Return an app for ``env`` whose adapter retries sleep on the fake clock."""
    from gatekeeper import create_app

    return create_app({**env, "TESTING": True, RETRY_POLICY_KEY: retry_policy(fake_time)})


def close_app(app: Any) -> None:
    """Release the app's database and queue connections."""
    from gatekeeper import get_db, get_queue

    get_db(app).dispose()
    get_queue(app).close()


def person_factory(app: Any, emulator: Running) -> Callable[..., Person]:
    """Return ``make(mode="enforce", email=PERSON, ...)``: an emulator user, connected."""
    from gatekeeper.accounts.service import connect_google

    def make(
        mode: str = "enforce",
        email: str = PERSON,
        *,
        time_zone: str = ZONE,
        focus_time: bool = True,
        name: str | None = "Ann Example",
    ) -> Person:
        state = emulator.state
        token = f"refresh-{email.split('@')[0]}"
        state.add_user(
            email, refresh_token=token, time_zone=time_zone, focus_time=focus_time, name=name
        )
        state.add_user(ORGANIZER, refresh_token="refresh-organizer", time_zone=ZONE)
        account_id = connect_google(app, email, token, mode).account_id
        return Person(app, state, account_id, email)

    return make


@pytest.fixture
def sync_database_url(app_env: dict[str, str]) -> str:
    """Return the database the sync app uses (override to run on PostgreSQL)."""
    return app_env["DATABASE_URL"]


@pytest.fixture
def sync_env(
    app_env: dict[str, str], google_emulator: Running, sync_database_url: str
) -> dict[str, str]:
    """Return the app environment with Google on, pointed at the emulator."""
    return google_env(app_env, google_emulator, sync_database_url)


@pytest.fixture
def sync_app(sync_env: dict[str, str], fake_time: FakeTime) -> Iterator[Any]:
    """Return an app (SQLite, inline jobs) whose Google adapters talk to the emulator."""
    app = make_app(sync_env, fake_time)
    yield app
    close_app(app)


@pytest.fixture
def person(sync_app: Any, google_emulator: Running) -> Callable[..., Person]:
    """Return ``make(mode="enforce", email=PERSON, ...)``: an emulator user, connected."""
    return person_factory(sync_app, google_emulator)
