"""Queries on sync state: the stored sync token of each calendar and the last runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gatekeeper.store.google_models import SyncState
from gatekeeper.store.types import utcnow


def sync_state(session: Session, account_id: int, calendar_id: str = "primary") -> SyncState:
    """Return the sync state of one calendar, creating an empty one when missing."""
    state = session.get(SyncState, (account_id, calendar_id))
    if state is None:
        state = SyncState(account_id=account_id, calendar_id=calendar_id)
        session.add(state)
        session.flush()
    return state


def stored_sync_token(
    session: Session, account_id: int, calendar_id: str = "primary"
) -> str | None:
    """Return the sync token to continue from, or None when a full sync is due."""
    state = session.get(SyncState, (account_id, calendar_id))
    return state.sync_token if state is not None else None


def save_sync_token(
    session: Session,
    account_id: int,
    token: str,
    *,
    full: bool,
    calendar_id: str = "primary",
    at: datetime | None = None,
) -> SyncState:
    """Store the token of a completed sync (call only after its last page was handled)."""
    now = at or utcnow()
    state = sync_state(session, account_id, calendar_id)
    state.sync_token = token
    state.last_sync_at = now
    if full:
        state.last_full_sync_at = now
    state.last_error = None
    session.flush()
    return state


def clear_sync_token(session: Session, account_id: int, calendar_id: str = "primary") -> None:
    """Forget the sync token (Google answered 410): the next sync is a full one."""
    state = sync_state(session, account_id, calendar_id)
    state.sync_token = None
    session.flush()


def record_sync_error(
    session: Session, account_id: int, message: str, calendar_id: str = "primary"
) -> None:
    """Remember why the last sync of a calendar failed (shown to operators)."""
    state = sync_state(session, account_id, calendar_id)
    state.last_error = message[:2000]
    session.flush()
