"""What the decision log says about events a sync run meets: versions seen, answers given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from gatekeeper.domain import Action, Mode
from gatekeeper.store.models import DecisionRecord
from gatekeeper.sync.plan import answer_of

EventKey = tuple[str, datetime | None]  # (uid, recurrence_id)
_LOOKBACK = 50  # records per event read to find Gatekeeper's last answer


@dataclass(frozen=True)
class EventHistory:
    """The log's memory of one event (or one instance of a series)."""

    latest_version: str | None = None
    ours: str | None = None  # the answer Gatekeeper last left on the calendar
    pending_answer: str | None = None  # the answer a decision not yet carried out would send

    def seen(self, version: str) -> bool:
        """Return True when this version of the event was already screened."""
        return self.latest_version == version


@dataclass(frozen=True)
class PendingDecision:
    """A logged decision that still has to be carried out on the calendar."""

    id: int
    uid: str
    recurrence_id: datetime | None
    event_id: str | None
    event_version: str | None
    action: Action
    mode: Mode
    message: str | None


def _key_filter(
    account_id: int, uid: str, recurrence_id: datetime | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        DecisionRecord.account_id == account_id,
        DecisionRecord.uid == uid,
    ]
    if recurrence_id is None:
        where.append(DecisionRecord.recurrence_id.is_(None))
    else:
        where.append(DecisionRecord.recurrence_id == recurrence_id)
    return where


def event_history(
    session: Session,
    account_id: int,
    uid: str,
    recurrence_id: datetime | None,
    *,
    before_id: int | None = None,
) -> EventHistory:
    """Return what the log knows about one event (only records older than ``before_id``)."""
    query = select(
        DecisionRecord.id,
        DecisionRecord.event_version,
        DecisionRecord.outcome,
        DecisionRecord.action,
        DecisionRecord.mode,
    ).where(*_key_filter(account_id, uid, recurrence_id))
    if before_id is not None:
        query = query.where(DecisionRecord.id < before_id)
    rows = session.execute(query.order_by(DecisionRecord.id.desc()).limit(_LOOKBACK)).all()
    if not rows:
        return EventHistory()
    ours = None
    pending = None
    for _id, _version, outcome, action, mode in rows:
        if outcome is None and pending is None and mode == Mode.ENFORCE.value:
            pending = {"decline": "declined", "tentative": "tentative", "accept": "accepted"}.get(
                action
            )
        answer = answer_of(outcome)
        if answer is not None:
            ours = answer
            break
    return EventHistory(latest_version=rows[0][1], ours=ours, pending_answer=pending)


def pending_decisions(session: Session, account_id: int) -> list[PendingDecision]:
    """Return the account's decisions logged but not yet carried out, oldest first."""
    rows = session.scalars(
        select(DecisionRecord)
        .where(
            DecisionRecord.account_id == account_id,
            DecisionRecord.outcome.is_(None),
            DecisionRecord.executed.is_(False),
        )
        .order_by(DecisionRecord.id)
    )
    return [
        PendingDecision(
            id=row.id,
            uid=row.uid,
            recurrence_id=row.recurrence_id,
            event_id=row.calendar_event_id,
            event_version=row.event_version,
            action=Action(row.action),
            mode=Mode(row.mode),
            message=row.message,
        )
        for row in rows
    ]


def newest_record_id(
    session: Session, account_id: int, uid: str, recurrence_id: datetime | None
) -> int | None:
    """Return the id of the newest record about one event."""
    found = session.scalar(
        select(func.max(DecisionRecord.id)).where(*_key_filter(account_id, uid, recurrence_id))
    )
    return int(found) if found is not None else None
