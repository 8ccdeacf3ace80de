"""The emulator's whole state, with the Python API tests use to arrange and inspect it."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from emulator.google_calendar import mutations
from emulator.google_calendar.auth import Tokens
from emulator.google_calendar.faults import Faults
from emulator.google_calendar.push import Delivery, Notifier, PushMode
from emulator.google_calendar.store import Calendar, Store
from emulator.google_calendar.timefmt import parse_instance_suffix, time_object


@dataclass
class RecordedRequest:
    """One request the emulator received (the Authorization header is never kept)."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    user: str | None = None
    status: int | None = None


@dataclass
class Invitee:
    """An attendee for :meth:`State.invite`: an address, or an address with details."""

    email: str
    name: str | None = None
    response: str = "needsAction"
    optional: bool = False
    resource: bool = False

    def entry(self) -> dict[str, Any]:
        """Return the attendee entry in Google's shape."""
        out: dict[str, Any] = {"email": self.email, "responseStatus": self.response}
        if self.name:
            out["displayName"] = self.name
        if self.optional:
            out["optional"] = True
        if self.resource:
            out["resource"] = True
        return out


def _when(value: datetime | date, time_zone: str | None) -> dict[str, str]:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("event times must be timezone-aware")
        return time_object(value, False, time_zone)
    return {"date": value.isoformat()}


