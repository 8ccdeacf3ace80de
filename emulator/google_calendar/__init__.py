"""A local emulator of the Google Calendar API v3 and its OAuth token endpoint."""

from __future__ import annotations

from emulator.google_calendar.push import PushMode
from emulator.google_calendar.server import Running, start_emulator
from emulator.google_calendar.state import Invitee, RecordedRequest, State

__all__ = ["Invitee", "PushMode", "RecordedRequest", "Running", "State", "start_emulator"]
