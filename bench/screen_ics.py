"""`screen` on a 10,000-event .ics against icalendar's own parse of the same file."""

from __future__ import annotations

import io
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import icalendar

from bench.generate import PERSON, ics_text, invites
from gatekeeper.calendars.ics import read_ics
from gatekeeper.cli.screen import write_json
from gatekeeper.screening.calendar import screen_calendar
from gatekeeper.screening.engine import Context
from gatekeeper.screening.policy import Policy

COUNT = 10_000
TARGET_RATIO = 2.0


def _best(func, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    """Print parse-only and full-screen times and their ratio."""
    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.ics"
        path.write_text(ics_text(invites(COUNT, now=now)), encoding="utf-8")
        policy = Policy.default()

        def parse_only() -> None:
            icalendar.Calendar.from_ical(path.read_bytes())

        def screen() -> None:
            calendar = read_ics(path)
            ctx = Context(person_email=PERSON, now=now)
            write_json(screen_calendar(calendar, policy, ctx), io.StringIO())

        baseline = _best(parse_only)
        full = _best(screen)
    ratio = full / baseline
    print(
        f"screen: {COUNT} events: icalendar parse {baseline * 1000:.0f} ms, "
        f"full screen {full * 1000:.0f} ms, ratio {ratio:.2f} (target <= {TARGET_RATIO}) "
        f"{'OK' if ratio <= TARGET_RATIO else 'ABOVE TARGET'}"
    )
