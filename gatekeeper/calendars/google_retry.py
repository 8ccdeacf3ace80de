"""Bounded exponential backoff with full jitter for Google Calendar calls."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from gatekeeper.calendars.google_errors import Failure, as_calendar_error, failure_of

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry quota errors, 429 and 5xx (sleep and clock injectable)."""

    max_tries: int = 6
    max_total: float = 32.0  # seconds from the first try; no wait may cross this bound
    base: float = 0.5  # the first backoff window; it doubles on every try
    cap: float = 16.0  # the largest backoff window
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = field(default=random.random)  # uniform in [0, 1)

    def backoff(self, attempt: int) -> float:
        """Return the wait after failed try number ``attempt`` (1-based), full jitter."""
        return float(self.jitter()) * min(self.cap, self.base * 2.0 ** (attempt - 1))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds a Retry-After header asks for (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def call(
    policy: RetryPolicy,
    fn: Callable[[], T],
    *,
    what: str,
    account: str,
    syncing: bool = False,
) -> T:
    """Run ``fn``; retry transient Google failures within the policy; raise CalendarError."""
    started = policy.clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn()
        except Exception as exc:
            failure = failure_of(exc)
            if failure is None:
                raise
            wait = _wait_before_retry(policy, failure, attempt, started)
            if wait is None:
                raise as_calendar_error(failure, what, account, syncing=syncing) from exc
            log.warning(
                "Google Calendar of %s: %s answered %s %s; retry %d in %.2fs",
                account,
                what,
                failure.status if failure.status is not None else "no answer",
                failure.reason,
                attempt,
                wait,
            )
            policy.sleep(wait)


def _wait_before_retry(
    policy: RetryPolicy, failure: Failure, attempt: int, started: float
) -> float | None:
    """Return how long to wait before the next try, or None to give up now."""
    if not failure.transient or attempt >= policy.max_tries:
        return None
    wait = policy.backoff(attempt)
    asked = retry_after_seconds(failure.retry_after)
    if asked is not None:
        wait = max(wait, asked)
    if policy.clock() - started + wait > policy.max_total:
        return None
    return wait
