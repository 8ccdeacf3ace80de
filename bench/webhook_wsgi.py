"""The production WSGI app plus a bare route, so both are served by the same gunicorn."""

from __future__ import annotations

from flask import Response

from wsgi import app


def bare() -> Response:
    """Answer 200 at once: the baseline of what Flask and gunicorn cost by themselves."""
    return Response("ok\n", status=200, mimetype="text/plain")


app.add_url_rule("/bench/bare", "bench_bare", bare, methods=["POST"])
