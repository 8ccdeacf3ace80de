"""Helpers for tests against the emulator: a raw HTTP client, a webhook receiver, a fake clock.

The fixtures that wrap them live in ``emulator.pytest_plugin``; test modules import the
types from here so that the plugin module is first imported by pytest itself.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CLIENT_ID = "gatekeeper-tests.apps.googleusercontent.com"
CLIENT_SECRET = "emulator-client-secret"
# Test traffic goes straight to 127.0.0.1, never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class FakeTime:
    """A clock that moves only when the code under test sleeps."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        """Record the wait and move the clock by it."""
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        """Return the current fake time."""
        return self.now


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, headers and the JSON body (None when empty)."""

    status: int
    headers: dict[str, str]
    body: Any

    @property
    def reason(self) -> str:
        """Return Google's error reason, or an empty string."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return str(self.body["error"]["errors"][0]["reason"])
        return ""


def send(
    url: str,
    method: str = "GET",
    *,
    body: Any = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """Send one HTTP request and return the answer, errors included."""
    data = None
    all_headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with _OPENER.open(request, timeout=10) as reply:
            raw, status, got = reply.read(), reply.status, dict(reply.headers)
    except urllib.error.HTTPError as exc:
        raw, status, got = exc.read(), exc.code, dict(exc.headers)
        exc.close()
    return Answer(status, got, json.loads(raw) if raw.strip() else None)


@dataclass
class Api:
    """A user's raw client for the emulated Calendar API."""

    root: str
    token: str

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> Answer:
        """Call ``path`` (relative to /calendar/v3) with the user's bearer token."""
        query = urllib.parse.urlencode(
            {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
        )
        url = f"{self.root}{path}" + (f"?{query}" if query else "")
        auth = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return send(url, method, body=body, headers=auth)


@dataclass(frozen=True)
class Notification:
    """One POST the webhook receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    """A local HTTP server that records every POST and answers ``status``."""

    url: str
    received: list[Notification] = field(default_factory=list)
    status: int = 200
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Notification]:
        """Wait until ``count`` notifications arrived; return them all."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)


@contextmanager
def webhook_receiver(path: str = "/webhooks/google") -> Iterator[WebhookReceiver]:
    """Run a receiver on 127.0.0.1 and a free port; ``url`` ends in ``path``."""
    holder: list[WebhookReceiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            receiver = holder[0]
            with receiver.arrived:
                receiver.received.append(Notification(self.path, dict(self.headers), body))
                receiver.arrived.notify_all()
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output clean."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(WebhookReceiver(f"http://127.0.0.1:{server.server_port}{path}"))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield holder[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
