"""Push → webhook → RQ → worker → decline, on a real Redis with real RQ workers.

The app is served over HTTP so that the emulator's push notifications reach the real
webhook; jobs run in real workers: in-process (burst) for most tests, and as
``python -m gatekeeper worker`` subprocesses for the worker killed mid-job.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rq.job import Job, JobStatus
from werkzeug.serving import make_server

from emulator.google_calendar import PushMode, Running
from emulator.testing import FakeTime
from gatekeeper import get_queue
from gatekeeper.jobs.schedule import SCHEDULE
from gatekeeper.jobs.sync import SYNC_JOB, requeue_abandoned, sync_job_id
from gatekeeper.jobs.worker import run_worker
from tests.sync.support import (
    Person,
    answers,
    close_app,
    google_env,
    make_app,
    person_factory,
    weekday_at,
)

pytest_plugins = ["emulator.pytest_plugin"]
pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web_port(unused_port: int) -> int:
    """Return the port the app will be served on."""
    return unused_port


@pytest.fixture
def job_env(
    app_env: dict[str, str], google_emulator: Running, redis_url: str, web_port: int
) -> dict[str, str]:
    """Return the environment of the app and its workers: Redis on, webhook served."""
    env = google_env(app_env, google_emulator, app_env["DATABASE_URL"])
    return {**env, "REDIS_URL": redis_url, "PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}"}


@pytest.fixture
def sync_app(job_env: dict[str, str], fake_time: FakeTime, web_port: int) -> Iterator[Any]:
    """Return the app, served on 127.0.0.1:web_port, its jobs going to the test Redis."""
    app = make_app(job_env, fake_time)
    server = make_server("127.0.0.1", web_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield app
    server.shutdown()
    thread.join(timeout=5)
    close_app(app)


@pytest.fixture
def person(sync_app: Any, google_emulator: Running) -> Callable[..., Person]:
    """Return ``make(mode)``: an emulator user connected to the served app."""
    return person_factory(sync_app, google_emulator)


@pytest.fixture
def watched(
    person: Callable[..., Person], sync_app: Any, google_emulator: Running
) -> Callable[..., Person]:
    """Return ``make(mode)``: a connected person whose calendar is watched, first sync done."""
    from gatekeeper.channels.watch import start_watch

    def make(mode: str = "enforce", **options: Any) -> Person:
        someone = person(mode, **options)
        start_watch(sync_app, someone.account_id)
        someone.sync(full=True)
        assert google_emulator.state.notifier.wait_idle()
        return someone

    return make


def _work(app: Any) -> None:
    """Run a real RQ worker in this process until the queue is empty."""
    run_worker(app, burst=True, with_scheduler=False)


def _connection(app: Any) -> Any:
    return get_queue(app).connection  # type: ignore[attr-defined]


def test_push_is_screened_and_declined_through_the_queue(
    watched: Callable[..., Person], sync_app: Any, google_emulator: Running
) -> None:
    ann = watched("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    assert google_emulator.state.notifier.wait_idle()
    exists = [d for d in google_emulator.state.deliveries if d.state == "exists"]
    assert exists and all(d.status == 200 for d in exists)
    job = Job.fetch(sync_job_id(ann.account_id), connection=_connection(sync_app))
    assert job.get_status() == JobStatus.QUEUED
    _work(sync_app)
    assert ann.mine(event_id)["responseStatus"] == "declined"
    assert len(answers(ann.state, event_id)) == 1
    result = Job.fetch(sync_job_id(ann.account_id), connection=_connection(sync_app))
    assert result.return_value()["answered"] == 1


def test_duplicate_and_repeated_notifications_make_one_reply(
    watched: Callable[..., Person], sync_app: Any, google_emulator: Running
) -> None:
    ann = watched("enforce")
    google_emulator.state.push_mode = PushMode.DUPLICATED
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.update_invite(event_id, location="Room 1")
    ann.state.update_invite(event_id, location="Room 2")
    assert google_emulator.state.notifier.wait_idle()
    assert len([d for d in google_emulator.state.deliveries if d.state == "exists"]) >= 6
    assert get_queue(sync_app).queue.count == 1  # type: ignore[attr-defined]
    _work(sync_app)
    # Our own answer notifies again; that sync, and any later one, sends nothing.
    assert google_emulator.state.notifier.wait_idle()
    _work(sync_app)
    assert len(answers(ann.state, event_id)) == 1
    assert ann.mine(event_id)["responseStatus"] == "declined"


def test_backstop_queues_one_sync_per_account(person: Callable[..., Person], sync_app: Any) -> None:
    ann = person("enforce")
    cid = person("enforce", "cid@example.com")
    first = ann.invite("Budget chat", weekday_at(2, 13), description="")
    second = cid.invite("Other chat", weekday_at(2, 15), description="", guests=[])
    queue = get_queue(sync_app)
    queue.enqueue("gatekeeper.jobs.sync.sync_all_job", job_id="sync-all")
    queue.enqueue(SYNC_JOB, ann.account_id, job_id=sync_job_id(ann.account_id))  # a push
    _work(sync_app)
    assert len(answers(ann.state, first)) == 1 and len(answers(ann.state, second)) == 1
    backstop = Job.fetch("sync-all", connection=_connection(sync_app))
    assert sorted(backstop.return_value()) == sorted([ann.account_id, cid.account_id])


def test_successive_sync_jobs_refresh_the_access_token_once(
    person: Callable[..., Person], sync_app: Any, google_emulator: Running
) -> None:
    ann = person("enforce")
    queue = get_queue(sync_app)
    for summary, hour in (("Budget chat", 13), ("Other chat", 15)):
        ann.invite(summary, weekday_at(2, hour), description="")
        queue.enqueue(SYNC_JOB, ann.account_id, job_id=sync_job_id(ann.account_id))
        _work(sync_app)  # each job in its own work horse: the token comes from Redis
    assert len(answers(ann.state)) == 2
    assert len(google_emulator.state.requests_to("POST", "/token")) == 1


def test_a_revoked_grant_disconnects_without_failing_the_job(
    watched: Callable[..., Person], sync_app: Any, google_emulator: Running
) -> None:
    ann = watched("enforce")
    google_emulator.state.revoke("refresh-ann")
    queue = get_queue(sync_app)
    queue.enqueue(SYNC_JOB, ann.account_id, job_id=sync_job_id(ann.account_id))
    _work(sync_app)
    job = Job.fetch(sync_job_id(ann.account_id), connection=_connection(sync_app))
    assert job.get_status() == JobStatus.FINISHED  # not failed, so not retried
    assert job.return_value()["skipped"].startswith("disconnected")
    from gatekeeper import get_db
    from gatekeeper.store.accounts import get_account

    with get_db(sync_app).session() as session:
        account = get_account(session, ann.account_id)
        assert account is not None and account.status == "disconnected"
    # The next run of the job (the backstop) does nothing for it.
    queue.enqueue(SYNC_JOB, ann.account_id, job_id=sync_job_id(ann.account_id))
    _work(sync_app)
    job = Job.fetch(sync_job_id(ann.account_id), connection=_connection(sync_app))
    assert job.return_value()["skipped"] == "account disconnected"


def test_schedule_has_the_backstop_every_quarter_hour() -> None:
    entries = {entry.job_id: entry for entry in SCHEDULE}
    assert entries["sync-all"].func == "gatekeeper.jobs.sync.sync_all_job"
    assert entries["sync-all"].interval.total_seconds() == 15 * 60
    assert entries["focus-blocks-all"].func == "gatekeeper.jobs.sync.focus_blocks_all_job"


# -- a worker killed mid-job ---------------------------------------------------------------


def _start_worker(env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    """Start ``python -m gatekeeper worker``."""
    return subprocess.Popen(
        [sys.executable, "-m", "gatekeeper", "worker"],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _descendants(pid: int) -> list[int]:
    """Return the processes started by ``pid`` (RQ's work horse and scheduler), recursively."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker, then the processes it started, as when its machine dies."""
    # RQ's work horse runs in a process group of its own, so each pid is killed by itself;
    # the worker first, so it cannot notice its horse dying and fail the job.
    spawned = _descendants(worker.pid)
    worker.kill()
    for pid in spawned:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("method", "path", "outcome"),
    [
        # Killed while listing: nothing was logged yet; the retry does all of it.
        ("GET", "/events", "declined"),
        # Killed while the PATCH was under way (it still got through): the retry finds
        # the answer on the calendar and only logs it.
        ("PATCH", "/events/", "declined (the answer was already on the calendar)"),
    ],
    ids=["before-the-answer", "while-answering"],
)
def test_worker_killed_mid_job_is_requeued_and_answers_once(
    person: Callable[..., Person],
    sync_app: Any,
    job_env: dict[str, str],
    tmp_path: Path,
    method: str,
    path: str,
    outcome: str,
) -> None:
    ann = person("enforce")
    ann.sync(full=True)
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    state = ann.state
    state.inject_latency(3.0, method=method, path=f"*{path}*", times=1)
    calls_before = len(state.requests)

    def slow_request_arrived() -> bool:
        return any(r.method == method and path in r.path for r in state.requests[calls_before:])

    connection = _connection(sync_app)
    queue = get_queue(sync_app)
    queue.enqueue(SYNC_JOB, ann.account_id, job_id=sync_job_id(ann.account_id))
    log_path = tmp_path / "worker.log"
    with log_path.open("ab") as log:
        workers = [_start_worker(job_env, log)]
        try:
            _wait_for(slow_request_arrived, "the slow request")
            _kill(workers[0])
            job = Job.fetch(sync_job_id(ann.account_id), connection=connection)
            assert job.get_status() == JobStatus.STARTED  # RQ still believes it runs
            # Let the request the dead worker left behind finish at the emulator.
            _wait_for(lambda: all(r.status is not None for r in state.requests), "the emulator")
            workers.append(_start_worker(job_env, log))
            # The backstop tick finds the job of the dead worker and puts it back at once.
            queue.enqueue("gatekeeper.jobs.sync.sync_all_job", job_id="sync-all")
            _wait_for(
                lambda: job.get_status() == JobStatus.FINISHED,
                "the retried sync",
            )
        finally:
            for worker in workers:
                if worker.poll() is None:
                    _kill(worker)
    job = Job.fetch(sync_job_id(ann.account_id), connection=connection)
    assert job.retries_left == 2, log_path.read_text()  # one retry spent on the killed run
    assert len(answers(state, event_id)) == 1, log_path.read_text()
    assert ann.mine(event_id)["responseStatus"] == "declined"
    (record,) = ann.records()
    assert record.outcome == outcome


def test_requeue_leaves_jobs_of_live_workers_alone(sync_app: Any) -> None:
    queue = get_queue(sync_app)
    queue.enqueue("operator.add", 1, 2, job_id="sleepy")
    assert requeue_abandoned(queue) == []  # queued, not started: nothing to do
