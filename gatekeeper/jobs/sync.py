"""Sync jobs: one account (from the webhook), every account (the 15-minute backstop).

Jobs take ids only and let failures through, so RQ's Retry and failed-job registry see
them; the one exception is a revoked grant, which disconnects the account instead of
failing again every quarter of an hour.

The Google client and the sync service are imported here, at module level, on purpose: a
worker that imports this module before it forks hands every job a warm process (importing
them takes ~0.2 s, more than a whole sync).
"""

from __future__ import annotations

import logging
import os
import socket
from typing import TYPE_CHECKING, Any

from flask import current_app

import gatekeeper.calendars.google  # noqa: F401 - preloaded for forked work horses
from gatekeeper import get_queue
from gatekeeper.accounts import disconnect
from gatekeeper.errors import AuthError
from gatekeeper.focusblocks.service import sync_focus_blocks
from gatekeeper.jobs.context import app_job
from gatekeeper.sync.service import google_account_ids, sync_or_disconnect

if TYPE_CHECKING:
    from flask import Flask
    from redis import Redis

    from gatekeeper.jobs.queue import JobQueue

log = logging.getLogger(__name__)

SYNC_JOB = "gatekeeper.jobs.sync.sync_account_job"
FOCUS_BLOCKS_JOB = "gatekeeper.jobs.sync.focus_blocks_job"


def sync_job_id(account_id: int) -> str:
    """Return the deterministic id of an account's sync job (the webhook uses the same)."""
    return f"sync-account-{account_id}"


def focus_blocks_job_id(account_id: int) -> str:
    """Return the deterministic id of an account's focus-block job."""
    return f"focus-blocks-{account_id}"


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


@app_job
def sync_account_job(account_id: int) -> dict[str, Any]:
    """Sync one account; a revoked grant disconnects it (and returns), other errors raise."""
    return sync_or_disconnect(_app(), account_id).as_dict()


@app_job
def sync_all_job() -> list[int]:
    """Queue a sync of every active Google account (catches lost notifications).

    Sync jobs of a worker that died mid-run are put back on the queue first. Returns the
    ids of the accounts whose sync was queued.
    """
    app = _app()
    queue = get_queue(app)
    requeue_abandoned(queue)
    return _fan_out(queue, SYNC_JOB, sync_job_id, google_account_ids(app))


@app_job
def focus_blocks_job(account_id: int) -> dict[str, Any]:
    """Create, update or delete the account's YAML focus blocks on its calendar."""
    app = _app()
    try:
        return sync_focus_blocks(app, account_id).as_dict()
    except AuthError as exc:
        disconnect(app, account_id, str(exc))
        return {"account_id": account_id, "skipped": f"disconnected: {exc}"}


@app_job
def focus_blocks_all_job() -> list[int]:
    """Queue the focus-block job of every active Google account."""
    app = _app()
    return _fan_out(get_queue(app), FOCUS_BLOCKS_JOB, focus_blocks_job_id, google_account_ids(app))


def _fan_out(queue: JobQueue, func: str, job_id: Any, account_ids: list[int]) -> list[int]:
    """Queue ``func(account_id)`` per account; inline, one failure does not stop the rest."""
    failures: list[Exception] = []
    for account_id in account_ids:
        try:
            queue.enqueue(func, account_id, job_id=job_id(account_id))
        except Exception as exc:
            if queue.kind != "inline":
                raise
            failures.append(exc)  # the inline queue already logged it
    if failures:
        raise failures[0]
    return account_ids


# -- jobs of a worker that died -------------------------------------------------------------


def requeue_abandoned(queue: JobQueue) -> list[str]:
    """Put back on the queue the started jobs whose worker process is gone; return their ids.

    RQ itself notices an abandoned job only after its heartbeat expires (a minute at
    least) and at a worker's next maintenance (every ten minutes), then retries it after
    the retry interval. A worker killed mid-sync should not hold a calendar back that
    long: a job whose worker is gone is re-queued at once, spending one of its retries
    (a job without retries left is left to RQ, which moves it to the failed registry).
    """
    from gatekeeper.jobs.queue import RedisQueue

    if not isinstance(queue, RedisQueue):
        return []
    from rq.exceptions import NoSuchJobError
    from rq.executions import Execution
    from rq.job import Job, JobStatus

    rq_queue = queue.queue
    connection = queue.connection
    registry = rq_queue.started_job_registry
    requeued: list[str] = []
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        try:
            worker_name = Execution.fetch(execution_id, job_id, connection).worker_name
        except ValueError:
            worker_name = ""  # the execution's own record expired with its heartbeat
        if worker_name and _worker_alive(connection, worker_name):
            continue
        try:
            job = Job.fetch(job_id, connection=connection)
        except NoSuchJobError:
            connection.zrem(registry.key, f"{job_id}:{execution_id}")
            continue
        if job.get_status() != JobStatus.STARTED or not job.retries_left:
            continue
        connection.zrem(registry.key, f"{job_id}:{execution_id}")
        job.retries_left -= 1
        rq_queue.enqueue_job(job, at_front=True)
        log.warning(
            "job %s was running on worker %s, which is gone; re-queued (%d retries left)",
            job_id,
            worker_name or "?",
            job.retries_left,
        )
        requeued.append(job_id)
    return requeued


def _worker_alive(connection: Redis, worker_name: str) -> bool:
    """Return whether an RQ worker still runs (its key exists; on this host, its pid)."""
    from rq import Worker

    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + worker_name, connection)
    if worker is None:
        return False
    if worker.hostname != socket.gethostname() or not worker.pid:
        return True  # another machine: trust its key, which expires without heartbeats
    try:
        os.kill(worker.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    return True
