"""PendingProbe: RQ job states read over a plain Redis socket (real Redis, real RQ jobs)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from redis import Redis
from redis.exceptions import RedisError, ResponseError
from rq.job import JobStatus

from gatekeeper.channels.pending import CLIENT_NAME, PendingProbe, command
from gatekeeper.jobs.queue import RedisQueue

pytestmark = pytest.mark.redis


@pytest.fixture
def queue(redis_url: str) -> Iterator[RedisQueue]:
    rq_queue = RedisQueue(redis_url)
    yield rq_queue
    rq_queue.close()


def test_command_is_encoded_as_resp() -> None:
    assert command("HGET", "rq:job:é", "status") == (
        b"*3\r\n$4\r\nHGET\r\n$9\r\nrq:job:\xc3\xa9\r\n$6\r\nstatus\r\n"
    )


def test_waiting_follows_the_rq_job_through_its_states(queue: RedisQueue) -> None:
    probe = PendingProbe(queue.connection)
    assert not probe.waiting("sync-account-7")  # no such job
    queue.enqueue("operator.add", 1, 2, job_id="sync-account-7")
    assert probe.waiting("sync-account-7")  # in the selected database, not db 0
    job = queue.queue.fetch_job("sync-account-7")
    assert job is not None
    job.set_status(JobStatus.STARTED)
    assert not probe.waiting("sync-account-7")
    job.set_status(JobStatus.FINISHED)
    assert not probe.waiting("sync-account-7")
    job.set_status(JobStatus.SCHEDULED)
    assert probe.waiting("sync-account-7")


def test_each_thread_gets_its_own_connection(queue: RedisQueue) -> None:
    queue.enqueue("operator.add", 1, 2, job_id="sync-account-1")
    probe = PendingProbe(queue.connection)
    answers: list[bool] = []
    lock = threading.Lock()
    asked = threading.Barrier(9)
    counted = threading.Event()

    def ask() -> None:
        for _ in range(200):
            result = probe.waiting("sync-account-1")
            with lock:
                answers.append(result)
        asked.wait()
        counted.wait(10)  # a thread's socket closes with the thread

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    asked.wait()
    db = str(queue.connection.connection_pool.connection_kwargs.get("db", 0))
    mine = [
        c
        for c in queue.connection.client_list()
        if c.get("name") == CLIENT_NAME and str(c.get("db")) == db
    ]
    counted.set()
    for thread in threads:
        thread.join()
    assert answers == [True] * 1600
    assert len(mine) == 8  # one per thread, kept for all of its 200 questions


def test_unreachable_redis_raises_and_the_next_call_reconnects(unused_port: int) -> None:
    probe = PendingProbe(Redis.from_url(f"redis://127.0.0.1:{unused_port}/0"))
    with pytest.raises(OSError):
        probe.waiting("sync-account-1")
    with pytest.raises(OSError):
        probe.waiting("sync-account-1")


@pytest.fixture
def password_redis(unused_port: int) -> Iterator[str]:
    """Start a private redis-server that requires a password."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not on PATH", False)
    process = subprocess.Popen(
        [binary, "--port", str(unused_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--requirepass", "s3cret"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", unused_port)) == 0:
                break
        time.sleep(0.05)
    yield f"redis://:s3cret@127.0.0.1:{unused_port}/2"
    process.terminate()
    process.wait(timeout=10)


def test_password_and_database_from_the_url_are_used(password_redis: str) -> None:
    client = Redis.from_url(password_redis)
    client.hset("rq:job:sync-account-3", "status", "queued")
    assert PendingProbe(client).waiting("sync-account-3")
    wrong = Redis.from_url(password_redis.replace("s3cret", "guess"))
    with pytest.raises(ResponseError, match=r"WRONGPASS|invalid password"):
        PendingProbe(wrong).waiting("sync-account-3")
    client.close()
    wrong.close()


def test_tls_urls_go_through_redis_py(unused_port: int) -> None:
    probe = PendingProbe(Redis.from_url(f"rediss://127.0.0.1:{unused_port}/0"))
    with pytest.raises((RedisError, OSError)):
        probe.waiting("sync-account-1")
