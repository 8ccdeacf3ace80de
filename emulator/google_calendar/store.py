"""Events shared between calendars, each calendar's copies, and its change sequence.

An invite exists once (the canonical event, as the organizer sees it) and appears on every
participant's primary calendar as a copy with the SAME event id, as Google does for
invitations between Google accounts; the iCalUID is ``<id>@google.com`` everywhere. A copy
carries what is per calendar: its etag, ``updated``, the change number that orders it in
incremental sync, whether it was removed from that calendar, and personal fields
(reminders, colour, transparency, private extended properties).
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from emulator.google_calendar import properties, recurrence
from emulator.google_calendar.errors import ApiError
from emulator.google_calendar.timefmt import (
    event_time,
    instance_suffix,
    new_etag,
    parse_instance_suffix,
    rfc3339,
    time_object,
)

PERSONAL_FIELDS = frozenset({"reminders", "colorId", "transparency"})
READ_ONLY_ATTENDEE_KEYS = frozenset({"self", "organizer", "id"})


@dataclass
class Copy:
    """One calendar's view of an event."""

    changed_at: int
    etag: str
    updated: datetime
    removed: bool = False  # no longer on this calendar: listed as cancelled
    hidden: bool = False  # deleted by the calendar's owner: stays removed
    personal: dict[str, Any] = field(default_factory=dict)
    private: dict[str, str] = field(default_factory=dict)  # extendedProperties.private


@dataclass
class Calendar:
    """A user's primary calendar."""

    owner: str
    name: str | None
    time_zone: str
    focus_time: bool = True  # whether the API accepts eventType focusTime here
    seq: int = 0  # bumped by every change to an event on this calendar
    epoch: int = 0  # bumped to invalidate every sync token handed out so far
    copies: dict[str, Copy] = field(default_factory=dict)

    @property
    def zone(self) -> tzinfo:
        """Return the calendar's time zone."""
        return ZoneInfo(self.time_zone)


def attendee_key(entry: Any) -> str:
    """Return the normalised address of an attendee entry."""
    return str(entry.get("email", "")).strip().lower() if isinstance(entry, dict) else ""


def clean_attendee(entry: dict[str, Any]) -> dict[str, Any]:
    """Return an attendee entry without the read-only, per-viewer keys."""
    return {k: v for k, v in entry.items() if k not in READ_ONLY_ATTENDEE_KEYS}


