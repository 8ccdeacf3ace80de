"""Sync fixtures: the emulator-backed app and connected people, from tests.sync.support."""

from __future__ import annotations

from tests.sync.support import person, sync_app, sync_database_url, sync_env  # noqa: F401
