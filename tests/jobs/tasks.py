"""Job functions the job tests enqueue (importable by path, as RQ requires)."""

from __future__ import annotations

from sqlalchemy import func, select

from gatekeeper import get_db, get_queue
from gatekeeper.jobs.context import app_job
from gatekeeper.store.accounts import add_account
from gatekeeper.store.models import Account


@app_job
def add_demo_account(email: str) -> int:
    """Create a demo account in the app's database and return its id."""
    with get_db().session() as session:
        return add_account(session, email, provider="demo").id


@app_job
def count_accounts() -> int:
    """Return the number of accounts in the app's database."""
    with get_db().session() as session:
        return int(session.scalar(select(func.count()).select_from(Account)) or 0)


@app_job
def enqueue_myself(job_id: str) -> bool:
    """Enqueue this very job again under its own id; return whether that was refused."""
    handle = get_queue().enqueue(enqueue_myself, job_id, job_id=job_id)
    return handle.duplicate


def fail(message: str) -> None:
    """Fail on purpose."""
    raise RuntimeError(message)
