"""Background jobs: the queue (RQ or inline), the schedule, and the worker."""

from __future__ import annotations

from gatekeeper.jobs.queue import (
    DEFAULT_RETRY,
    InlineQueue,
    JobHandle,
    JobQueue,
    RedisQueue,
    RetryPolicy,
    make_queue,
)

__all__ = [
    "DEFAULT_RETRY",
    "InlineQueue",
    "JobHandle",
    "JobQueue",
    "RedisQueue",
    "RetryPolicy",
    "make_queue",
]
