"""The job queue: RQ on Redis when REDIS_URL is set, else jobs run inline in-process."""

from __future__ import annotations

import importlib
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gatekeeper.config import mask_url

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

QUEUE_NAME = "gatekeeper"
JobFunc = str | Callable[..., Any]
# RQ 3 accepts only these characters in job ids; inline mode checks the same rule.
JOB_ID = re.compile(r"[A-Za-z0-9_-]+")
# RQ states in which a job still waits to run; enqueuing its id again adds nothing.
PENDING_STATES = frozenset({"queued", "scheduled", "deferred", "started"})


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failed job is tried again, and after how many seconds each time."""

    max: int
    intervals: tuple[int, ...] = (0,)

    def __post_init__(self) -> None:
        if self.max < 1:
            raise ValueError("RetryPolicy.max must be at least 1")
        if not self.intervals or any(step < 0 for step in self.intervals):
            raise ValueError("RetryPolicy.intervals must be non-negative seconds")


# Jobs are idempotent, so a transient failure (network, quota) is simply tried again.
DEFAULT_RETRY = RetryPolicy(max=3, intervals=(30, 120, 600))


@dataclass(frozen=True)
class JobHandle:
    """What enqueue did: the job's id, its state, and for inline jobs the result."""

    id: str
    status: str  # queued | scheduled | started | finished | ...
    duplicate: bool = False  # a job with this id was already waiting; nothing was added
    result: Any = None


class JobQueue(ABC):
    """Run jobs that take ids and primitives; ``kind`` names the backend."""

    kind: str

    @abstractmethod
    def enqueue(
        self,
        func: JobFunc,
        *args: Any,
        job_id: str | None = None,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        timeout: int | None = None,
    ) -> JobHandle:
        """Queue ``func(*args)``; a job id still waiting under ``job_id`` is not added twice."""

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """Return ``{"ok": bool, "kind": ..., "detail": str}``."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""


class InlineQueue(JobQueue):
    """Run each job at once in the calling process; its exception propagates to the caller."""

    kind = "inline"

    def __init__(self) -> None:
        self._running: set[str] = set()

    def enqueue(
        self,
        func: JobFunc,
        *args: Any,
        job_id: str | None = None,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        timeout: int | None = None,
    ) -> JobHandle:
        """Run ``func(*args)`` now and return its result; retries are a worker's business."""
        check_job_id(job_id)
        check_job_args(args)
        target = resolve(func)
        name = job_id or function_path(func)
        if job_id is not None and job_id in self._running:
            # A job that (indirectly) enqueues itself again must not recurse.
            return JobHandle(id=job_id, status="started", duplicate=True)
        if job_id is not None:
            self._running.add(job_id)
        try:
            result = target(*args)
        except Exception:
            log.exception("job %s (%s) failed", name, function_path(func))
            raise
        finally:
            if job_id is not None:
                self._running.discard(job_id)
        return JobHandle(id=name, status="finished", result=result)

    def health(self) -> dict[str, Any]:
        """Return an always-ok health entry: inline jobs need nothing outside the process."""
        return {"ok": True, "kind": self.kind, "detail": "REDIS_URL unset: jobs run inline"}

    def close(self) -> None:
        """Do nothing: the inline queue holds no connections."""


