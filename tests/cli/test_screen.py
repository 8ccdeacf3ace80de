"""The ``screen`` command end to end on the sample week, in-process and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from gatekeeper.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-week.ics"
MAYA = "maya@acme.example"
NOW = "2026-11-23T08:00:00+01:00"
KEYS = {
    "uid",
    "recurrence_id",
    "summary",
    "start",
    "end",
    "action",
    "rule",
    "reasons",
    "has_agenda",
    "has_preread",
    "focus_conflict",
    "cost",
    "message",
    "alternatives",
}


@pytest.fixture(scope="module")
def sample_lines() -> list[dict[str, object]]:
    """Screen the sample week once, as a real process, and parse its JSON Lines."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gatekeeper",
            "screen",
            str(SAMPLE),
            "--as",
            MAYA,
            "--format",
            "json",
            "--now",
            NOW,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [json.loads(line) for line in done.stdout.splitlines()]


def by_summary(
    lines: list[dict[str, object]], summary: str, *, instance: bool = False
) -> dict[str, object]:
    found = [
        line
        for line in lines
        if line["summary"] == summary and (line["recurrence_id"] is not None) == instance
    ]
    assert len(found) == 1, (summary, found)
    return found[0]


def test_every_line_has_the_documented_fields(sample_lines: list[dict[str, object]]) -> None:
    assert sample_lines
    for line in sample_lines:
        assert set(line) >= KEYS
        assert line["action"] in {"none", "flag", "decline", "tentative", "accept"}
        assert isinstance(line["reasons"], list) and line["reasons"]
        for key in ("start", "end"):
            assert datetime.fromisoformat(str(line[key])).tzinfo is not None, line[key]


@pytest.mark.parametrize(
    ("summary", "action", "rule"),
    [
        ("Q1 roadmap review", "none", None),
        ("Quick sync", "decline", "no-agenda"),
        ("Budget discussion", "decline", "no-agenda"),
        ("Intro: Growthly x Acme", "decline", "no-agenda"),
        ("Northwind × Acme: integration demo", "decline", "focus-conflict"),
        ("[urgent] Payments outage follow-up", "none", "urgent-escalation"),
        ("Platform team planning", "flag", "large-without-preread"),
        ("Design review: checkout v3", "flag", "outside-working-hours"),
        ("Abstimmung Lieferantenvertrag", "none", None),
        ("Team standup", "none", None),
        ("Hiring loop debrief", "none", None),
        ("Team offsite (Leipzig)", "none", None),
        ("Sprint retro", "none", None),
        ("Coffee chat", "none", None),
    ],
)
def test_sample_week_decisions(sample_lines, summary, action, rule) -> None:
    line = by_summary(sample_lines, summary)
    assert (line["action"], line["rule"]) == (action, rule), line["reasons"]


def test_decline_for_missing_plan_says_what_is_missing_and_offers_the_doc(sample_lines) -> None:
    line = by_summary(sample_lines, "Quick sync")
    message = str(line["message"])
    assert line["has_agenda"] is False and line["has_preread"] is False
    assert "agenda" in message.lower()
    assert "doc" in message.lower()
    assert "Tom Becker" in message
    assert line["alternatives"] == []


def test_focus_conflict_offers_three_alternatives_in_the_message(sample_lines) -> None:
    line = by_summary(sample_lines, "Northwind × Acme: integration demo")
    assert line["focus_conflict"] is True
    alternatives = line["alternatives"]
    assert isinstance(alternatives, list) and len(alternatives) == 3
    message = str(line["message"])
    assert "Deep work" in message
    assert "Europe/Berlin" in message
    for slot in alternatives:
        assert slot["start"] > NOW


def test_a_series_is_kept_when_only_its_moved_instance_collides(sample_lines) -> None:
    series = by_summary(sample_lines, "Maya / Jonas 1:1")
    assert series["action"] == "none"
    assert series["focus_conflict"] is False
    moved = by_summary(sample_lines, "Maya / Jonas 1:1", instance=True)
    assert moved["action"] == "decline"
    assert moved["focus_conflict"] is True
    assert str(moved["recurrence_id"]).startswith("2026-11-26T11:30:00")
    assert "only this occurrence" in str(moved["message"])


def test_table_output_lists_decisions_and_replies(capsys) -> None:
    assert main(["screen", str(SAMPLE), "--as", MAYA, "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "decline" in out and "no-agenda" in out
    assert "--- reply for 'Quick sync' ---" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("hello, not a calendar\n", "not an iCalendar file"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026XX\r\n", ""),
    ],
    ids=["missing", "not-calendar", "broken"],
)
def test_unreadable_input_exits_2_with_one_line(tmp_path, content, expected) -> None:
    target = tmp_path / "input.ics"
    if content is not None:
        target.write_text(content)
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper", "screen", str(target), "--as", MAYA],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(target) in lines[0]
    assert expected in lines[0]


def test_bad_now_is_reported(capsys) -> None:
    assert main(["screen", str(SAMPLE), "--as", MAYA, "--now", "yesterday"]) == 2
    assert "--now" in capsys.readouterr().err
