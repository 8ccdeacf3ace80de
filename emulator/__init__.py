"""Local emulators of external services, for tests and benchmarks."""

from __future__ import annotations

from emulator.google_calendar import Invitee, PushMode, Running, State, start_emulator

__all__ = ["Invitee", "PushMode", "Running", "State", "start_emulator"]
