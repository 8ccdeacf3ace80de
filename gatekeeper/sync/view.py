"""A CalendarView over one Google calendar, so sync screens exactly as ``screen`` does.

``events`` are the events a sync run found changed; ``instances`` lists every occurrence
in a window (``GoogleCalendar.list_window``, read once per run); ``series_instances``
asks events.instances for one series. Each raw event read is kept by its id, so a decision
can be traced back to the JSON it was made on (its version, the person's answer).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gatekeeper.calendars.google_events import is_cancelled, to_invite
from gatekeeper.domain import Interval, Invite
from gatekeeper.errors import CalendarError

if TYPE_CHECKING:
    from gatekeeper.calendars.google import GoogleCalendar

log = logging.getLogger(__name__)


class GoogleView:
    """The changed events of one sync run, with lazy access to the rest of the calendar."""

    def __init__(
        self,
        calendar: GoogleCalendar,
        owner_email: str,
        time_zone: str,
        changed: Iterable[Mapping[str, Any]],
    ) -> None:
        self.calendar = calendar
        self.owner = owner_email.strip().lower()
        self.time_zone = time_zone
        self.raw: dict[str, dict[str, Any]] = {}
        self._invites_by_id: dict[str, Invite] = {}
        self.events: list[Invite] = self._invites(changed)
        self._masters = {inv.uid: inv.source_id for inv in self.events if inv.recurrence}
        self._windows: list[tuple[datetime, datetime, list[Invite]]] = []
        self._series: dict[tuple[str, datetime, datetime], list[Invite]] = {}
        self._others_busy: dict[str, tuple[Interval, ...]] = {}

    def _invites(self, raw_events: Iterable[Mapping[str, Any]]) -> list[Invite]:
        """Return the Invites for raw events, remembering each one's JSON by id."""
        out: list[Invite] = []
        for raw in raw_events:
            if is_cancelled(raw):
                continue
            try:
                invite = to_invite(raw, self.owner, calendar_zone=self.time_zone)
            except CalendarError as exc:
                # One unreadable event must not stop the rest of the calendar being screened.
                log.warning("%s: skipped an unreadable event: %s", self.owner, exc)
                continue
            self.raw.setdefault(str(raw["id"]), dict(raw))
            self._invites_by_id.setdefault(str(raw["id"]), invite)
            out.append(invite)
        return out

    def organizer_busy(self, organizer: str, start: datetime, end: datetime) -> Sequence[Interval]:
        """Return an organizer's busy time in [start, end) from free/busy, once per run.

        Empty when Google will not show that calendar (another domain, not shared) or the
        query fails: alternatives then avoid only the person's own busy time.
        """
        key = organizer.strip().lower()
        if key not in self._others_busy:
            try:
                found = self.calendar.free_busy([key], start, end).get(key)
            except CalendarError as exc:
                log.info("%s: free/busy of %s not available: %s", self.owner, key, exc)
                found = None
            self._others_busy[key] = tuple(found or ())
        return self._others_busy[key]

    def invite(self, event_id: str) -> Invite | None:
        """Return the Invite read for ``event_id`` in this run, if any."""
        return self._invites_by_id.get(event_id)

    def person_name(self) -> str | None:
        """Return the owner's display name as their own attendee entries spell it."""
        for invite in self.events:
            entry = invite.attendee(self.owner)
            if entry is not None and entry.name:
                return entry.name
        return None

    def instances(self, start: datetime, end: datetime) -> list[Invite]:
        """Return every occurrence overlapping [start, end), read once per window."""
        for low, high, found in self._windows:
            if low <= start and end <= high:
                return [inv for inv in found if inv.start < end and inv.end > start]
        raw = self.calendar.list_window(start, end)
        found = self._invites(raw)
        self._windows.append((start, end, found))
        return found

    def series_instances(self, uid: str, start: datetime, end: datetime) -> list[Invite]:
        """Return the occurrences of the series ``uid`` overlapping [start, end)."""
        key = (uid, start, end)
        if key not in self._series:
            master_id = self._masters.get(uid)
            if master_id is None:
                return []
            self._series[key] = self._invites(self.calendar.instances(master_id, start, end))
        return self._series[key]
