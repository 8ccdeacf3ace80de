"""Channel fixtures: the emulator-backed app from tests.accounts.support."""

from __future__ import annotations

from tests.accounts.support import connect, google_app, google_env  # noqa: F401