class RedisQueue(JobQueue):
    """Queue jobs with RQ; a worker (``python -m gatekeeper worker``) runs them."""

    kind = "redis"

    def __init__(
        self, url: str, name: str = QUEUE_NAME, *, connection: Redis | None = None
    ) -> None:
        from redis import Redis
        from rq import Queue

        self.url = url
        # Short timeouts: a dead Redis must fail a web request (and /healthz) fast.
        self.connection = connection or Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5
        )
        self.queue = Queue(name, connection=self.connection)

    @classmethod
    def from_connection(cls, connection: Redis, name: str = QUEUE_NAME) -> RedisQueue:
        """Return a queue on an existing connection (inside a worker)."""
        kwargs = connection.connection_pool.connection_kwargs
        url = f"redis://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"
        return cls(f"{url}/{kwargs.get('db', 0)}", name, connection=connection)

    def __repr__(self) -> str:
        return f"RedisQueue({mask_url(self.url)!r}, {self.queue.name!r})"

    def enqueue(
        self,
        func: JobFunc,
        *args: Any,
        job_id: str | None = None,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        timeout: int | None = None,
    ) -> JobHandle:
        """Put ``func(*args)`` on the RQ queue, unless a job with ``job_id`` still waits.

        When the job with ``job_id`` is already running, one follow-up run is queued under
        ``<job_id>-rerun``, so that work requested mid-run (a calendar change noticed while
        its sync is under way) is not lost.
        """
        check_job_id(job_id)
        check_job_args(args)
        options = rq_options(retry, timeout)
        if job_id is None:
            job = self.queue.enqueue(_rq_func(func), *args, **options)
            return JobHandle(id=job.id, status=job.get_status(refresh=False).value)
        handle = self._enqueue_once(func, args, job_id, options)
        if handle.duplicate and handle.status == "started":
            return self._enqueue_once(func, args, f"{job_id}-rerun", options)
        return handle

    def _enqueue_once(
        self, func: JobFunc, args: tuple[Any, ...], job_id: str, options: dict[str, Any]
    ) -> JobHandle:
        from rq.exceptions import DuplicateJobError

        existing = self.queue.fetch_job(job_id)
        if existing is not None:
            status = existing.get_status().value
            if status in PENDING_STATES:
                return JobHandle(id=job_id, status=status, duplicate=True)
            # A finished or failed run of the same id: this is new work.
            job = self.queue.enqueue(_rq_func(func), *args, job_id=job_id, **options)
            return JobHandle(id=job.id, status=job.get_status(refresh=False).value)
        try:
            job = self.queue.enqueue(_rq_func(func), *args, job_id=job_id, unique=True, **options)
        except DuplicateJobError:
            # Another process enqueued the same id between our check and our write.
            raced = self.queue.fetch_job(job_id)
            status = raced.get_status().value if raced is not None else "queued"
            return JobHandle(id=job_id, status=status, duplicate=True)
        return JobHandle(id=job.id, status=job.get_status(refresh=False).value)

    def health(self) -> dict[str, Any]:
        """Ping Redis and report the queue length."""
        from redis.exceptions import RedisError

        try:
            self.connection.ping()
            waiting = self.queue.count
        except (RedisError, OSError) as exc:
            return {"ok": False, "kind": self.kind, "detail": f"{mask_url(self.url)}: {exc}"}
        return {
            "ok": True,
            "kind": self.kind,
            "detail": f"{mask_url(self.url)}: {waiting} job(s) waiting on {self.queue.name!r}",
        }

    def close(self) -> None:
        """Close the Redis connection pool."""
        self.connection.close()


def make_queue(redis_url: str | None) -> JobQueue:
    """Return the RQ queue when ``redis_url`` is set, else the inline queue."""
    return RedisQueue(redis_url) if redis_url else InlineQueue()


def rq_options(retry: RetryPolicy | None, timeout: int | None) -> dict[str, Any]:
    """Translate our options into RQ's enqueue keyword arguments."""
    from rq import Retry

    options: dict[str, Any] = {}
    if retry is not None:
        options["retry"] = Retry(max=retry.max, interval=list(retry.intervals))
    if timeout is not None:
        options["job_timeout"] = timeout
    return options


def _rq_func(func: JobFunc) -> Any:
    """Return ``func`` typed for RQ, which accepts a dotted path or a callable alike."""
    return func


def function_path(func: JobFunc) -> str:
    """Return the dotted import path of a job function."""
    if isinstance(func, str):
        return func
    return f"{func.__module__}.{func.__qualname__}"


def resolve(func: JobFunc) -> Callable[..., Any]:
    """Return the callable named by a dotted path (or the callable itself)."""
    if not isinstance(func, str):
        return func
    module_name, _, attribute = func.rpartition(".")
    if not module_name:
        raise ValueError(f"job function must be a dotted path like 'pkg.module.func': {func!r}")
    target = getattr(importlib.import_module(module_name), attribute, None)
    if not callable(target):
        raise ValueError(f"job function {func!r} is not a callable")
    return target  # type: ignore[no-any-return]


def check_job_id(job_id: str | None) -> None:
    """Raise ValueError unless ``job_id`` is None or made of letters, digits, _ and -."""
    if job_id is not None and not JOB_ID.fullmatch(job_id):
        raise ValueError(
            f"job id {job_id!r} may contain only letters, digits, '_' and '-' "
            "(e.g. 'sync-account-42')"
        )


def check_job_args(args: tuple[Any, ...]) -> None:
    """Raise TypeError unless every argument is an id or a primitive (JSON-like) value."""
    for position, value in enumerate(args):
        if not _primitive(value):
            raise TypeError(
                f"job argument {position} is a {type(value).__name__}; jobs take ids and "
                "primitives (str, int, float, bool, None, and lists/dicts of them)"
            )


def _primitive(value: Any) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_primitive(item) for item in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _primitive(v) for k, v in value.items())
    return False
