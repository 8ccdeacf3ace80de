"""Tables for Google accounts: push notification channels and per-calendar sync state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gatekeeper.store.models import Base
from gatekeeper.store.types import UTCDateTime, utcnow


class Channel(Base):
    """A Google push notification channel watching one calendar of an account.

    Only a SHA-256 digest of the channel's secret token is kept: the webhook compares
    digests, and nothing ever needs the token back (a renewal makes a new one).
    ``expiration`` is NULL while the watch request is under way.
    """

    __tablename__ = "channels"
    __table_args__ = (Index("ix_channels_account_stopped", "account_id", "stopped_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    calendar_id: Mapped[str] = mapped_column(String(255), default="primary")
    channel_id: Mapped[str] = mapped_column(String(64), unique=True)  # Google's limit
    token_hash: Mapped[str] = mapped_column(String(64))  # hex SHA-256 of the token
    resource_id: Mapped[str | None] = mapped_column(String(255))
    resource_uri: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    expiration: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return (
            f"Channel(id={self.id!r}, account_id={self.account_id!r}, "
            f"channel_id={self.channel_id!r}, expiration={self.expiration!r})"
        )


class SyncState(Base):
    """Where incremental sync of one calendar stands: Google's sync token and the last runs."""

    __tablename__ = "sync_states"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    calendar_id: Mapped[str] = mapped_column(String(255), primary_key=True, default="primary")
    sync_token: Mapped[str | None] = mapped_column(Text)
    last_full_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return (
            f"SyncState(account_id={self.account_id!r}, calendar_id={self.calendar_id!r}, "
            f"has_token={self.sync_token is not None!r})"
        )
