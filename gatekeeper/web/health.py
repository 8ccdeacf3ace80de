"""GET /healthz: the state of the database and the job queue, as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from gatekeeper import get_db, get_queue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report the database and the queue; 503 when the database is not reachable."""
    database_ok, database_detail = get_db().check()
    queue = get_queue().health()
    healthy = database_ok and bool(queue["ok"])
    body = {
        "status": "ok" if healthy else "degraded",
        "database": {"ok": database_ok, "detail": database_detail},
        "queue": queue,
    }
    # Without a database nothing works; without Redis the web still answers, degraded.
    return jsonify(body), 200 if database_ok else 503
