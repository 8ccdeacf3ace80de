"""The inline queue: jobs run at once, in-process, and failures reach the caller."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from gatekeeper import get_queue
from gatekeeper.jobs.queue import InlineQueue, make_queue


def test_inline_queue_is_the_default(app: Any) -> None:
    queue = get_queue(app)
    assert isinstance(queue, InlineQueue)
    assert queue.health() == {
        "ok": True,
        "kind": "inline",
        "detail": "REDIS_URL unset: jobs run inline",
    }


def test_inline_job_runs_now_and_returns_its_result() -> None:
    handle = make_queue(None).enqueue("operator.add", 2, 3, job_id="add-2-3")
    assert (handle.id, handle.status, handle.result, handle.duplicate) == (
        "add-2-3",
        "finished",
        5,
        False,
    )


def test_inline_failure_propagates_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    queue = InlineQueue()
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError, match="boom"):
        queue.enqueue("tests.jobs.tasks.fail", "boom", job_id="fail-1")
    assert "job fail-1 (tests.jobs.tasks.fail) failed" in caplog.text
    # The id is free again once the job has ended, even by failing.
    assert queue.enqueue("operator.neg", 1, job_id="fail-1").result == -1


def test_inline_job_enqueuing_its_own_id_is_deduplicated(app: Any) -> None:
    from tests.jobs.tasks import enqueue_myself

    with app.app_context():
        handle = get_queue().enqueue(enqueue_myself, "self-1", job_id="self-1")
    assert handle.result is True


def test_inline_job_gets_the_app_context(app: Any) -> None:
    from tests.jobs.tasks import add_demo_account, count_accounts

    with app.app_context():
        queue = get_queue()
        queue.enqueue(add_demo_account, "ana@example.com")
        assert queue.enqueue(count_accounts).result == 1


@pytest.mark.parametrize(
    ("args", "position", "kind"),
    [((object(),), 0, "object"), (("ok", {"a": {1, 2}}), 1, "dict"), ((b"raw",), 0, "bytes")],
)
def test_jobs_take_ids_and_primitives_only(args: tuple[Any, ...], position: int, kind: str) -> None:
    with pytest.raises(TypeError, match=f"job argument {position} is a {kind}; jobs take ids"):
        InlineQueue().enqueue("operator.truth", *args)


def test_unknown_job_path_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="dotted path"):
        InlineQueue().enqueue("nodots")
    with pytest.raises(ValueError, match="is not a callable"):
        InlineQueue().enqueue("operator.__doc__")


@pytest.mark.parametrize("job_id", ["sync:1", "a b", "", "ü"])
def test_job_ids_follow_rq_rules_even_inline(job_id: str) -> None:
    with pytest.raises(ValueError, match="may contain only letters, digits"):
        InlineQueue().enqueue("operator.truth", 1, job_id=job_id)
