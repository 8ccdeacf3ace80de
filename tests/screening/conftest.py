"""Fixtures for the screening tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.screening.facts import Facts

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def rules_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from tests/data/rules, so rule paths in messages are short and relative."""
    monkeypatch.chdir(DATA / "rules")
    return DATA / "rules"


@pytest.fixture
def make_facts() -> Callable[..., Facts]:
    """Return a Facts builder: a plain, acceptable invite unless told otherwise."""

    def build(**changes: Any) -> Facts:
        values: dict[str, Any] = {
            "has_agenda": True,
            "has_preread": True,
            "organizer": "ana@example.com",
            "organizer_internal": True,
            "attendee_count": 3,
            "duration_minutes": 30.0,
            "starts_in_hours": 48.0,
            "title": "Roadmap review",
            "recurring": False,
            "focus_conflict": False,
            "outside_working_hours": False,
            "allow_listed": False,
            "escalation": "none",
        }
        values.update(changes)
        return Facts(**values)

    return build