class Store:
    """Canonical events, per-calendar copies, and change notifications."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.events: dict[str, dict[str, Any]] = {}
        self.calendars: dict[str, Calendar] = {}
        self.exceptions: dict[str, set[str]] = {}  # master id -> stored instance ids
        self.listeners: list[Callable[[str], None]] = []

    # -- calendars ---------------------------------------------------------------------

    def calendar(self, email: str) -> Calendar:
        """Return the calendar of ``email`` or raise 404."""
        found = self.calendars.get(email.strip().lower())
        if found is None:
            raise ApiError.not_found()
        return found

    def members(self, event: dict[str, Any]) -> set[str]:
        """Return the calendars an event belongs on: its organizer's and its attendees'."""
        people = {attendee_key(event.get("organizer") or {})}
        people.update(
            attendee_key(a) for a in event.get("attendees") or [] if not a.get("resource")
        )
        return {p for p in people if p in self.calendars}

    # -- changes -----------------------------------------------------------------------

    def touch(self, calendar: Calendar, event_id: str) -> Copy:
        """Record a change of ``event_id`` on ``calendar``: new change number and etag."""
        calendar.seq += 1
        found = calendar.copies.get(event_id)
        if found is None:
            found = Copy(calendar.seq, new_etag(), self.now())
            calendar.copies[event_id] = found
        else:
            found.changed_at = calendar.seq
            found.etag = new_etag()
            found.updated = self.now()
        for listener in self.listeners:
            listener(calendar.owner)
        return found

    def spread(self, event_id: str, only: Iterable[str] | None = None) -> None:
        """Bring every participant's copy of ``event_id`` up to date after a change."""
        event = self.events[event_id]
        members = self.members(event)
        holders = {c.owner for c in self.calendars.values() if event_id in c.copies}
        wanted = set(only) if only is not None else members | holders
        for owner in sorted(wanted & (members | holders)):
            calendar = self.calendars[owner]
            mine = self.touch(calendar, event_id)
            mine.removed = mine.hidden or owner not in members

    def add(self, event: dict[str, Any]) -> None:
        """Store a new canonical event and give each participant a copy.

        Private extended properties go to the organizer's copy only.
        """
        if event["id"] in self.events:
            raise ApiError(409, "duplicate", "The requested identifier already exists.")
        private = properties.take_private(event)
        self.events[event["id"]] = event
        master = event.get("recurringEventId")
        if master:
            self.exceptions.setdefault(master, set()).add(event["id"])
        self.spread(event["id"])
        organizer = self.calendars.get(attendee_key(event.get("organizer") or {}))
        if organizer is not None and event["id"] in organizer.copies:
            organizer.copies[event["id"]].private = private

    # -- reading -----------------------------------------------------------------------

    def render(
        self, calendar: Calendar, event: dict[str, Any], mine: Copy, *, minimal: bool = False
    ) -> dict[str, Any]:
        """Return ``event`` as ``calendar``'s owner sees it."""
        cancelled = mine.removed or event.get("status") == "cancelled"
        if cancelled and minimal:
            out: dict[str, Any] = {
                "kind": "calendar#event",
                "etag": mine.etag,
                "id": event["id"],
                "status": "cancelled",
                "updated": rfc3339(mine.updated),
            }
            for key in ("recurringEventId", "originalStartTime"):
                if key in event:
                    out[key] = copy.deepcopy(event[key])
            return out
        out = copy.deepcopy(event)
        out.update(copy.deepcopy(mine.personal))
        properties.show(out, mine.private)
        out["etag"] = mine.etag
        out["updated"] = rfc3339(mine.updated)
        if cancelled:
            out["status"] = "cancelled"
        eid = base64.urlsafe_b64encode(f"{event['id']} {calendar.owner}".encode()).decode()
        out["htmlLink"] = "https://www.google.com/calendar/event?eid=" + eid.rstrip("=")
        me = calendar.owner
        organizer = attendee_key(out.get("organizer") or {})
        for role in ("organizer", "creator"):
            if attendee_key(out.get(role) or {}) == me:
                out[role]["self"] = True
        for entry in out.get("attendees") or []:
            if attendee_key(entry) == organizer:
                entry["organizer"] = True
            if attendee_key(entry) == me:
                entry["self"] = True
        return out

    def copy_of(self, calendar: Calendar, event_id: str) -> tuple[dict[str, Any], Copy]:
        """Return the canonical event and ``calendar``'s copy, materialising nothing."""
        mine = calendar.copies.get(event_id)
        if mine is not None:
            return self.events[event_id], mine
        master_id, original = self.split_instance_id(event_id)
        if master_id is not None and original is not None:
            master_copy = calendar.copies.get(master_id)
            if master_copy is not None:
                master = self.events[master_id]
                found = recurrence.is_occurrence(master, original, calendar.zone)
                if found is not None:
                    return self.build_instance(master, found), master_copy
        raise ApiError.not_found()

    def split_instance_id(self, event_id: str) -> tuple[str | None, datetime | date | None]:
        """Return (master id, original start) for an instance id, else (None, None)."""
        master_id, sep, suffix = event_id.rpartition("_")
        if not sep or master_id not in self.events:
            return None, None
        if not self.events[master_id].get("recurrence"):
            return None, None
        return master_id, parse_instance_suffix(suffix)

    def build_instance(self, master: dict[str, Any], original: datetime) -> dict[str, Any]:
        """Return the instance of ``master`` that starts at ``original`` (not stored)."""
        start, all_day = event_time(master["start"], "start", ZoneInfo("UTC"))
        end, _ = event_time(master["end"], "end", ZoneInfo("UTC"))
        zone_name = master["start"].get("timeZone")
        inst = {k: copy.deepcopy(v) for k, v in master.items() if k != "recurrence"}
        inst["id"] = f"{master['id']}_{instance_suffix(original, all_day)}"
        inst["recurringEventId"] = master["id"]
        inst["originalStartTime"] = time_object(original, all_day, zone_name)
        inst["start"] = time_object(original, all_day, zone_name)
        inst["end"] = time_object(original + (end - start), all_day, master["end"].get("timeZone"))
        return inst

    def materialise(self, calendar: Calendar, event_id: str) -> str:
        """Store an instance as an exception of its series so that it can change alone."""
        if event_id in calendar.copies:
            return event_id
        event, _ = self.copy_of(calendar, event_id)
        self.events[event_id] = event
        self.exceptions.setdefault(event["recurringEventId"], set()).add(event_id)
        for other in self.calendars.values():
            master_copy = other.copies.get(event["recurringEventId"])
            if master_copy is not None and event_id not in other.copies:
                other.copies[event_id] = Copy(
                    master_copy.changed_at,
                    master_copy.etag,
                    master_copy.updated,
                    removed=master_copy.removed,
                    hidden=master_copy.hidden,
                    personal=copy.deepcopy(master_copy.personal),
                    private=dict(master_copy.private),
                )
        return event_id

    def instances(
        self, calendar: Calendar, master_id: str, window_start: datetime, window_end: datetime
    ) -> list[tuple[dict[str, Any], Copy]]:
        """Return the occurrences of a series overlapping the window, exceptions applied."""
        master = self.events[master_id]
        master_copy = calendar.copies[master_id]
        found: dict[str, tuple[dict[str, Any], Copy]] = {}
        for original in recurrence.occurrences(master, window_start, window_end, calendar.zone):
            inst = self.build_instance(master, original)
            found[inst["id"]] = (inst, master_copy)
        for inst_id in self.exceptions.get(master_id, ()):
            mine = calendar.copies.get(inst_id)
            if mine is None:
                continue
            event = self.events[inst_id]
            start, _ = event_time(event["start"], "start", calendar.zone)
            end, _ = event_time(event["end"], "end", calendar.zone)
            if start < window_end and end > window_start:
                found[inst_id] = (event, mine)
            else:
                found.pop(inst_id, None)  # moved out of the window
        return sorted(found.values(), key=lambda pair: (start_of(pair[0]), pair[0]["id"]))


def start_of(event: dict[str, Any]) -> datetime:
    """Return an event's start as an aware datetime (all-day dates at UTC midnight)."""
    moment, _ = event_time(event.get("start"), "start", ZoneInfo("UTC"))
    return moment
