"""``python -m gatekeeper demo``: screen the sample week into the decision log, then serve."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from gatekeeper.calendars.ics import read_ics
from gatekeeper.cli.screen import person_name, write_table
from gatekeeper.domain import Decision, Mode
from gatekeeper.errors import GatekeeperError
from gatekeeper.screening.calendar import screen_calendar
from gatekeeper.screening.engine import Context
from gatekeeper.screening.policy import Policy

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-week.ics"
DEMO_EMAIL = "maya@acme.example"
DEMO_TZ = "Europe/Berlin"
# The sample week is fixed in time; screening it "as of" its Monday morning keeps the demo
# meaningful whatever today's date is.
DEMO_NOW = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo(DEMO_TZ))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command."""
    p = sub.add_parser(
        "demo",
        help="screen the sample week into the decision log, then serve the app",
        description="Screen examples/sample-week.ics as the demo account (dry-run), print "
        "the decisions, record them in the decision log, then serve the web app.",
    )
    p.add_argument("--no-serve", action="store_true", help="stop after screening")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=run)


def screen_sample() -> list[Decision]:
    """Screen the sample week as the demo person and return the decisions."""
    calendar = read_ics(SAMPLE)
    policy = Policy.default().with_timezone(DEMO_TZ)
    ctx = Context(
        person_email=DEMO_EMAIL,
        now=DEMO_NOW,
        person_name=person_name(calendar, DEMO_EMAIL),
        timezone=DEMO_TZ,
    )
    return screen_calendar(calendar, policy, ctx)


def record(decisions: list[Decision]) -> int:
    """Write the decisions to the demo account's log, once per event; return how many."""
    from gatekeeper import create_app, get_db
    from gatekeeper.store.accounts import add_account, find_account
    from gatekeeper.store.decisions import latest_decision_for, record_decision

    app = create_app()
    db = get_db(app)
    written = 0
    try:
        with db.session() as session:
            account = find_account(session, DEMO_EMAIL) or add_account(
                session,
                DEMO_EMAIL,
                provider="demo",
                mode=Mode.DRY_RUN,
                display_name="Maya Lindqvist",
                timezone=DEMO_TZ,
            )
            for decision in decisions:
                if latest_decision_for(session, account.id, decision.uid, decision.recurrence_id):
                    continue
                record_decision(
                    session,
                    decision,
                    account_id=account.id,
                    mode=Mode.DRY_RUN,
                    executed=False,
                    outcome="dry-run: recorded, nothing sent",
                    event_version="sample-week",
                    decided_at=DEMO_NOW,
                )
                written += 1
    finally:
        db.dispose()
    return written


def run(args: argparse.Namespace) -> int:
    """Screen, print, record, then serve."""
    try:
        decisions = screen_sample()
    except GatekeeperError as exc:
        print(f"gatekeeper: {exc}", file=sys.stderr)
        return 2
    print(
        f"Screening {SAMPLE.name} as {DEMO_EMAIL}, as of {DEMO_NOW:%a %d %b %Y %H:%M} ({DEMO_TZ})\n"
    )
    write_table(decisions, sys.stdout, DEMO_TZ)
    written = record(decisions)
    print(f"\n{written} new decisions written to the decision log (dry-run: nothing was sent).")
    if args.no_serve:
        return 0
    from gatekeeper.cli.platform import serve_command

    return serve_command(args)
