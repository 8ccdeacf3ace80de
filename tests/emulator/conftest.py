"""Fixtures for the emulator's own tests (defined in emulator.pytest_plugin)."""

from __future__ import annotations

from emulator.pytest_plugin import (
    fake_time,
    google_api,
    google_emulator,
    google_user,
    webhook_receiver,
)

__all__ = ["fake_time", "google_api", "google_emulator", "google_user", "webhook_receiver"]
