"""``sync [--all | --email EMAIL] [--full] [--focus-blocks]``: sync Google calendars now."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from gatekeeper.errors import ConfigError, GatekeeperError

if TYPE_CHECKING:
    from flask import Flask


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sync`` command."""
    parser = sub.add_parser(
        "sync",
        help="screen what changed on Google calendars now",
        description=(
            "Run the sync of one Google account (--email) or of every active one (--all) in "
            "this process: list what changed since the last sync, screen it and act per "
            "the account's mode. The same work the webhook and the 15-minute backstop queue."
        ),
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every active Google account")
    which.add_argument("--email", metavar="EMAIL", help="one account")
    parser.add_argument(
        "--full", action="store_true", help="list every event from a day back, not only changes"
    )
    parser.add_argument(
        "--focus-blocks",
        action="store_true",
        help="also create, update or delete the YAML focus blocks on the calendar",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Sync the chosen accounts; exit 0 when all went well, 1 when one failed, 2 on bad input."""
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper.store.database import first_line

    try:
        app = _app()
        account_ids = _chosen(app, args)
    except ConfigError as exc:
        return _error(str(exc))
    except SQLAlchemyError as exc:
        return _error(f"database: {first_line(exc)}")
    except LookupError as exc:
        return _error(str(exc.args[0]))
    failed = False
    for account_id in account_ids:
        results = _sync_one(app, account_id, args)
        for line, data, ok in results:
            failed = failed or not ok
            if args.format == "json":
                print(json.dumps(data, ensure_ascii=False))
            else:
                print(line)
    if not account_ids and args.format == "text":
        print("no active Google accounts")
    return 1 if failed else 0


def _chosen(app: Flask, args: argparse.Namespace) -> list[int]:
    from gatekeeper import get_config, get_db
    from gatekeeper.store.accounts import find_account
    from gatekeeper.sync.service import google_account_ids

    if not get_config(app).google_enabled:
        from gatekeeper.accounts.google import GOOGLE_OFF

        raise ConfigError(GOOGLE_OFF)
    if args.all:
        return google_account_ids(app)
    with get_db(app).session() as session:
        account = find_account(session, args.email)
        if account is None:
            raise LookupError(f"no account for {args.email.strip().lower()}")
        if account.provider != "google":
            raise LookupError(f"{account.email} is a {account.provider} account, not Google")
        return [account.id]


def _sync_one(
    app: Flask, account_id: int, args: argparse.Namespace
) -> list[tuple[str, dict[str, Any], bool]]:
    """Return (line, data, ok) for the sync (and focus blocks) of one account."""
    from gatekeeper.focusblocks.service import sync_focus_blocks
    from gatekeeper.sync.service import sync_or_disconnect

    out: list[tuple[str, dict[str, Any], bool]] = []
    try:
        report = sync_or_disconnect(app, account_id, full=args.full)
        disconnected = (report.skipped or "").startswith("disconnected")
        out.append((report.summary(), report.as_dict(), not disconnected))
    except GatekeeperError as exc:
        out.append((f"account {account_id}: sync failed: {exc}", _failure(account_id, exc), False))
        return out
    if args.focus_blocks and report.skipped is None:
        try:
            blocks = sync_focus_blocks(app, account_id)
            out.append((blocks.summary(), blocks.as_dict(), True))
        except GatekeeperError as exc:
            line = f"account {account_id}: focus blocks failed: {exc}"
            out.append((line, _failure(account_id, exc), False))
    return out


def _failure(account_id: int, exc: Exception) -> dict[str, Any]:
    return {"account_id": account_id, "error": f"{type(exc).__name__}: {exc}"}


def _app() -> Flask:
    from gatekeeper import create_app

    return create_app()


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
