"""Two syncs of one account at once answer once, on SQLite (flock) and PostgreSQL (advisory)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from gatekeeper import get_db
from gatekeeper.sync.lock import SyncBusy, account_lock
from tests.sync.support import AGENDA, Person, answers, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sync_database_url(request: pytest.FixtureRequest, app_env: dict[str, str]) -> str:
    """Run each test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return app_env["DATABASE_URL"]
    return str(request.getfixturevalue("postgres_url"))


def _in_threads(count: int, work: Callable[[], Any]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run() -> None:
        start.wait()
        try:
            work()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_syncs_of_one_account_answer_once(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.inject_latency(0.3, method="PATCH")  # keep the first run busy while answering
    errors = _in_threads(3, ann.sync)
    assert errors == []
    assert len(answers(ann.state, event_id)) == 1
    assert [r.outcome for r in ann.records()] == ["declined"]


def test_the_whole_flow_runs_on_this_database(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    first = weekday_at(2, 10)
    series = ann.invite(
        "Weekly sync", first, description="", recurrence=["RRULE:FREQ=WEEKLY;COUNT=3"]
    )
    single = ann.invite("Budget chat", weekday_at(2, 15), description="")
    ann.sync()
    ann.state.update_invite(single, description=AGENDA)
    ann.sync()
    ann.sync()
    assert [r.outcome for r in ann.records()] == ["declined", "declined", "decline withdrawn"]
    assert len(answers(ann.state, series)) == 1 and len(answers(ann.state, single)) == 2


def test_a_held_lock_makes_another_run_wait_then_give_up(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    database = get_db(ann.app)
    with account_lock(database, ann.account_id):
        failures = _in_threads(
            1, lambda: account_lock(database, ann.account_id, wait=0.2).__enter__()
        )
    assert len(failures) == 1 and isinstance(failures[0], SyncBusy)
    with account_lock(database, ann.account_id, wait=1):
        pass  # released again
