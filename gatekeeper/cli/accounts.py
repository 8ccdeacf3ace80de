"""``accounts add-google|list|disconnect|rotate-keys`` and ``watch [--renew]``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gatekeeper.domain import Mode
from gatekeeper.errors import AuthError, CalendarError, ConfigError

if TYPE_CHECKING:
    from flask import Flask


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``accounts`` and ``watch`` commands."""
    accounts = sub.add_parser(
        "accounts",
        help="connect, list and disconnect accounts",
        description="Manage the accounts whose calendars Gatekeeper screens.",
    )
    actions = accounts.add_subparsers(dest="accounts_command", metavar="ACTION")
    actions.required = True

    add = actions.add_parser(
        "add-google",
        help="register a Google account from a refresh token",
        description=(
            "Register a Google account without the browser flow: store its refresh token "
            "encrypted, start watching its primary calendar and run the first sync. "
            "Running it again for the same address replaces the token (and the mode, if given)."
        ),
    )
    add.add_argument("--email", required=True, metavar="EMAIL")
    add.add_argument(
        "--refresh-token",
        required=True,
        metavar="TOKEN",
        help="the OAuth refresh token; '-' reads it from standard input (keeps it out of ps)",
    )
    add.add_argument(
        "--mode",
        choices=[m.value for m in Mode],
        help="enforce: declines are sent; flag: declines become flags; dry-run: only "
        "recorded (default for a new account: dry-run; an existing one keeps its mode)",
    )
    add.add_argument("--name", metavar="NAME", help="the person's display name")
    add.set_defaults(func=add_google)

    listing = actions.add_parser("list", help="list accounts (never their tokens)")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(func=list_command)

    drop = actions.add_parser(
        "disconnect",
        help="disconnect an account",
        description="Stop watching the account's calendar and forget its grant.",
    )
    drop.add_argument("--email", required=True, metavar="EMAIL")
    drop.add_argument("--reason", default="disconnected by an operator")
    drop.set_defaults(func=disconnect_command)

    rotate = actions.add_parser(
        "rotate-keys",
        help="re-encrypt stored tokens with the newest key",
        description=(
            "Re-encrypt every stored refresh token with the first key of "
            "GATEKEEPER_ENCRYPTION_KEY (comma-separated, newest first). Afterwards the "
            "older keys can be removed."
        ),
    )
    rotate.set_defaults(func=rotate_command)

    watch = sub.add_parser(
        "watch",
        help="show or renew Google push channels",
        description=(
            "Without options, list the push channels. With --renew, open a channel for "
            "every active Google account that has none lasting another 24 hours and stop "
            "the old ones (the worker does this every hour)."
        ),
    )
    watch.add_argument("--renew", action="store_true", help="renew expiring channels now")
    watch.add_argument("--email", metavar="EMAIL", help="only this account")
    watch.set_defaults(func=watch_command)


def add_google(args: argparse.Namespace) -> int:
    """Register (or update) a Google account, watch it and run its first sync."""
    from gatekeeper import get_config
    from gatekeeper.accounts.google import require_google
    from gatekeeper.accounts.service import connect_google, disconnect
    from gatekeeper.channels.renew import ensure_watched

    app = _app()
    if app is None:
        return 2
    token = sys.stdin.readline().strip() if args.refresh_token == "-" else args.refresh_token
    try:
        require_google(get_config(app))
        connected = connect_google(app, args.email, token, args.mode, display_name=args.name)
    except (ConfigError, ValueError) as exc:
        return _error(str(exc), 2)
    what = "added" if connected.created else "updated"
    print(
        f"{what} Google account {connected.email} (id {connected.account_id}), "
        f"mode {connected.mode}"
    )
    try:
        outcome = ensure_watched(app, connected.account_id)
        channel = _latest_expiry(app, connected.account_id)
        print(f"watching its primary calendar ({outcome} channel, expires {_when(channel)})")
    except AuthError as exc:
        disconnect(app, connected.account_id, str(exc), notify=False)
        return _error(f"Google refused the refresh token of {connected.email}: {exc}", 1)
    except CalendarError as exc:
        print(
            f"warning: not watching yet: {exc}\n"
            "  `python -m gatekeeper watch --renew` tries again; the periodic sync still runs",
            file=sys.stderr,
        )
    try:
        print("first sync: " + first_sync(app, connected.account_id))
    except AuthError as exc:
        disconnect(app, connected.account_id, str(exc), notify=False)
        return _error(f"Google refused the refresh token of {connected.email}: {exc}", 1)
    except CalendarError as exc:
        return _error(f"first sync failed: {exc} (the periodic sync tries again)", 1)
    return 0


def first_sync(app: Flask, account_id: int) -> str:
    """Run the account's first (full) sync now; return its one-line summary."""
    from gatekeeper.sync.service import sync_account

    return sync_account(app, account_id, full=True).summary()


