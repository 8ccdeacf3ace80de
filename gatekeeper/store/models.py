"""The tables: accounts, their settings, and the decision log (data only, no behaviour)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from gatekeeper.store.types import UTCDateTime, utcnow

# Named constraints let Alembic alter them later, which SQLite's batch mode requires.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PROVIDERS = ("google", "ics", "demo")
MODES = ("enforce", "flag", "dry-run")
STATUSES = ("active", "disconnected")
ACTIONS = ("none", "flag", "decline", "tentative", "accept")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base holding the shared metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(Base):
    """A person whose calendar Gatekeeper screens."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(_one_of("provider", PROVIDERS), name="provider"),
        CheckConstraint(_one_of("mode", MODES), name="mode"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint("email = lower(email)", name="email_lower"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    provider: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16), default="dry-run")
    status: Mapped[str] = mapped_column(String(16), default="active")
    display_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    refresh_token_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    settings: Mapped[AccountSettings | None] = relationship(
        back_populates="account", cascade="all, delete-orphan", uselist=False
    )

    def __repr__(self) -> str:
        return f"Account(id={self.id!r}, email={self.email!r}, mode={self.mode!r})"


class AccountSettings(Base):
    """A person's own settings; a NULL column means "use the rules files' value"."""

    __tablename__ = "account_settings"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    hourly_rate: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    working_days: Mapped[list[str] | None] = mapped_column(JSON)  # ["mon", "tue", ...]
    work_start: Mapped[time | None] = mapped_column(Time)
    work_end: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str | None] = mapped_column(String(64))
    deep_work_goal: Mapped[float | None] = mapped_column(Float)
    rules_yaml: Mapped[str | None] = mapped_column(Text)
    allow_list: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    account: Mapped[Account] = relationship(back_populates="settings")


class DecisionRecord(Base):
    """One entry of the decision log: what was decided about an invite, why, and what happened."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(_one_of("action", ACTIONS), name="action"),
        CheckConstraint(_one_of("mode", MODES), name="mode"),
        Index("ix_decisions_event", "account_id", "uid", "recurrence_id"),
        Index("ix_decisions_account_decided", "account_id", "decided_at"),
        Index("ix_decisions_decided_at", "decided_at"),
        Index("ix_decisions_organizer", "organizer"),
        Index("ix_decisions_rule", "rule"),
        Index("ix_decisions_action", "action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    calendar_event_id: Mapped[str | None] = mapped_column(String(1024))
    uid: Mapped[str] = mapped_column(String(1024))
    recurrence_id: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event_version: Mapped[str | None] = mapped_column(String(256))
    summary: Mapped[str] = mapped_column(Text, default="")
    organizer: Mapped[str] = mapped_column(String(320), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str | None] = mapped_column(String(200))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(16))
    executed: Mapped[bool] = mapped_column(Boolean, default=False)
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)
    has_agenda: Mapped[bool] = mapped_column(Boolean, default=False)
    has_preread: Mapped[bool] = mapped_column(Boolean, default=False)
    focus_conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    message: Mapped[str | None] = mapped_column(Text)
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    escalation: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return (
            f"DecisionRecord(id={self.id!r}, uid={self.uid!r}, action={self.action!r}, "
            f"rule={self.rule!r})"
        )


# The Google tables live in their own module; importing it here puts them in Base.metadata,
# which Alembic and every caller of these models see.
from gatekeeper.store import google_models  # noqa: E402, F401
