"""The RQ queue on a real Redis, worked by a real RQ worker in burst mode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from gatekeeper import get_queue
from gatekeeper.jobs.queue import RedisQueue, RetryPolicy
from gatekeeper.jobs.schedule import ScheduledJob
from gatekeeper.jobs.scheduler import next_slot, register_schedule, tick_id

pytestmark = pytest.mark.redis


def test_same_job_id_is_queued_once(rq_queue: RedisQueue) -> None:
    first = rq_queue.enqueue("operator.add", 1, 2, job_id="sync-acct-1")
    second = rq_queue.enqueue("operator.add", 1, 2, job_id="sync-acct-1")
    assert (first.status, first.duplicate) == ("queued", False)
    assert (second.status, second.duplicate) == ("queued", True)
    assert rq_queue.queue.get_job_ids() == ["sync-acct-1"]


def test_finished_job_id_can_run_again(rq_queue: RedisQueue, burst: Callable[[], bool]) -> None:
    rq_queue.enqueue("operator.add", 1, 2, job_id="sync-acct-1")
    assert burst()
    job = rq_queue.queue.fetch_job("sync-acct-1")
    assert job is not None and job.get_status() == JobStatus.FINISHED and job.return_value() == 3
    again = rq_queue.enqueue("operator.add", 5, 5, job_id="sync-acct-1")
    assert (again.status, again.duplicate) == ("queued", False)
    burst()
    job = rq_queue.queue.fetch_job("sync-acct-1")
    assert job is not None and job.return_value() == 10


def test_running_job_gets_one_follow_up_run(rq_queue: RedisQueue) -> None:
    rq_queue.enqueue("operator.add", 1, 2, job_id="sync-acct-1")
    job = rq_queue.queue.fetch_job("sync-acct-1")
    assert job is not None
    job.set_status(JobStatus.STARTED)  # as a worker does when it picks the job up
    follow_up = rq_queue.enqueue("operator.add", 1, 2, job_id="sync-acct-1")
    assert (follow_up.id, follow_up.duplicate) == ("sync-acct-1-rerun", False)
    again = rq_queue.enqueue("operator.add", 1, 2, job_id="sync-acct-1")
    assert (again.id, again.duplicate) == ("sync-acct-1-rerun", True)


def test_failure_lands_in_the_failed_registry(
    rq_queue: RedisQueue, burst: Callable[[], bool]
) -> None:
    rq_queue.enqueue("tests.jobs.tasks.fail", "calendar gone", job_id="doomed", retry=None)
    burst()
    registry = FailedJobRegistry(queue=rq_queue.queue)
    assert registry.get_job_ids() == ["doomed"]
    job = Job.fetch("doomed", connection=rq_queue.connection)
    assert job.get_status() == JobStatus.FAILED
    result = job.latest_result()
    assert result is not None and "RuntimeError: calendar gone" in (result.exc_string or "")


def test_failing_job_is_retried_before_it_fails(
    rq_queue: RedisQueue, burst: Callable[[], bool]
) -> None:
    rq_queue.enqueue("tests.jobs.tasks.fail", "flaky", job_id="retried",
                     retry=RetryPolicy(max=2, intervals=(0,)))  # fmt: skip
    burst()
    job = Job.fetch("retried", connection=rq_queue.connection)
    assert job.retries_left == 0
    assert job.get_status() == JobStatus.FAILED
    assert "retried" in FailedJobRegistry(queue=rq_queue.queue).get_job_ids()


def test_health_reports_queue_length(rq_queue: RedisQueue) -> None:
    rq_queue.enqueue("operator.add", 1, 2)
    health = rq_queue.health()
    assert health["ok"] is True and health["kind"] == "redis"
    assert "1 job(s) waiting on 'gatekeeper'" in health["detail"]


def test_health_reports_a_dead_redis(unused_port: int) -> None:
    queue = RedisQueue(f"redis://:hunter2@127.0.0.1:{unused_port}/0")
    try:
        health = queue.health()
    finally:
        queue.close()
    assert health["ok"] is False and health["kind"] == "redis"
    assert "hunter2" not in health["detail"] and ":***@127.0.0.1" in health["detail"]


def test_worker_runs_jobs_in_the_app_context(redis_app: Any) -> None:
    from gatekeeper.jobs.worker import run_worker
    from tests.jobs.tasks import add_demo_account, count_accounts

    with redis_app.app_context():
        queue = get_queue()
        queue.enqueue(add_demo_account, "ana@example.com", job_id="add-ana")
        queue.enqueue(count_accounts, job_id="count")
    assert run_worker(redis_app, burst=True)
    connection = get_queue(redis_app).connection  # type: ignore[attr-defined]
    assert Job.fetch("count", connection=connection).return_value() == 1


def test_schedule_registers_each_slot_once(rq_queue: RedisQueue) -> None:
    entry = ScheduledJob("backstop", "os.getpid", timedelta(minutes=15))
    now = datetime(2024, 3, 4, 9, 7, tzinfo=UTC)
    first = register_schedule(rq_queue, [entry], now=now)
    second = register_schedule(rq_queue, [entry], now=now + timedelta(minutes=1))
    slot = next_slot(900, now)
    assert first == second == [tick_id("backstop", slot)]
    assert datetime.fromtimestamp(slot * 900, UTC) == datetime(2024, 3, 4, 9, 15, tzinfo=UTC)
    registry = ScheduledJobRegistry(queue=rq_queue.queue)
    assert registry.get_job_ids() == [tick_id("backstop", slot)]


def test_tick_queues_the_job_and_the_next_tick(
    rq_queue: RedisQueue, burst: Callable[[], bool]
) -> None:
    from gatekeeper.jobs.scheduler import tick

    slot = next_slot(60) - 1  # the slot we are in: as if the scheduler just fired it
    rq_queue.queue.enqueue(tick, "ping", "os.getpid", 60, slot, job_id=tick_id("ping", slot))
    burst()
    ping = Job.fetch("ping", connection=rq_queue.connection)
    assert ping.get_status() == JobStatus.FINISHED and isinstance(ping.return_value(), int)
    scheduled = ScheduledJobRegistry(queue=rq_queue.queue).get_job_ids()
    assert scheduled == [tick_id("ping", slot + 1)] or scheduled == [tick_id("ping", slot + 2)]
