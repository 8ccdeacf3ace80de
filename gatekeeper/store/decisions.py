"""Queries on the decision log: record, search, latest per event, escalations used."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.orm import Session

from gatekeeper.domain import Action, Decision, EscalationLedger, Mode
from gatekeeper.store.models import DecisionRecord
from gatekeeper.store.types import utcnow


def record_decision(
    session: Session,
    decision: Decision,
    *,
    account_id: int | None,
    mode: Mode | str,
    executed: bool,
    outcome: str | None,
    event_version: str | None,
    decided_at: datetime | None = None,
) -> int:
    """Write one decision to the log and return its row id (the session is flushed).

    ``decided_at`` defaults to now; a replay (``screen --now``) may pass its own clock.
    """
    now = decided_at or utcnow()
    row = DecisionRecord(
        account_id=account_id,
        decided_at=now,
        calendar_event_id=decision.source_id,
        uid=decision.uid,
        recurrence_id=decision.recurrence_id,
        event_version=event_version,
        summary=decision.summary,
        organizer=decision.organizer.strip().lower(),
        starts_at=decision.start,
        ends_at=decision.end,
        action=Action(decision.action).value,
        rule=decision.rule,
        reasons=list(decision.reasons),
        mode=Mode(mode).value,
        executed=executed,
        executed_at=now if executed else None,
        outcome=outcome,
        has_agenda=decision.has_agenda,
        has_preread=decision.has_preread,
        focus_conflict=decision.focus_conflict,
        cost=decision.cost,
        currency=decision.currency,
        message=decision.message,
        alternatives=[
            {"start": slot.start.isoformat(), "end": slot.end.isoformat()}
            for slot in decision.alternatives
        ],
        escalation=decision.escalation,
    )
    session.add(row)
    session.flush()
    return row.id


def mark_executed(session: Session, row_id: int, *, outcome: str) -> None:
    """Record that a logged decision was carried out (or how carrying it out failed)."""
    row = session.get(DecisionRecord, row_id)
    if row is None:
        raise LookupError(f"decision {row_id} is not in the log")
    row.executed = True
    row.executed_at = utcnow()
    row.outcome = outcome
    session.flush()


def search_decisions(
    session: Session,
    account_id: int | None,
    text: str | None = None,
    action: Action | str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[DecisionRecord]:
    """Return an account's decisions, newest first.

    ``text`` matches, case-insensitively, anywhere in the summary, organizer, rule, action
    or any reason; ``since`` (inclusive) and ``until`` (exclusive) bound the time of the decision.
    ``account_id=None`` searches the decisions made without an account (CLI and demo runs).
    """
    query = select(DecisionRecord).where(_of_account(account_id))
    if text and text.strip():
        query = query.where(_text_matches(text.strip()))
    if action is not None:
        query = query.where(DecisionRecord.action == Action(action).value)
    if since is not None:
        query = query.where(DecisionRecord.decided_at >= since)
    if until is not None:
        query = query.where(DecisionRecord.decided_at < until)
    query = query.order_by(DecisionRecord.decided_at.desc(), DecisionRecord.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))


def _text_matches(text: str) -> ColumnElement[bool]:
    pattern = f"%{_escape_like(text)}%"
    columns = (
        DecisionRecord.summary,
        DecisionRecord.organizer,
        DecisionRecord.rule,
        DecisionRecord.action,
    )
    conditions = [column.ilike(pattern, escape="\\") for column in columns]
    # Reasons are a JSON list; its stored text escapes quotes, backslashes and (as json.dumps
    # writes it) non-ASCII characters, so the text is searched in that spelling too.
    reasons = cast(DecisionRecord.reasons, String)
    encoded = json.dumps(text)[1:-1]
    conditions.append(reasons.ilike(f"%{_escape_like(encoded)}%", escape="\\"))
    if encoded != text and '"' not in text and "\\" not in text:
        conditions.append(reasons.ilike(pattern, escape="\\"))
    return or_(*conditions)


def latest_decision_for(
    session: Session, account_id: int | None, uid: str, recurrence_id: datetime | None
) -> DecisionRecord | None:
    """Return the newest decision about one event (or one instance of a series)."""
    query = select(DecisionRecord).where(_of_account(account_id), DecisionRecord.uid == uid)
    if recurrence_id is None:
        query = query.where(DecisionRecord.recurrence_id.is_(None))
    else:
        query = query.where(DecisionRecord.recurrence_id == recurrence_id)
    query = query.order_by(DecisionRecord.decided_at.desc(), DecisionRecord.id.desc()).limit(1)
    return session.scalars(query).first()


def escalations_used(
    session: Session, account_id: int | None, organizer: str, week: str | date
) -> int:
    """Return how many meetings ``organizer`` escalated in an ISO week (``YYYY-Www`` or a day).

    A meeting counts once however often it was re-screened, and it counts in the week it
    takes place (UTC).
    """
    start, end = week_bounds(week)
    events = (
        select(DecisionRecord.uid, DecisionRecord.recurrence_id)
        .where(
            _of_account(account_id),
            DecisionRecord.escalation.is_(True),
            DecisionRecord.organizer == organizer.strip().lower(),
            DecisionRecord.starts_at >= start,
            DecisionRecord.starts_at < end,
        )
        .distinct()
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(events)) or 0)


def escalation_ledger(
    session: Session,
    account_id: int | None,
    since: datetime,
    until: datetime,
    exclude_uids: Iterable[str] = (),
) -> EscalationLedger:
    """Return an EscalationLedger filled from the log for meetings starting in [since, until).

    Meetings in ``exclude_uids`` (those a run is about to screen again, every instance of
    a series too) are left out, so re-screening never spends a weekly budget twice.
    """
    skipped = set(exclude_uids)
    rows = session.execute(
        select(
            DecisionRecord.organizer,
            DecisionRecord.uid,
            DecisionRecord.recurrence_id,
            func.min(DecisionRecord.starts_at),
        )
        .where(
            _of_account(account_id),
            DecisionRecord.escalation.is_(True),
            DecisionRecord.starts_at >= since,
            DecisionRecord.starts_at < until,
        )
        .group_by(DecisionRecord.organizer, DecisionRecord.uid, DecisionRecord.recurrence_id)
    )
    ledger = EscalationLedger()
    for organizer, uid, _recurrence_id, starts_at in rows:
        if uid not in skipped:
            ledger.record(organizer, starts_at)
    return ledger


def week_bounds(week: str | date) -> tuple[datetime, datetime]:
    """Return the UTC [Monday 00:00, next Monday 00:00) of an ISO week."""
    if isinstance(week, datetime):
        week = week.astimezone(UTC).date() if week.tzinfo else week.date()
    if isinstance(week, date):
        year, number, _ = week.isocalendar()
    else:
        try:
            year_text, number_text = week.upper().split("-W")
            year, number = int(year_text), int(number_text)
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError(f"week must look like 2024-W07, got {week!r}") from None
    monday = datetime.combine(date.fromisocalendar(year, number, 1), datetime.min.time(), UTC)
    return monday, monday + timedelta(days=7)


def _of_account(account_id: int | None) -> ColumnElement[bool]:
    if account_id is None:
        return DecisionRecord.account_id.is_(None)
    return DecisionRecord.account_id == account_id


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
