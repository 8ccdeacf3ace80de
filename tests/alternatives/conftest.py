"""Fixtures for the alternative-slot tests: Pat's working hours and week in Berlin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatekeeper.calendars.ics import IcsCalendar, read_ics
from gatekeeper.domain import WorkingHours

BERLIN = ZoneInfo("Europe/Berlin")
ICS = Path(__file__).resolve().parents[1] / "data" / "ics"


@pytest.fixture
def office() -> WorkingHours:
    """Monday to Friday, 09:00-17:00, Europe/Berlin."""
    return WorkingHours("Europe/Berlin", (0, 1, 2, 3, 4), time(9), time(17))


@pytest.fixture
def berlin() -> Callable[..., datetime]:
    """Return a builder of November 2026 times in Berlin: berlin(day, hour, minute=0)."""

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)

    return at


@pytest.fixture(scope="session")
def pat_week() -> IcsCalendar:
    """Pat's calendar for the week of Monday 23 November 2026."""
    return read_ics(ICS / "pat_week_2026_11_23.ics")
