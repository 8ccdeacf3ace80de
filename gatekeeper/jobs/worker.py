"""The RQ worker process: the app's context, the schedule, then RQ's work loop."""

from __future__ import annotations

import importlib
import logging
import os
import weakref
from typing import TYPE_CHECKING

from gatekeeper.errors import ConfigError
from gatekeeper.jobs.queue import QUEUE_NAME, RedisQueue
from gatekeeper.jobs.schedule import SCHEDULE
from gatekeeper.jobs.scheduler import register_schedule

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.store.database import Database

log = logging.getLogger(__name__)

# Modules whose jobs the queue carries besides the scheduled ones.
JOB_MODULES = ("gatekeeper.jobs.sync",)


_forked_databases: weakref.WeakSet[Database] = weakref.WeakSet()
_fork_hook: list[bool] = []  # os.register_at_fork hooks cannot be removed: install once


def _forget_connections_after_fork(database: Database) -> None:
    """Make each forked job process open its own connections instead of sharing ours."""
    if not _fork_hook:
        os.register_at_fork(after_in_child=_dispose_inherited_pools)
        _fork_hook.append(True)
    _forked_databases.add(database)


def _dispose_inherited_pools() -> None:
    for database in list(_forked_databases):
        # close=False: the parent still owns those sockets; the child just drops its copies.
        database.engine.dispose(close=False)


def run_worker(app: Flask, *, burst: bool = False, with_scheduler: bool = True) -> bool:
    """Work the queue until stopped (or, with ``burst``, until it is empty).

    Returns whether any job was processed.
    """
    from redis import Redis
    from rq import Queue, Worker

    from gatekeeper import get_config, get_db

    config = get_config(app)
    if not config.redis_url:
        raise ConfigError(
            "REDIS_URL is not set: jobs run inline in the web process and need no worker"
        )
    # RQ blocks on the queue for minutes, so this connection has no read timeout.
    connection = Redis.from_url(config.redis_url, socket_connect_timeout=5)
    queue = Queue(QUEUE_NAME, connection=connection)
    # Each job runs in a forked process: importing the job modules (and the Google client
    # they load) once here saves every job that start-up time.
    for module in {*JOB_MODULES, *(entry.func.rpartition(".")[0] for entry in SCHEDULE)}:
        importlib.import_module(module)
    if with_scheduler:
        register_schedule(RedisQueue.from_connection(connection), SCHEDULE)
    _forget_connections_after_fork(get_db(app))
    with app.app_context():
        return bool(
            Worker([queue], connection=connection).work(
                burst=burst, with_scheduler=with_scheduler, logging_level="INFO"
            )
        )
