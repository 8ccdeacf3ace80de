"""Open and close Google push channels for an account's primary calendar."""

from __future__ import annotations

import logging
import secrets
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from gatekeeper.errors import CalendarError, ConfigError
from gatekeeper.store.accounts import get_account
from gatekeeper.store.channels import active_channels, add_channel, confirm_channel, mark_stopped
from gatekeeper.store.google_models import Channel
from gatekeeper.store.types import utcnow

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.calendars.google import GoogleCalendar
    from gatekeeper.config import Config

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/google"
# Google keeps a Calendar channel for about a week at most; ask for that much.
CHANNEL_TTL = timedelta(days=7)


def webhook_address(config: Config) -> str:
    """Return the address Google is asked to POST notifications to."""
    return config.public_base_url.rstrip("/") + WEBHOOK_PATH


def _calendar(app: Flask, account_id: int) -> GoogleCalendar:
    from gatekeeper import get_db
    from gatekeeper.accounts.google import calendar_for

    with get_db(app).session() as session:
        account = get_account(session, account_id)
        if account is None:
            raise LookupError(f"no account with id {account_id}")
        return calendar_for(app, account)


def start_watch(
    app: Flask,
    account_id: int,
    *,
    calendar: GoogleCalendar | None = None,
    ttl: timedelta = CHANNEL_TTL,
) -> Channel:
    """Open a new channel on the account's primary calendar and store it; return it.

    The channel is stored before Google is asked, so that the ``sync`` message Google
    sends right away already finds it. When the watch fails, it is marked stopped.
    """
    from gatekeeper import get_config, get_db

    address = webhook_address(get_config(app))
    database = get_db(app)
    calendar = calendar or _calendar(app, account_id)
    channel_id = str(uuid.uuid4())
    token = secrets.token_urlsafe(32)
    with database.session() as session:
        row = add_channel(session, account_id, channel_id=channel_id, token=token, address=address)
    try:
        info = calendar.watch(channel_id, token, address, ttl)
    except BaseException:
        with database.session() as session:
            failed = session.get(Channel, row.id)
            if failed is not None:
                mark_stopped(session, failed)
        raise
    with database.session() as session:
        stored = session.get(Channel, row.id)
        assert stored is not None
        confirm_channel(
            session,
            stored,
            resource_id=info.resource_id,
            resource_uri=info.resource_uri,
            expiration=info.expiration,
        )
    log.info(
        "account %d: watching its primary calendar on channel %s until %s",
        account_id,
        channel_id,
        info.expiration.isoformat() if info.expiration else "Google's default",
    )
    return stored


def stop_channel(
    app: Flask,
    channel: Channel,
    calendar: GoogleCalendar | None,
    *,
    now: datetime | None = None,
) -> bool:
    """Ask Google to stop ``channel`` (when it may still run) and mark it stopped.

    Returns whether Google confirmed the stop; an expired or unknown channel, or one that
    cannot be stopped because the grant is gone, is only marked stopped here.
    """
    from gatekeeper import get_db

    moment = now or utcnow()
    confirmed = False
    alive = channel.expiration is None or channel.expiration > moment
    if calendar is not None and channel.resource_id and alive:
        try:
            confirmed = calendar.stop_channel(channel.channel_id, channel.resource_id)
        except CalendarError as exc:
            log.info("channel %s not stopped at Google (%s); dropped", channel.channel_id, exc)
    with get_db(app).session() as session:
        row = session.get(Channel, channel.id)
        if row is not None:
            mark_stopped(session, row, moment)
    return confirmed


def stop_account_channels(
    app: Flask, account_id: int, *, calendar: GoogleCalendar | None = None
) -> int:
    """Stop every channel of the account (at Google when possible); return how many."""
    from gatekeeper import get_db

    with get_db(app).session() as session:
        channels = active_channels(session, account_id)
    if not channels:
        return 0
    if calendar is None:
        try:
            calendar = _calendar(app, account_id)
        except (CalendarError, ConfigError) as exc:
            log.info("account %d: channels forgotten without stopping them (%s)", account_id, exc)
    for channel in channels:
        stop_channel(app, channel, calendar)
    return len(channels)
