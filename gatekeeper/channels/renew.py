"""Keep every active Google account watched: renew channels before they expire.

Google never renews a channel. For each account, while a channel still runs, a new one
is opened first and only then the old one is stopped, so no change goes unnoticed in
between. Running this again changes nothing: an account that already has a channel
lasting beyond the horizon gets no new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from gatekeeper.channels.watch import start_watch, stop_channel
from gatekeeper.errors import AuthError, CalendarError, ConfigError
from gatekeeper.store.channels import active_channels
from gatekeeper.store.google_models import Channel
from gatekeeper.store.models import Account
from gatekeeper.store.types import utcnow

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.calendars.google import GoogleCalendar

log = logging.getLogger(__name__)

# Renewed when less than this is left; the hourly job gets many chances before expiry.
RENEW_WITHIN = timedelta(hours=24)
# A channel stored but never confirmed by Google this long is a watch that died mid-way.
PENDING_GRACE = timedelta(minutes=10)


@dataclass
class Renewal:
    """What one run did, by account address."""

    opened: list[str] = field(default_factory=list)
    stopped: int = 0
    kept: list[str] = field(default_factory=list)
    disconnected: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        """Return one line for logs and the command line."""
        return (
            f"{len(self.opened)} channel(s) opened, {self.stopped} stopped, "
            f"{len(self.kept)} account(s) already watched, "
            f"{len(self.disconnected)} disconnected, {len(self.failed)} failed"
        )


def _is_fresh(channel: Channel, now: datetime, horizon: datetime) -> bool:
    if channel.expiration is None:
        return channel.created_at > now - PENDING_GRACE
    return channel.expiration > horizon


def ensure_watched(
    app: Flask,
    account_id: int,
    *,
    within: timedelta = RENEW_WITHIN,
    now: datetime | None = None,
    calendar: GoogleCalendar | None = None,
) -> str:
    """Make one account watched past ``within``; return "opened", "kept" or "inactive".

    A disconnected account is not watched ("inactive"). Raises AuthError when Google
    refuses the grant and CalendarError on other failures (the old channel, if any,
    then keeps running).
    """
    from gatekeeper import get_db

    moment = now or utcnow()
    with get_db(app).session() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise LookupError(f"no account with id {account_id}")
        channels = active_channels(session, account_id)
    if account.status != "active":
        for channel in channels:
            stop_channel(app, channel, None, now=moment)
        return "inactive"
    report = Renewal()
    given = calendar

    def factory(account: Account) -> GoogleCalendar:
        from gatekeeper.accounts.google import calendar_for

        return given or calendar_for(app, account)

    _renew_account(app, account, channels, moment, moment + within, factory, report)
    return "opened" if report.opened else "kept"


def renew_channels(
    app: Flask,
    *,
    within: timedelta = RENEW_WITHIN,
    now: datetime | None = None,
    account_ids: Iterable[int] | None = None,
    calendar_factory: Callable[[Account], GoogleCalendar] | None = None,
) -> Renewal:
    """Make every active Google account (or those of ``account_ids``) watched past ``within``.

    A revoked grant disconnects its account (and mails the person); other failures are
    reported per account in ``failed`` and leave that account's old channel running.
    """
    from gatekeeper import get_config, get_db
    from gatekeeper.accounts.google import calendar_for, require_google

    require_google(get_config(app))
    moment = now or utcnow()
    horizon = moment + within
    factory = calendar_factory or (lambda account: calendar_for(app, account))
    wanted = set(account_ids) if account_ids is not None else None
    with get_db(app).session() as session:
        query = select(Account).where(Account.provider == "google").order_by(Account.email)
        accounts = [a for a in session.scalars(query) if wanted is None or a.id in wanted]
        channels = active_channels(session)
    by_account: dict[int, list[Channel]] = {}
    for channel in channels:
        by_account.setdefault(channel.account_id, []).append(channel)
    report = Renewal()
    for account in accounts:
        mine = by_account.get(account.id, [])
        if account.status != "active":
            for channel in mine:  # disconnect stops them; this catches any left over
                stop_channel(app, channel, None, now=moment)
                report.stopped += 1
            continue
        try:
            _renew_account(app, account, mine, moment, horizon, factory, report)
        except AuthError as exc:
            from gatekeeper.accounts.service import disconnect

            disconnect(app, account.id, str(exc))
            report.disconnected.append(account.email)
        except (CalendarError, ConfigError) as exc:
            log.error("account %s: channel renewal failed: %s", account.email, exc)
            report.failed[account.email] = str(exc)
    log.info("channel renewal: %s", report.summary())
    return report


def _renew_account(
    app: Flask,
    account: Account,
    channels: list[Channel],
    now: datetime,
    horizon: datetime,
    factory: Callable[[Account], GoogleCalendar],
    report: Renewal,
) -> None:
    fresh = [c for c in channels if _is_fresh(c, now, horizon)]
    confirmed = sorted(
        (c for c in fresh if c.expiration is not None),
        key=lambda c: (c.expiration, c.id),
        reverse=True,
    )
    # Keep the longest-lived channel (and any watch still under way); one is enough.
    keep = confirmed[:1] + [c for c in fresh if c.expiration is None]
    retire = [c for c in channels if c not in keep]
    calendar: GoogleCalendar | None = None
    if not keep:
        calendar = factory(account)
        start_watch(app, account.id, calendar=calendar)
        report.opened.append(account.email)
    elif not retire:
        report.kept.append(account.email)
    for channel in retire:
        if calendar is None and channel.expiration is not None and channel.expiration > now:
            calendar = factory(account)
        stop_channel(app, channel, calendar, now=now)
        report.stopped += 1
