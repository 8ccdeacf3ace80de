"""Throughput of the pure screening engine with the default policy on one core."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from bench.generate import PERSON, invites
from gatekeeper.screening.engine import Context, evaluate
from gatekeeper.screening.policy import Policy

TARGET_PER_SECOND = 20_000
COUNT = 10_000
# Timed passes over the same invites. The best is the engine's figure; the median shows
# how much a shared, busy host held it back during the run.
PASSES = 7


def main() -> None:
    """Evaluate 10,000 varied invites and print invites per second against the target."""
    policy = Policy.default()
    items = invites(COUNT)
    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    times = []
    for _ in range(PASSES):
        ctx = Context(person_email=PERSON, now=now)
        started = time.perf_counter()
        for invite in items:
            evaluate(invite, policy, ctx)
        times.append(time.perf_counter() - started)
    best = min(times)
    rate = COUNT / best
    print(
        f"engine: {COUNT} invites in {best * 1000:.0f} ms = {rate:,.0f} invites/s on one core "
        f"(target {TARGET_PER_SECOND:,}/s: {rate / TARGET_PER_SECOND:.2f}x) "
        f"{'OK' if rate >= TARGET_PER_SECOND else 'BELOW TARGET'}; "
        f"best of {PASSES} passes, median {COUNT / statistics.median(times):,.0f}/s"
    )
