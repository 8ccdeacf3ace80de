"""Fixtures for the calendar adapters: every .ics file under tests/data/ics is one."""

from __future__ import annotations

from collections.abc import Callable
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
