"""Queries on push notification channels."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.orm import Session

from gatekeeper.store.google_models import Channel
from gatekeeper.store.models import Account
from gatekeeper.store.types import utcnow


def token_digest(token: str) -> str:
    """Return the hex SHA-256 digest under which a channel token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_channel(
    session: Session,
    account_id: int,
    *,
    channel_id: str,
    token: str,
    address: str,
    calendar_id: str = "primary",
) -> Channel:
    """Record a channel before Google is asked to open it (expiration stays NULL until then)."""
    channel = Channel(
        account_id=account_id,
        calendar_id=calendar_id,
        channel_id=channel_id,
        token_hash=token_digest(token),
        address=address,
    )
    session.add(channel)
    session.flush()
    return channel


def confirm_channel(
    session: Session,
    channel: Channel,
    *,
    resource_id: str,
    resource_uri: str | None,
    expiration: datetime | None,
) -> None:
    """Store what Google answered to the watch request."""
    channel.resource_id = resource_id
    channel.resource_uri = resource_uri
    channel.expiration = expiration
    session.flush()


def find_channel(session: Session, channel_id: str) -> Channel | None:
    """Return the channel with Google channel id ``channel_id``, if any."""
    return session.scalars(select(Channel).where(Channel.channel_id == channel_id)).first()


def active_channels(
    session: Session, account_id: int | None = None, *, calendar_id: str | None = None
) -> list[Channel]:
    """Return the channels not stopped yet, oldest first (optionally of one account)."""
    query = select(Channel).where(Channel.stopped_at.is_(None))
    if account_id is not None:
        query = query.where(Channel.account_id == account_id)
    if calendar_id is not None:
        query = query.where(Channel.calendar_id == calendar_id)
    return list(session.scalars(query.order_by(Channel.created_at, Channel.id)))


def mark_stopped(session: Session, channel: Channel, when: datetime | None = None) -> None:
    """Record that a channel no longer delivers (stopped, replaced or expired)."""
    if channel.stopped_at is None:
        channel.stopped_at = when or utcnow()
        session.flush()


def latest_expirations(session: Session, account_ids: Iterable[int]) -> dict[int, datetime]:
    """Return, per account, the latest expiration among its active channels."""
    ids = list(account_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Channel.account_id, func.max(Channel.expiration))
        .where(Channel.account_id.in_(ids), Channel.stopped_at.is_(None))
        .group_by(Channel.account_id)
    )
    return {account_id: moment for account_id, moment in rows if moment is not None}


@dataclass(frozen=True)
class ChannelRoute:
    """What the webhook needs to know about a channel to accept a notification."""

    account_id: int
    calendar_id: str
    token_hash: str
    resource_id: str | None
    expiration: datetime | None
    stopped_at: datetime | None
    account_status: str

    def live(self, now: datetime) -> bool:
        """Return True while notifications on this channel are to be acted on."""
        if self.stopped_at is not None or self.account_status != "active":
            return False
        return self.expiration is None or self.expiration > now


# Built once: SQLAlchemy caches the compiled form, so each lookup costs one round trip.
_ROUTE_QUERY = (
    select(
        Channel.account_id,
        Channel.calendar_id,
        Channel.token_hash,
        Channel.resource_id,
        Channel.expiration,
        Channel.stopped_at,
        Account.status,
    )
    .join(Account, Account.id == Channel.account_id)
    .where(Channel.channel_id == bindparam("channel_id"))
)


def channel_route(connection: Connection, channel_id: str) -> ChannelRoute | None:
    """Return the routing facts of one channel with one indexed query, or None."""
    row = connection.execute(_ROUTE_QUERY, {"channel_id": channel_id}).first()
    if row is None:
        return None
    return ChannelRoute(*row)
