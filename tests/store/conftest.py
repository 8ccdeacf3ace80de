"""Store fixtures: a migrated database (SQLite and PostgreSQL) and sample decisions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from gatekeeper.domain import Action, Decision, Interval
from gatekeeper.store import migrate
from gatekeeper.store.database import Database

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """Return a Database upgraded to the newest schema, on SQLite and on PostgreSQL."""
    db = Database(database_url)
    migrate.upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """Return a session on the migrated database, closed after the test."""
    with database.sessionmaker() as opened:
        yield opened


@pytest.fixture
def make_decision() -> Callable[..., Decision]:
    """Return a factory of Decisions with sensible defaults, overridable by keyword."""

    def make(**changes: Any) -> Decision:
        start = changes.pop("start", datetime(2024, 3, 5, 10, 0, tzinfo=BERLIN))
        values: dict[str, Any] = {
            "uid": "weekly-sync@example.com",
            "recurrence_id": None,
            "summary": "Weekly sync",
            "start": start,
            "end": start + timedelta(minutes=30),
            "action": Action.DECLINE,
            "rule": "no-agenda",
            "reasons": ("no agenda", "no pre-read"),
            "cost": 40.0,
            "currency": "EUR",
            "message": "Hi Ana, could you add an agenda?",
            "alternatives": (
                Interval(
                    datetime(2024, 3, 6, 14, 0, tzinfo=UTC),
                    datetime(2024, 3, 6, 14, 30, tzinfo=UTC),
                ),
            ),
            "organizer": "Ana@Example.com",
            "source_id": "evt123",
        }
        values.update(changes)
        return Decision(**values)

    return make
