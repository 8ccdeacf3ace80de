"""Job fixtures: the RQ queue on the test Redis, an app wired to it, a burst worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gatekeeper.jobs.queue import RedisQueue


@pytest.fixture
def rq_queue(redis_url: str) -> Iterator[RedisQueue]:
    """Return the RQ-backed queue on the test Redis."""
    queue = RedisQueue(redis_url)
    yield queue
    queue.close()


@pytest.fixture
def burst(rq_queue: RedisQueue) -> Callable[[], bool]:
    """Return a function that runs a real RQ worker until the queue is empty."""
    from rq import Worker

    def run() -> bool:
        return bool(Worker([rq_queue.queue], connection=rq_queue.connection).work(burst=True))

    return run


@pytest.fixture
def redis_app(app_env: dict[str, str], redis_url: str) -> Iterator[Any]:
    """Return an app (SQLite in a temporary instance) whose jobs go to the test Redis."""
    from gatekeeper import create_app, get_db, get_queue

    application = create_app({**app_env, "REDIS_URL": redis_url, "TESTING": True})
    yield application
    get_db(application).dispose()
    get_queue(application).close()
