"""Fixtures for the calendar adapters: every .ics file under tests/data/ics is one."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from gatekeeper.calendars.ics import IcsCalendar, read_ics

ICS_DIR = Path(__file__).resolve().parent.parent / "data" / "ics"


@pytest.fixture
def ics_path() -> Callable[[str], Path]:
    """Return the path of a named .ics fixture, failing clearly when it is missing."""

    def path(name: str) -> Path:
        found = ICS_DIR / name
        assert found.is_file(), f"missing fixture {found}"
        return found

    return path


@pytest.fixture
def ics(ics_path: Callable[[str], Path]) -> Callable[..., IcsCalendar]:
    """Return a loader of named .ics fixtures."""

    def load(name: str, **kwargs: str) -> IcsCalendar:
        return read_ics(ics_path(name), **kwargs)

    return load


@pytest.fixture
def big_calendar(tmp_path: Path) -> Callable[[int], Path]:
    """Return a writer of a varied calendar of N VEVENTs (2 % of them weekly series)."""

    def write(count: int) -> Path:
        path = tmp_path / f"big-{count}.ics"
        _write_big_calendar(path, count)
        return path

    return write


def _write_big_calendar(path: Path, count: int) -> None:
    rng = random.Random(20261123)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Gatekeeper tests//Big calendar//EN",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    base = datetime(2026, 1, 5, 8, 0)
    for n in range(count):
        start = base + timedelta(days=rng.randrange(360), minutes=15 * rng.randrange(40))
        end = start + timedelta(minutes=30 * rng.randrange(1, 5))
        guests = rng.randrange(1, 9)
        lines += [
            "BEGIN:VEVENT",
            f"UID:big-{n}@example.com",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Berlin:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:Meeting {n}",
            "DESCRIPTION:Agenda:\\n1. Status\\n2. Risks\\nhttps://docs.example.com/d/" + str(n),
            f"ORGANIZER;CN=Organizer {n % 50}:mailto:org{n % 50}@example.com",
        ]
        lines += [
            f"ATTENDEE;CN=Guest {g};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:guest{g}@example.com"
            for g in range(guests)
        ]
        if n % 50 == 0:
            lines.append("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=20")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
