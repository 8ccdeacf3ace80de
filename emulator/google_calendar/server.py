"""Run the emulator on a free local port in a background thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from emulator.google_calendar.app import API, TOKEN_PATH, EmulatorApp
from emulator.google_calendar.state import State


class _QuietHandler(WSGIRequestHandler):
    """A request handler that does not print one log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the access log."""


@dataclass
class Running:
    """A started emulator: where it listens, its state, and how to stop it."""

    url: str
    state: State
    stop: Callable[[], None]

    @property
    def api_base_url(self) -> str:
        """Return the value for GOOGLE_API_BASE_URL (requests go to <this>/calendar/v3/...)."""
        return self.url

    @property
    def token_uri(self) -> str:
        """Return the value for GOOGLE_TOKEN_URI."""
        return self.url + TOKEN_PATH

    @property
    def calendar_api(self) -> str:
        """Return the root of the Calendar API on this emulator."""
        return self.url + API


def serve(state: State, host: str, port: int, *, quiet: bool = True) -> BaseWSGIServer:
    """Return a threaded WSGI server for ``state`` (not yet serving)."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    server = make_server(host, port, EmulatorApp(state), threaded=True, request_handler=handler)
    state.base_url = f"http://{host}:{server.port}"
    return server


def start_emulator(
    state: State | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> Running:
    """Start an emulator in a background thread on ``host`` and a free port."""
    state = state or State()
    server = serve(state, host, port)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        daemon=True,
        name="emulator-http",
    )
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        state.close()

    return Running(state.base_url, state, stop)