def list_command(args: argparse.Namespace) -> int:
    """Print every account with its mode, status and channel expiry (never a token)."""
    from sqlalchemy import select

    from gatekeeper import get_db
    from gatekeeper.store.accounts import list_accounts
    from gatekeeper.store.channels import latest_expirations
    from gatekeeper.store.google_models import SyncState

    app = _app()
    if app is None:
        return 2
    with get_db(app).session() as session:
        accounts = list_accounts(session)
        expiries = latest_expirations(session, [a.id for a in accounts])
        synced = {
            account_id: moment
            for account_id, moment in session.execute(
                select(SyncState.account_id, SyncState.last_sync_at).where(
                    SyncState.calendar_id == "primary"
                )
            )
        }
        rows = [
            {
                "email": a.email,
                "provider": a.provider,
                "mode": a.mode,
                "status": a.status,
                "channel_expires": _iso(expiries.get(a.id)),
                "last_sync": _iso(synced.get(a.id)),
            }
            for a in accounts
        ]
    if args.format == "json":
        for row in rows:
            print(json.dumps(row))
        return 0
    if not rows:
        print("no accounts yet (python -m gatekeeper accounts add-google --email ... ...)")
        return 0
    _table(rows, ("email", "provider", "mode", "status", "channel_expires", "last_sync"))
    return 0


def disconnect_command(args: argparse.Namespace) -> int:
    """Disconnect one account: stop its channels and forget its grant."""
    from gatekeeper import get_db
    from gatekeeper.accounts.service import disconnect
    from gatekeeper.store.accounts import find_account

    app = _app()
    if app is None:
        return 2
    with get_db(app).session() as session:
        account = find_account(session, args.email)
        account_id = account.id if account is not None else None
    if account_id is None:
        return _error(f"no account for {args.email.strip().lower()}", 1)
    changed = disconnect(app, account_id, args.reason, notify=False)
    print(
        f"{args.email.strip().lower()}: " + ("disconnected" if changed else "already disconnected")
    )
    return 0


def rotate_command(args: argparse.Namespace) -> int:
    """Re-encrypt the stored tokens with the newest key; exit 1 if some cannot be read."""
    from gatekeeper.accounts.service import rotate_tokens

    app = _app()
    if app is None:
        return 2
    report = rotate_tokens(app)
    print(
        f"{len(report.rotated)} token(s) re-encrypted, {len(report.current)} already under "
        f"the newest key, {len(report.unreadable)} unreadable"
    )
    for email in report.unreadable:
        print(f"  {email}: no key of the ring opens its token; reconnect it", file=sys.stderr)
    return 1 if report.unreadable else 0


def watch_command(args: argparse.Namespace) -> int:
    """List channels, or renew them with --renew."""
    from gatekeeper import get_db
    from gatekeeper.channels.renew import renew_channels
    from gatekeeper.store.accounts import find_account

    app = _app()
    if app is None:
        return 2
    only: list[int] | None = None
    if args.email:
        with get_db(app).session() as session:
            account = find_account(session, args.email)
            if account is None:
                return _error(f"no account for {args.email.strip().lower()}", 1)
            only = [account.id]
    if not args.renew:
        return _print_channels(app, only)
    try:
        report = renew_channels(app, account_ids=only)
    except ConfigError as exc:
        return _error(str(exc), 2)
    print(report.summary())
    for email in report.opened:
        print(f"  {email}: new channel opened")
    for email in report.disconnected:
        print(f"  {email}: Google refused the grant; account disconnected")
    for email, problem in sorted(report.failed.items()):
        print(f"  {email}: {problem}", file=sys.stderr)
    return 1 if report.failed else 0


def _print_channels(app: Flask, only: list[int] | None) -> int:
    from sqlalchemy import select

    from gatekeeper import get_db
    from gatekeeper.store.google_models import Channel
    from gatekeeper.store.models import Account

    query = (
        select(Account.email, Channel.channel_id, Channel.expiration, Channel.created_at)
        .join(Account, Account.id == Channel.account_id)
        .where(Channel.stopped_at.is_(None))
        .order_by(Account.email, Channel.created_at)
    )
    if only is not None:
        query = query.where(Channel.account_id.in_(only))
    with get_db(app).session() as session:
        rows = [
            {"email": e, "channel": c, "expires": _iso(x) or "pending", "opened": _iso(o)}
            for e, c, x, o in session.execute(query)
        ]
    if not rows:
        print("no active channels (python -m gatekeeper watch --renew opens them)")
        return 0
    _table(rows, ("email", "channel", "expires", "opened"))
    return 0


def _latest_expiry(app: Flask, account_id: int) -> datetime | None:
    from gatekeeper import get_db
    from gatekeeper.store.channels import latest_expirations

    with get_db(app).session() as session:
        return latest_expirations(session, [account_id]).get(account_id)


def _when(moment: datetime | None) -> str:
    return _iso(moment) or "when Google decides"


def _iso(moment: datetime | None) -> str | None:
    return moment.replace(microsecond=0).isoformat() if moment else None


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    cells = [[str(row[c]) if row[c] is not None else "-" for c in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for line in cells:
        print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


def _app() -> Flask | None:
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper import create_app
    from gatekeeper.store.database import first_line

    try:
        return create_app()
    except ConfigError as exc:
        _error(str(exc), 2)
    except SQLAlchemyError as exc:
        _error(f"database: {first_line(exc)}", 2)
    return None


def _error(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code
