"""Account fixtures: the emulator-backed app, and one whose mail goes to a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.accounts.support import connect, google_app, google_env, make_app  # noqa: F401
from tests.mail.smtp_server import RunningSmtp, start_smtp


@pytest.fixture
def smtp_server() -> Iterator[RunningSmtp]:
    """Yield a plain SMTP server on loopback that records what it receives."""
    running = start_smtp()
    yield running
    running.stop()
