"""``python -m gatekeeper screen FILE.ics --as EMAIL``: screen every invite in a file."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gatekeeper.calendars.ics import IcsCalendar, read_ics
from gatekeeper.domain import Decision
from gatekeeper.errors import InputError, RulesError
from gatekeeper.screening.calendar import screen_calendar
from gatekeeper.screening.engine import Context
from gatekeeper.screening.policy import Policy, load_policy


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``screen`` command."""
    p = sub.add_parser(
        "screen",
        help="screen the invites in an .ics file as one attendee",
        description="Screen every invite in FILE from the point of view of attendee EMAIL.",
    )
    p.add_argument("file", metavar="FILE.ics")
    p.add_argument("--as", dest="email", required=True, metavar="EMAIL")
    p.add_argument(
        "--rules", metavar="DIR", help="rules directory (default: $GATEKEEPER_RULES_DIR or rules/)"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--now", metavar="ISO8601", help="fix 'now' for reproducible runs")
    p.add_argument(
        "--tz",
        metavar="ZONE",
        help="the person's time zone (default: the rules', else the calendar's)",
    )
    p.set_defaults(func=run)


def parse_now(text: str | None, tz_name: str) -> datetime:
    """Return 'now' from ``--now`` (naive times are in the person's zone) or the clock."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--now: not an ISO 8601 date-time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz_name))
    return moment


def resolve_rules_dir(option: str | None) -> Path | None:
    """Return the rules directory asked for, or None for the shipped default policy."""
    chosen = option or os.environ.get("GATEKEEPER_RULES_DIR")
    return Path(chosen) if chosen else None


def person_timezone(option: str | None, policy: Policy, calendar: IcsCalendar) -> str:
    """Return the person's zone: ``--tz``, else the calendar's, else the rules' setting."""
    name = option or calendar.timezone or policy.settings.timezone or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"--tz: unknown time zone {name!r}") from None
    return name


def person_name(calendar: IcsCalendar, email: str) -> str | None:
    """Return the person's display name as the invites spell it, if any."""
    for invite in calendar.events:
        entry = invite.attendee(email)
        if entry is not None and entry.name:
            return entry.name
    return None


def run(args: argparse.Namespace) -> int:
    """Screen the file and print the decisions; return the exit code."""
    try:
        rules_dir = resolve_rules_dir(args.rules)
        policy = load_policy(rules_dir) if rules_dir else Policy.default()
        calendar = read_ics(args.file)
        tz_name = person_timezone(args.tz, policy, calendar)
        policy = policy.with_timezone(tz_name)
        now = parse_now(args.now, tz_name)
    except RulesError as exc:
        for problem in exc.problems:
            print(f"gatekeeper: {problem}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"gatekeeper: {exc}", file=sys.stderr)
        return 2
    email = args.email.strip().lower()
    ctx = Context(
        person_email=email,
        now=now,
        person_name=person_name(calendar, email),
        timezone=tz_name,
    )
    decisions = screen_calendar(calendar, policy, ctx)
    if args.format == "json":
        write_json(decisions, sys.stdout)
    else:
        write_table(decisions, sys.stdout, tz_name)
    return 0


def write_json(decisions: Sequence[Decision], out: TextIO) -> None:
    """Print one JSON object per decision (JSON Lines)."""
    for decision in decisions:
        out.write(json.dumps(decision.as_json(), ensure_ascii=False) + "\n")


def write_table(decisions: Sequence[Decision], out: TextIO, tz_name: str) -> None:
    """Print the decisions as a table for people, with the reply text of each decline."""
    zone = ZoneInfo(tz_name)
    rows = [("when", "action", "rule", "cost", "invite")]
    for d in decisions:
        start = d.start.astimezone(zone)
        title = d.summary if len(d.summary) <= 48 else d.summary[:47] + "…"
        if d.recurrence_id is not None:
            title += " (one instance)"
        cost = "-" if d.skipped else f"{d.cost:.0f}"
        rows.append((f"{start:%a %d %b %H:%M}", d.action.value, d.rule or "-", cost, title))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:4])]
        out.write("  ".join([*cells, row[4]]).rstrip() + "\n")
    totals: dict[str, int] = {}
    for d in decisions:
        totals[d.action.value] = totals.get(d.action.value, 0) + 1
    summary = ", ".join(f"{n} {action}" for action, n in sorted(totals.items()))
    currency = decisions[0].currency if decisions else ""
    screened = [d for d in decisions if not d.skipped]
    cost = sum(d.cost for d in screened)
    saved = sum(d.cost for d in screened if d.action.value == "decline")
    out.write(
        f"\n{len(decisions)} decisions ({summary}); {len(screened)} invites screened, "
        f"costing {cost:,.0f} {currency}, of which {saved:,.0f} {currency} declined; "
        f"times in {tz_name}\n"
    )
    for d in decisions:
        if d.message:
            out.write(f"\n--- reply for '{d.summary}' ---\n{d.message}\n")
        elif d.action.value == "flag":
            out.write(f"\n--- flagged '{d.summary}': {'; '.join(d.reasons[-2:])}\n")
