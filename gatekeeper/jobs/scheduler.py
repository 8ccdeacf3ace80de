"""Periodic jobs on RQ's built-in scheduler: one self-rescheduling tick per schedule entry.

Time is cut into slots of one interval each (counted from the Unix epoch); the tick for
slot N has the id ``schedule-<job id>-<N>`` and runs at the start of that slot. The ids
are deterministic, so any number of workers starting at once schedule each slot once.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from gatekeeper.jobs.queue import RedisQueue
from gatekeeper.jobs.schedule import SCHEDULE, ScheduledJob

if TYPE_CHECKING:
    from rq import Queue

log = logging.getLogger(__name__)


def tick_id(job_id: str, slot: int) -> str:
    """Return the id of the tick that starts ``job_id`` in ``slot``."""
    return f"schedule-{job_id}-{slot}"


def next_slot(interval_seconds: int, now: datetime | None = None) -> int:
    """Return the first slot that starts after ``now``."""
    moment = (now or datetime.now(UTC)).timestamp()
    return math.floor(moment / interval_seconds) + 1


def register_schedule(
    queue: RedisQueue, schedule: Iterable[ScheduledJob] = SCHEDULE, now: datetime | None = None
) -> list[str]:
    """Schedule the next tick of every entry (idempotent) and return the tick ids."""
    ids = []
    for entry in schedule:
        seconds = int(entry.interval.total_seconds())
        slot = next_slot(seconds, now)
        ids.append(_schedule_tick(queue.queue, entry.job_id, entry.func, seconds, slot))
    return ids


def tick(job_id: str, func: str, interval_seconds: int, slot: int) -> str:
    """Schedule the next tick, then queue the job itself under its deterministic id."""
    from rq import get_current_job

    current = get_current_job()
    if current is None:
        raise RuntimeError("scheduler ticks run only inside an RQ worker")
    queue = RedisQueue.from_connection(current.connection, current.origin)
    # A worker that was down skips the missed slots rather than running them in a burst.
    following = max(slot + 1, next_slot(interval_seconds))
    _schedule_tick(queue.queue, job_id, func, interval_seconds, following)
    handle = queue.enqueue(func, job_id=job_id)
    return handle.id


def _schedule_tick(queue: Queue, job_id: str, func: str, seconds: int, slot: int) -> str:
    from rq.exceptions import DuplicateJobError

    ident = tick_id(job_id, slot)
    when = datetime.fromtimestamp(slot * seconds, UTC)
    try:
        queue.enqueue_at(
            when,
            tick,
            job_id,
            func,
            seconds,
            slot,
            job_id=ident,
            unique=True,
            result_ttl=seconds * 2,
            failure_ttl=7 * 24 * 3600,
        )
    except DuplicateJobError:
        return ident  # already scheduled by another worker or an earlier start
    log.info("scheduled %s at %s", ident, when.isoformat())
    return ident
