"""The pure parts of sync: event versions and what a decision means on the calendar."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.domain import Action, Mode
from gatekeeper.sync.plan import answer_of, outcome_head, plan
from gatekeeper.sync.versions import event_version, own_response

GOOGLE_DATA = Path(__file__).resolve().parent.parent / "data" / "sync"


@pytest.fixture
def event() -> dict[str, Any]:
    """Return a realistic Google invite as the person's calendar lists it."""
    data: dict[str, Any] = json.loads((GOOGLE_DATA / "invite.json").read_text())
    return data


def _changed(event: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out = copy.deepcopy(event)
    out.update(fields)
    return out


def _answered(event: dict[str, Any], email: str, response: str, comment: str) -> dict[str, Any]:
    out = copy.deepcopy(event)
    for entry in out["attendees"]:
        if entry["email"] == email:
            entry["responseStatus"] = response
            entry["comment"] = comment
    return out


def test_answers_etags_and_personal_fields_do_not_change_the_version(
    event: dict[str, Any],
) -> None:
    version = event_version(event)
    ours = _answered(event, "ann@example.com", "declined", "no agenda")
    theirs = _answered(ours, "dan@example.com", "accepted", "")
    personal = _changed(
        theirs,
        etag='"999"',
        updated="2031-01-01T00:00:00.000Z",
        reminders={"useDefault": False},
        colorId="5",
        extendedProperties={"private": {"gatekeeper": "flagged"}},
    )
    assert event_version(ours) == event_version(theirs) == event_version(personal) == version


@pytest.mark.parametrize(
    "change",
    [
        {"description": "Agenda: 1. budget"},
        {"summary": "Budget chat (moved)"},
        {"start": {"dateTime": "2031-03-04T10:00:00+01:00", "timeZone": "Europe/Berlin"}},
        {"location": "Room 4"},
        {"attachments": [{"fileUrl": "https://docs.google.com/document/d/x", "title": "Pre-read"}]},
        {"recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"]},
    ],
    ids=["agenda", "title", "time", "room", "attachment", "recurrence"],
)
def test_what_the_organizer_changes_makes_a_new_version(
    event: dict[str, Any], change: dict[str, Any]
) -> None:
    assert event_version(_changed(event, **change)) != event_version(event)


def test_a_new_guest_is_a_new_version(event: dict[str, Any]) -> None:
    more = copy.deepcopy(event)
    more["attendees"].append({"email": "zoe@example.com", "responseStatus": "needsAction"})
    assert event_version(more) != event_version(event)


def test_own_response(event: dict[str, Any]) -> None:
    assert own_response(event, "ANN@example.com") == "needsAction"
    assert own_response(
        _answered(event, "ann@example.com", "declined", "x"), "ann@example.com"
    ) == ("declined")
    assert own_response(event, "nobody@example.com") is None


@pytest.mark.parametrize(
    ("action", "mode", "ours", "current", "outcome", "response"),
    [
        (Action.DECLINE, Mode.ENFORCE, None, "needsAction", "declined", "declined"),
        (Action.TENTATIVE, Mode.ENFORCE, None, "needsAction", "answered tentative", "tentative"),
        (Action.DECLINE, Mode.DRY_RUN, None, "needsAction", "recorded only (dry-run)", None),
        (
            Action.DECLINE,
            Mode.ENFORCE,
            None,
            "declined",
            "declined (the answer was already on the calendar)",
            None,
        ),
        (
            Action.DECLINE,
            Mode.ENFORCE,
            "declined",
            "declined",
            "still declined (no second reply)",
            None,
        ),
        (Action.NONE, Mode.ENFORCE, "declined", "declined", "decline withdrawn", "needsAction"),
        (Action.NONE, Mode.ENFORCE, "tentative", "tentative", "tentative withdrawn", "needsAction"),
        (
            Action.FLAG,
            Mode.ENFORCE,
            "declined",
            "declined",
            "decline withdrawn; flagged",
            "needsAction",
        ),
        (Action.NONE, Mode.ENFORCE, "declined", "accepted", "nothing to do", None),
        (
            Action.DECLINE,
            Mode.ENFORCE,
            "declined",
            "accepted",
            "not carried out: you changed the answer to accepted yourself",
            None,
        ),
        (
            Action.DECLINE,
            Mode.ENFORCE,
            None,
            "accepted",
            "not carried out: you already answered accepted",
            None,
        ),
        (
            Action.DECLINE,
            Mode.ENFORCE,
            None,
            None,
            "not carried out: you are no longer on the guest list",
            None,
        ),
        (
            Action.DECLINE,
            Mode.FLAG,
            None,
            "needsAction",
            "flagged (flag mode: declines become flags)",
            None,
        ),
        (Action.ACCEPT, Mode.FLAG, None, "needsAction", "nothing to do", None),
        (Action.NONE, Mode.ENFORCE, None, "needsAction", "nothing to do", None),
    ],
)
def test_plan(
    action: Action,
    mode: Mode,
    ours: str | None,
    current: str | None,
    outcome: str,
    response: str | None,
) -> None:
    step = plan(action, mode, "the message", ours=ours, current=current)
    assert step.outcome == outcome
    assert step.response == response
    if response == "declined":
        assert step.comment == "the message"
    if response == "needsAction":
        assert step.comment is None  # the withdrawal removes the old comment


@pytest.mark.parametrize(
    ("outcome", "answer"),
    [
        ("declined", "declined"),
        ("declined (the answer was already on the calendar)", "declined"),
        ("still declined (no second reply)", "declined"),
        ("answered tentative", "tentative"),
        ("decline withdrawn", "needsAction"),
        ("decline withdrawn; flagged", "needsAction"),
        ("flagged (marked on your calendar)", None),
        ("not carried out: you already answered accepted", None),
        ("recorded only (dry-run)", None),
        (None, None),
    ],
)
def test_the_log_remembers_which_answer_is_ours(outcome: str | None, answer: str | None) -> None:
    assert answer_of(outcome) == answer


def test_outcome_head() -> None:
    assert outcome_head("declined (the answer was already on the calendar)") == "declined"
    assert outcome_head("not carried out: x") == "not carried out"