@dataclass
class State:
    """Users, calendars, tokens, channels, faults and the request log of one emulator."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    base_url: str = "http://127.0.0.1"
    requests: list[RecordedRequest] = field(default_factory=list)
    shared: set[tuple[str, str]] = field(default_factory=set)  # (owner, viewer)
    clock_offset: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        self.store = Store(self.now)
        self.tokens = Tokens()
        self.faults = Faults()
        self.notifier = Notifier(self.now)
        self.store.listeners.append(self.notifier.changed)

    # -- clock, users, tokens --------------------------------------------------------------

    def now(self) -> datetime:
        """Return the emulator's current time (real time plus any advance)."""
        return datetime.now(UTC) + self.clock_offset

    def advance(self, delta: timedelta) -> None:
        """Move the emulator's clock forward (channel expiry, token lifetime)."""
        self.clock_offset += delta

    def add_user(
        self,
        email: str,
        *,
        refresh_token: str | None = None,
        name: str | None = None,
        time_zone: str = "UTC",
        focus_time: bool = True,
    ) -> Calendar:
        """Create a user with a primary calendar, optionally with a refresh token."""
        owner = email.strip().lower()
        with self.lock:
            calendar = self.store.calendars.get(owner)
            if calendar is None:
                calendar = Calendar(owner, name, time_zone, focus_time)
                self.store.calendars[owner] = calendar
            if refresh_token:
                self.tokens.refresh[refresh_token] = owner
        return calendar

    def revoke(self, refresh_token: str) -> None:
        """Revoke a refresh token: the token endpoint answers ``invalid_grant`` for it."""
        self.tokens.revoked.add(refresh_token)
        owner = self.tokens.refresh.get(refresh_token)
        if owner:
            self.tokens.expire(owner)

    def expire_access_tokens(self, email: str | None = None) -> None:
        """Make every access token (of ``email``) invalid, as when they time out."""
        self.tokens.expire(email.lower() if email else None)

    def share_free_busy(self, owner: str, viewer: str) -> None:
        """Let ``viewer`` see ``owner``'s free/busy although they are in other domains."""
        self.shared.add((owner.lower(), viewer.lower()))

    def can_see(self, viewer: str, owner: str) -> bool:
        """Return whether ``viewer`` may read ``owner``'s free/busy (same domain or shared)."""
        same_domain = viewer.rpartition("@")[2] == owner.rpartition("@")[2]
        return viewer == owner or same_domain or (owner, viewer) in self.shared

    def invalidate_sync_tokens(self, email: str | None = None) -> None:
        """Make every sync token handed out so far (for ``email``) answer 410."""
        with self.lock:
            for calendar in self.store.calendars.values():
                if email is None or calendar.owner == email.lower():
                    calendar.epoch += 1

    # -- organizer-side helpers ------------------------------------------------------------

    def invite(
        self,
        organizer: str,
        attendees: Iterable[str | Invitee],
        summary: str,
        start: datetime | date,
        end: datetime | date,
        *,
        description: str = "",
        time_zone: str | None = None,
        recurrence: Iterable[str] = (),
        organizer_name: str | None = None,
        event_id: str | None = None,
        **fields: Any,
    ) -> str:
        """Create an invite from ``organizer`` (who may be outside the emulator); return its id.

        The organizer is also listed as an accepted attendee, as Google does. Extra Google
        fields (``attachments``, ``conferenceData``, ``location`` ...) pass through.
        """
        entries = [Invitee(organizer, organizer_name, "accepted").entry()]
        for person in attendees:
            entries.append((Invitee(person) if isinstance(person, str) else person).entry())
        body: dict[str, Any] = {
            "summary": summary,
            "description": description,
            "start": _when(start, time_zone),
            "end": _when(end, time_zone),
            "attendees": entries,
            **fields,
        }
        if recurrence:
            body["recurrence"] = list(recurrence)
        if event_id:
            body["id"] = event_id
        with self.lock:
            calendar = self.store.calendars.get(organizer.lower())
            event = mutations.new_event(
                self.store, body, (organizer, organizer_name), calendar=calendar
            )
            self.store.add(event)
        return str(event["id"])

    def update_invite(self, event_id: str, **changes: Any) -> None:
        """Change an invite as its organizer would (a patch: arrays replace, None deletes)."""
        with self.lock:
            if event_id not in self.store.events:
                raise KeyError(f"no event {event_id!r} in the emulator")
            mutations.organizer_change(self.store, event_id, changes, replace=False, zone=UTC)

    def cancel_invite(self, event_id: str) -> None:
        """Cancel an invite (or a whole series) for everyone, as its organizer."""
        self.update_invite(event_id, status="cancelled")

    def change_instance(
        self, series_id: str, original_start: datetime | date, **changes: Any
    ) -> str:
        """Change one occurrence of a series as its organizer; return the instance id."""
        with self.lock:
            master = self.store.events[series_id]
            calendar = next(
                (c for c in self.store.calendars.values() if series_id in c.copies), None
            )
            if calendar is None:
                raise KeyError(f"series {series_id!r} is on no calendar of the emulator")
            all_day = "date" in master["start"]
            if all_day:
                suffix = (
                    original_start if isinstance(original_start, date) else original_start.date()
                ).strftime("%Y%m%d")
            else:
                assert isinstance(original_start, datetime)
                suffix = original_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            if parse_instance_suffix(suffix) is None:
                raise ValueError(f"bad original start {original_start!r}")
            inst_id = self.store.materialise(calendar, f"{series_id}_{suffix}")
            mutations.organizer_change(self.store, inst_id, changes, replace=False, zone=UTC)
        return inst_id

    def cancel_instance(self, series_id: str, original_start: datetime | date) -> str:
        """Cancel one occurrence of a series for everyone; return the instance id."""
        return self.change_instance(series_id, original_start, status="cancelled")

    def respond_as(
        self, email: str, event_id: str, response: str, comment: str | None = None
    ) -> dict[str, Any]:
        """Answer an invite as attendee ``email`` (as if they clicked in Google Calendar)."""
        with self.lock:
            calendar = self.store.calendar(email)
            event, _ = self.store.copy_of(calendar, event_id)
            attendees = []
            for entry in event.get("attendees") or []:
                entry = dict(entry)
                if entry.get("email", "").lower() == calendar.owner:
                    entry["responseStatus"] = response
                    if comment is None:
                        entry.pop("comment", None)
                    else:
                        entry["comment"] = comment
                attendees.append(entry)
            return mutations.modify(
                self.store, calendar, event_id, {"attendees": attendees}, replace=False
            )

    def create_event(self, email: str, body: dict[str, Any]) -> dict[str, Any]:
        """Insert an event as ``email`` (their own event), as the API would."""
        with self.lock:
            return mutations.insert(self.store, self.store.calendar(email), body)

    def event(self, email: str, event_id: str) -> dict[str, Any]:
        """Return ``email``'s copy of an event, as events.get would."""
        with self.lock:
            calendar = self.store.calendar(email)
            event, mine = self.store.copy_of(calendar, event_id)
            return self.store.render(calendar, event, mine)

    def events(self, email: str) -> list[dict[str, Any]]:
        """Return every event copy on ``email``'s calendar (series not expanded)."""
        with self.lock:
            calendar = self.store.calendar(email)
            return [
                self.store.render(calendar, self.store.events[event_id], mine)
                for event_id, mine in sorted(calendar.copies.items())
            ]

    # -- faults, push, request log ---------------------------------------------------------

    def inject(
        self,
        status: int,
        *,
        method: str = "*",
        path: str = "*",
        times: int = 1,
        reason: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Answer the next ``times`` requests matching method and path glob with an error."""
        self.faults.add(
            status, method=method, path=path, times=times, reason=reason, retry_after=retry_after
        )

    def inject_latency(
        self, seconds: float, *, method: str = "*", path: str = "*", times: int | None = None
    ) -> None:
        """Delay matching requests by ``seconds``."""
        self.faults.add_delay(seconds, method=method, path=path, times=times)

    @property
    def push_mode(self) -> PushMode:
        """Return how push notifications are delivered."""
        return self.notifier.mode

    @push_mode.setter
    def push_mode(self, mode: PushMode | str) -> None:
        self.notifier.mode = PushMode(mode)

    @property
    def deliveries(self) -> list[Delivery]:
        """Return every push notification POSTed so far."""
        return list(self.notifier.deliveries)

    def requests_to(self, method: str | None = None, path: str = "") -> list[RecordedRequest]:
        """Return the recorded requests with ``method`` whose path contains ``path``."""
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper()) and path in r.path
            ]

    def close(self) -> None:
        """Stop background work (the push thread)."""
        self.notifier.close()
