"""POST /webhooks/google: verify a Google push notification and queue one sync of its calendar.

Google sends no event data, only "something changed on this channel". The answer must be
fast: one indexed lookup of the channel (remembered for a few seconds, see
gatekeeper.channels.routes), a constant-time comparison of its secret token, and at most
one enqueue whose deterministic job id folds a burst of duplicates into one
sync. Refusals (4xx) start no work; a queue that cannot take the job gets 503, which
Google retries with backoff.
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from flask import Blueprint, Response, current_app, request
from redis.exceptions import RedisError

from gatekeeper import get_db, get_queue
from gatekeeper.channels.pending import PendingProbe
from gatekeeper.channels.routes import DEFAULT_TTL, RouteCache
from gatekeeper.jobs.sync import SYNC_JOB, sync_job_id
from gatekeeper.store.channels import token_digest
from gatekeeper.store.types import utcnow

if TYPE_CHECKING:
    from gatekeeper.jobs.queue import JobQueue, RedisQueue

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__)

ROUTES_KEY = "gatekeeper.channel_routes"
PROBE_KEY = "gatekeeper.pending_probe"
CHANGE_STATES = frozenset({"exists", "not_exists"})
KNOWN_STATES = CHANGE_STATES | {"sync"}


def _routes() -> RouteCache:
    """Return this app's route cache (ROUTE_CACHE_SECONDS in app.config, default 10)."""
    app = current_app
    cache = app.extensions.get(ROUTES_KEY)
    if cache is None:
        ttl = float(app.config.get("ROUTE_CACHE_SECONDS", DEFAULT_TTL))
        cache = app.extensions.setdefault(ROUTES_KEY, RouteCache(get_db(), ttl=ttl))
    return cache  # type: ignore[no-any-return]


def _answer(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


@bp.post("/webhooks/google")
def google_notification() -> Response:
    """Acknowledge a notification: 200 (queued or nothing to do), 4xx refused, 503 retry."""
    # Straight from the WSGI environ: the same values as request.headers, read for less.
    environ = request.environ
    channel_id = environ.get("HTTP_X_GOOG_CHANNEL_ID", "")
    state = environ.get("HTTP_X_GOOG_RESOURCE_STATE", "")
    resource_id = environ.get("HTTP_X_GOOG_RESOURCE_ID", "")
    token = environ.get("HTTP_X_GOOG_CHANNEL_TOKEN")
    number = environ.get("HTTP_X_GOOG_MESSAGE_NUMBER", "?")
    missing = [
        name
        for name, value in (
            ("X-Goog-Channel-ID", channel_id),
            ("X-Goog-Channel-Token", token),
            ("X-Goog-Resource-ID", resource_id),
            ("X-Goog-Resource-State", state),
        )
        if not value
    ]
    if missing:
        log.info("push refused: missing %s", ", ".join(missing))
        return _answer(400, "missing header " + ", ".join(missing))
    if len(channel_id) > 64 or state not in KNOWN_STATES:
        log.info("push refused: channel id or resource state %r not Google's", state[:32])
        return _answer(400, "not a Google Calendar notification")

    route = _routes().lookup(channel_id)
    if route is None or not route.live(utcnow()):
        log.info("push refused: channel %s unknown or no longer active", channel_id)
        return _answer(404, "unknown channel")
    assert token is not None
    token_ok = hmac.compare_digest(token_digest(token), route.token_hash)
    # The resource id is not secret; it only has to match the calendar the channel watches.
    resource_ok = route.resource_id is None or resource_id == route.resource_id
    if not (token_ok and resource_ok):
        log.warning("push refused: wrong token or resource for channel %s", channel_id)
        return _answer(403, "forbidden")

    if state == "sync":
        # The first message on every new channel: nothing changed yet.
        log.info("channel %s of account %d is live", channel_id, route.account_id)
        return _answer(200, "ok")
    queue = get_queue()
    try:
        outcome = enqueue_sync(queue, route.account_id)
    except (RedisError, OSError) as exc:
        log.error("push on channel %s (message %s) not queued: %s", channel_id, number, exc)
        return _retry_later("queue unavailable")
    except Exception:
        if queue.kind != "inline":
            raise
        # Without Redis the sync ran in this request and failed (the queue logged why).
        return _retry_later("sync failed")
    log.debug("push on channel %s (message %s): sync %s", channel_id, number, outcome)
    return _answer(200, "ok")


def _retry_later(text: str) -> Response:
    return Response(text + "\n", status=503, headers={"Retry-After": "30"}, mimetype="text/plain")


def _probe(queue: RedisQueue) -> PendingProbe:
    app = current_app
    probe = app.extensions.get(PROBE_KEY)
    if probe is None:
        probe = app.extensions.setdefault(PROBE_KEY, PendingProbe(queue.connection))
    return probe  # type: ignore[no-any-return]


def enqueue_sync(queue: JobQueue, account_id: int) -> str:
    """Queue the account's sync unless one is already waiting; return what happened."""
    from gatekeeper.jobs.queue import RedisQueue

    job_id = sync_job_id(account_id)
    # One round trip settles the common case of a burst: the sync is already waiting.
    if isinstance(queue, RedisQueue) and _probe(queue).waiting(job_id):
        return "already queued"
    handle = queue.enqueue(SYNC_JOB, account_id, job_id=job_id)
    return "already queued" if handle.duplicate else handle.status
