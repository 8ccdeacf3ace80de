"""POST /webhooks/google against a real Redis: verify, acknowledge, queue one sync per burst."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis import Redis
from rq.job import Job, JobStatus
from werkzeug.serving import make_server

from emulator.google_calendar import Running
from emulator.testing import FakeTime, WebhookReceiver
from gatekeeper import get_db, get_queue
from gatekeeper.accounts.google import RETRY_POLICY_KEY
from gatekeeper.accounts.service import connect_google, disconnect
from gatekeeper.channels import ensure_watched
from gatekeeper.jobs.queue import RedisQueue
from gatekeeper.store.channels import active_channels
from gatekeeper.store.google_models import Channel
from gatekeeper.web.webhooks import SYNC_JOB, sync_job_id
from tests.accounts import support
from tests.accounts.support import retry_policy

pytest_plugins = ["emulator.pytest_plugin"]
pytestmark = pytest.mark.redis

# The shared fixtures (pytest finds fixtures among a module's attributes).
google_env = support.google_env
make_app = support.make_app

URL = "/webhooks/google"
START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def redis_app(make_app: Callable[..., Any], redis_url: str) -> Any:
    """Return the emulator-backed app whose jobs go to the test Redis."""
    return make_app(REDIS_URL=redis_url)


@pytest.fixture
def watched(
    redis_app: Any, google_user: Callable[..., str], webhook_receiver: WebhookReceiver
) -> tuple[int, dict[str, str]]:
    """Connect and watch ana@example.com; return her account id and the real `sync` headers."""
    token = google_user("ana@example.com")
    account_id = connect_google(redis_app, "ana@example.com", token, "enforce").account_id
    ensure_watched(redis_app, account_id)
    sync = webhook_receiver.wait_for(1)[0].headers
    return account_id, {k: v for k, v in sync.items() if k.startswith("X-Goog-")}


def queued_ids(app: Any) -> list[str]:
    queue = get_queue(app)
    assert isinstance(queue, RedisQueue)
    return [str(job_id) for job_id in queue.queue.get_job_ids()]


def job_keys(app: Any) -> list[bytes]:
    queue = get_queue(app)
    assert isinstance(queue, RedisQueue)
    return list(queue.connection.scan_iter("rq:job:*"))


def change(headers: dict[str, str], number: int = 2) -> dict[str, str]:
    return {**headers, "X-Goog-Resource-State": "exists", "X-Goog-Message-Number": str(number)}


def test_sync_message_is_acknowledged_and_starts_no_work(
    redis_app: Any, watched: tuple[int, dict[str, str]]
) -> None:
    _, headers = watched
    assert headers["X-Goog-Resource-State"] == "sync"
    answer = redis_app.test_client().post(URL, headers=headers)
    assert answer.status_code == 200
    assert job_keys(redis_app) == []


def test_change_queues_one_sync_job_for_the_account(
    redis_app: Any,
    watched: tuple[int, dict[str, str]],
    google_emulator: Running,
    webhook_receiver: WebhookReceiver,
) -> None:
    account_id, _ = watched
    google_emulator.state.invite(
        "bob@example.com", ["ana@example.com"], "Plan", START, START + timedelta(hours=1)
    )
    real = webhook_receiver.wait_for(2)[1].headers
    assert real["X-Goog-Resource-State"] == "exists"
    answer = redis_app.test_client().post(URL, headers=real)
    assert answer.status_code == 200
    assert queued_ids(redis_app) == [sync_job_id(account_id)] == [f"sync-account-{account_id}"]
    queue = get_queue(redis_app)
    assert isinstance(queue, RedisQueue)
    job = Job.fetch(sync_job_id(account_id), connection=queue.connection)
    assert (job.func_name, job.args) == (SYNC_JOB, (account_id,))
    assert job.retries_left == 3  # RQ retries a failed sync


def test_burst_of_duplicate_notifications_becomes_one_job(
    redis_app: Any, watched: tuple[int, dict[str, str]]
) -> None:
    account_id, headers = watched
    client = redis_app.test_client()
    for number in range(2, 40):
        assert client.post(URL, headers=change(headers, number % 5 + 2)).status_code == 200
    assert queued_ids(redis_app) == [sync_job_id(account_id)]
    assert len(job_keys(redis_app)) == 1


def test_change_during_a_running_sync_gets_exactly_one_follow_up(
    redis_app: Any, watched: tuple[int, dict[str, str]]
) -> None:
    account_id, headers = watched
    client = redis_app.test_client()
    client.post(URL, headers=change(headers))
    queue = get_queue(redis_app)
    assert isinstance(queue, RedisQueue)
    running = queue.queue.fetch_job(sync_job_id(account_id))
    assert running is not None
    running.set_status(JobStatus.STARTED)  # as the worker does when it picks the job up
    for number in range(3, 10):
        assert client.post(URL, headers=change(headers, number)).status_code == 200
    assert f"sync-account-{account_id}-rerun" in queued_ids(redis_app)
    assert len(job_keys(redis_app)) == 2


@pytest.mark.parametrize(
    ("tamper", "status"),
    [
        (lambda h: h.update({"X-Goog-Channel-Token": "guessed"}), 403),
        (lambda h: h.update({"X-Goog-Channel-Token": h["X-Goog-Channel-Token"] + "x"}), 403),
        (lambda h: h.update({"X-Goog-Resource-ID": "someone-elses-calendar"}), 403),
        (lambda h: h.update({"X-Goog-Channel-ID": "0b5e3f6c-0000-4000-8000-000000000000"}), 404),
        (lambda h: h.update({"X-Goog-Channel-ID": "x" * 65}), 400),
        (lambda h: h.update({"X-Goog-Resource-State": "deleted"}), 400),
        (lambda h: h.pop("X-Goog-Channel-Token"), 400),
        (lambda h: h.pop("X-Goog-Channel-ID"), 400),
        (lambda h: h.pop("X-Goog-Resource-ID"), 400),
        (lambda h: h.pop("X-Goog-Resource-State"), 400),
        (lambda h: h.update({"X-Goog-Channel-Token": "tökén"}), 403),
    ],
)
def test_forged_notifications_are_refused_and_start_no_work(
    redis_app: Any,
    watched: tuple[int, dict[str, str]],
    tamper: Callable[[dict[str, str]], object],
    status: int,
) -> None:
    _, headers = watched
    forged = change(headers)
    tamper(forged)
    answer = redis_app.test_client().post(URL, headers=forged)
    assert answer.status_code == status
    assert job_keys(redis_app) == []
    # The genuine notification still works.
    assert redis_app.test_client().post(URL, headers=change(headers)).status_code == 200


def test_stopped_channel_is_refused(redis_app: Any, watched: tuple[int, dict[str, str]]) -> None:
    account_id, headers = watched
    disconnect(redis_app, account_id, "by an operator", notify=False)
    answer = redis_app.test_client().post(URL, headers=change(headers))
    assert answer.status_code == 404
    assert job_keys(redis_app) == []


def test_expired_channel_is_refused(redis_app: Any, watched: tuple[int, dict[str, str]]) -> None:
    account_id, headers = watched
    with get_db(redis_app).session() as session:
        [channel] = active_channels(session, account_id)
        row = session.get(Channel, channel.id)
        assert row is not None
        row.expiration = datetime.now(UTC) - timedelta(minutes=1)
    assert redis_app.test_client().post(URL, headers=change(headers)).status_code == 404
    assert job_keys(redis_app) == []


def test_only_post_is_accepted(redis_app: Any) -> None:
    assert redis_app.test_client().get(URL).status_code == 405


def test_queue_down_answers_503_so_google_retries(
    make_app: Callable[..., Any],
    google_user: Callable[..., str],
    webhook_receiver: WebhookReceiver,
    unused_port: int,
) -> None:
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{unused_port}/0")
    token = google_user("ana@example.com")
    account_id = connect_google(app, "ana@example.com", token).account_id
    ensure_watched(app, account_id)
    headers = dict(webhook_receiver.wait_for(1)[0].headers)
    answer = app.test_client().post(URL, headers=change(headers))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    # A refusal is still a refusal when Redis is down: checked before any queue work.
    forged = {**change(headers), "X-Goog-Channel-Token": "guessed"}
    assert app.test_client().post(URL, headers=forged).status_code == 403


def test_no_token_is_ever_logged(
    redis_app: Any, watched: tuple[int, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _, headers = watched
    client = redis_app.test_client()
    client.post(URL, headers=headers)
    client.post(URL, headers=change(headers))
    client.post(URL, headers={**change(headers), "X-Goog-Channel-Token": "forged-token-123"})
    assert headers["X-Goog-Channel-ID"] in caplog.text
    assert headers["X-Goog-Channel-Token"] not in caplog.text
    assert "forged-token-123" not in caplog.text


@pytest.fixture
def live_app(
    google_env: dict[str, str],
    redis_url: str,
    unused_port: int,
    fake_time: FakeTime,
) -> Iterator[Any]:
    """Serve the app over HTTP on loopback, as Google's notifications reach it."""
    from gatekeeper import create_app

    env = {
        **google_env,
        "REDIS_URL": redis_url,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{unused_port}",
    }
    app = create_app({**env, "TESTING": True, RETRY_POLICY_KEY: retry_policy(fake_time)})
    server = make_server("127.0.0.1", unused_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    get_db(app).dispose()
    get_queue(app).close()


def test_emulator_push_reaches_the_app_and_queues_the_sync(
    live_app: Any, google_user: Callable[..., str], google_emulator: Running, redis_url: str
) -> None:
    token = google_user("ana@example.com")
    account_id = connect_google(live_app, "ana@example.com", token, "enforce").account_id
    ensure_watched(live_app, account_id)
    for minute in range(3):
        begins = START + timedelta(minutes=minute)
        google_emulator.state.invite(
            "bob@example.com", ["ana@example.com"], f"Plan {minute}", begins, begins
        )
    assert google_emulator.state.notifier.wait_idle()
    deliveries = google_emulator.state.deliveries
    assert [(d.state, d.status) for d in deliveries] == [("sync", 200)] + [("exists", 200)] * 3
    connection = Redis.from_url(redis_url)
    assert [j.decode() for j in connection.lrange("rq:queue:gatekeeper", 0, -1)] == [
        sync_job_id(account_id)
    ]
    connection.close()


def test_without_redis_the_sync_runs_inline_and_its_failure_asks_google_to_retry(
    make_app: Callable[..., Any],
    google_user: Callable[..., str],
    google_emulator: Running,
    webhook_receiver: WebhookReceiver,
) -> None:
    from gatekeeper.store.sync_states import stored_sync_token

    app = make_app()  # REDIS_URL unset: jobs run in the request
    token = google_user("ana@example.com")
    account_id = connect_google(app, "ana@example.com", token, "enforce").account_id
    ensure_watched(app, account_id)
    headers = dict(webhook_receiver.wait_for(1)[0].headers)
    assert app.test_client().post(URL, headers=change(headers)).status_code == 200
    with get_db(app).session() as session:
        assert stored_sync_token(session, account_id) is not None  # the sync ran
    google_emulator.state.inject(500, method="GET", path="*/events", times=100)
    answer = app.test_client().post(URL, headers=change(headers, 3))
    assert answer.status_code == 503
    assert answer.get_data(as_text=True) == "sync failed\n"


def test_push_to_decline_end_to_end_with_a_real_worker(
    live_app: Any, google_user: Callable[..., str], google_emulator: Running
) -> None:
    from rq import Worker

    token = google_user("ana@example.com")
    account_id = connect_google(live_app, "ana@example.com", token, "enforce").account_id
    ensure_watched(live_app, account_id)
    assert google_emulator.state.notifier.wait_idle()
    begins = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    event_id = google_emulator.state.invite(
        "bob@example.com",
        ["ana@example.com", "carol@example.com"],
        "Catch-up",
        begins,
        begins + timedelta(minutes=30),
    )
    assert google_emulator.state.notifier.wait_idle()
    assert google_emulator.state.deliveries[-1].status == 200  # the webhook queued the sync
    queue = get_queue(live_app)
    assert isinstance(queue, RedisQueue)
    with live_app.app_context():
        Worker([queue.queue], connection=queue.connection).work(burst=True)
    attendees = {
        a["email"]: a for a in google_emulator.state.event("ana@example.com", event_id)["attendees"]
    }
    assert attendees["ana@example.com"]["responseStatus"] == "declined"
    assert "agenda" in attendees["ana@example.com"]["comment"]
    assert attendees["carol@example.com"]["responseStatus"] == "needsAction"
    assert attendees["bob@example.com"]["responseStatus"] == "accepted"
