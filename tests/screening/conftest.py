"""Fixtures for the screening tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from gatekeeper.domain import Attachment, Invite
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


# The agenda and pre-read corpus: tests/data/invites/*.yaml, one realistic invite per entry.
INVITES = DATA / "invites"
_CASE_KEYS = {
    "id", "summary", "description", "location", "attachments", "conference_urls",
    "expected", "why", "pad_lines",
}  # fmt: skip
# Appended "pad_lines" times to a description: a log paste that makes an invite huge.
_PAD_LINE = "2024-06-01T12:00:00Z INFO orders-api request_id=7f3a path=/v1/orders status=200\n"


def _invite_from_case(case: dict[str, Any]) -> Invite:
    description = case.get("description") or ""
    description += _PAD_LINE * int(case.get("pad_lines", 0))
    attachments = tuple(
        Attachment(url=a["url"], title=a.get("title"), mime_type=a.get("mime_type"))
        for a in case.get("attachments", ())
    )
    start = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    return Invite(
        uid=case["id"],
        summary=case["summary"],
        start=start,
        end=start + timedelta(minutes=30),
        description=description,
        location=case.get("location") or "",
        attachments=attachments,
        conference_urls=tuple(case.get("conference_urls", ())),
    )


def load_invite_cases() -> list[dict[str, Any]]:
    """Return every corpus case, each with its source file and the Invite built from it."""
    cases: list[dict[str, Any]] = []
    for path in sorted(INVITES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            unknown = set(case) - _CASE_KEYS
            assert not unknown, f"{path.name}: {case.get('id')}: unknown keys {sorted(unknown)}"
            assert set(case["expected"]) == {"agenda", "preread"}, f"{path.name}: {case['id']}"
            cases.append({**case, "file": path.name, "invite": _invite_from_case(case)})
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids)), "corpus ids must be unique"
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test that asks for ``invite_case`` once per corpus entry."""
    if "invite_case" in metafunc.fixturenames:
        cases = load_invite_cases()
        metafunc.parametrize("invite_case", cases, ids=[case["id"] for case in cases])


@pytest.fixture(scope="session")
def invite_corpus() -> list[dict[str, Any]]:
    """Return the whole agenda and pre-read corpus."""
    return load_invite_cases()


@pytest.fixture
def make_invite() -> Callable[..., Invite]:
    """Return an Invite builder: a 30-minute invite with the given text fields."""

    def build(description: str = "", summary: str = "Meeting", **fields: Any) -> Invite:
        start = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
        values: dict[str, Any] = {
            "uid": "test",
            "summary": summary,
            "start": start,
            "end": start + timedelta(minutes=30),
            "description": description,
        }
        values.update(fields)
        return Invite(**values)

    return build
