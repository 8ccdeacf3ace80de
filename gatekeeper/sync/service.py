"""Sync Google accounts: the service behind the push webhook, the backstop and the CLI."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from gatekeeper.domain import Mode
from gatekeeper.errors import AuthError
from gatekeeper.store.accounts import get_account
from gatekeeper.store.models import Account
from gatekeeper.store.sync_states import record_sync_error
from gatekeeper.sync.lock import account_lock
from gatekeeper.sync.report import SyncReport
from gatekeeper.sync.runner import AccountInfo, SyncRun

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.calendars.google import GoogleCalendar

log = logging.getLogger(__name__)


def google_account_ids(app: Flask) -> list[int]:
    """Return the ids of the active Google accounts, in address order."""
    from gatekeeper import get_db

    with get_db(app).session() as session:
        return list(
            session.scalars(
                select(Account.id)
                .where(Account.provider == "google", Account.status == "active")
                .order_by(Account.email)
            )
        )


def open_account(app: Flask, account_id: int) -> tuple[AccountInfo, GoogleCalendar] | SyncReport:
    """Return the account and its calendar adapter, or a report saying why it is skipped.

    The adapter shares its access token through the app's token cache, so successive
    jobs of one account refresh it about once an hour, not once per job.
    """
    from gatekeeper import get_db
    from gatekeeper.accounts.google import calendar_for

    with get_db(app).session() as session:
        account = get_account(session, account_id)
        if account is None:
            return SyncReport(account_id, skipped="no such account")
        if account.provider != "google":
            return SyncReport(account_id, account.email, skipped=f"a {account.provider} account")
        if account.status != "active":
            return SyncReport(account_id, account.email, skipped=f"account {account.status}")
        info = AccountInfo(
            id=account.id,
            email=account.email,
            mode=Mode(account.mode),
            timezone=account.timezone or (account.settings.timezone if account.settings else None),
            display_name=account.display_name,
        )
        calendar = calendar_for(app, account)
    return info, calendar


def sync_account(
    app: Flask, account_id: int, *, full: bool = False, now: datetime | None = None
) -> SyncReport:
    """Sync one Google account's primary calendar: screen what changed and act on it.

    ``full`` lists every event from a day back instead of continuing from the stored
    sync token. Raises AuthError when Google refuses the account's grant, and lets every
    other failure through (the job is retried; what was done is never done twice).
    """
    from gatekeeper import get_config, get_db

    database = get_db(app)
    opened = open_account(app, account_id)
    if isinstance(opened, SyncReport):
        return opened
    info, calendar = opened
    with account_lock(database, account_id):
        run = SyncRun(database, info, calendar, get_config(app).rules_dir, now or datetime.now(UTC))
        try:
            report = run.run(full=full)
        except Exception as exc:
            with database.session() as session:
                record_sync_error(session, account_id, f"{type(exc).__name__}: {exc}")
            raise
    log.info("%s", report.summary())
    return report


def sync_or_disconnect(app: Flask, account_id: int, *, full: bool = False) -> SyncReport:
    """Sync one account; when Google refuses its grant, disconnect it instead of failing.

    A revoked grant never heals by retrying, so the account is marked disconnected (its
    channels stopped, the person mailed once) and the caller gets a report, not an error.
    """
    from gatekeeper.accounts import disconnect

    try:
        return sync_account(app, account_id, full=full)
    except AuthError as exc:
        disconnect(app, account_id, str(exc))
        return SyncReport(account_id, skipped=f"disconnected: {exc}")


def sync_all(app: Flask, *, full: bool = False) -> list[SyncReport]:
    """Sync every active Google account in turn (the command line's ``sync --all``).

    One account's failure does not stop the others; it is logged and reported.
    """
    reports = []
    for account_id in google_account_ids(app):
        try:
            reports.append(sync_or_disconnect(app, account_id, full=full))
        except Exception as exc:
            log.exception("account %d: sync failed", account_id)
            reports.append(SyncReport(account_id, skipped=f"failed: {exc}"))
    return reports
