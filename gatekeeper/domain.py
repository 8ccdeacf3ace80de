"""Plain domain objects shared by every part of Gatekeeper (standard library only)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta


class Action(enum.StrEnum):
    """What Gatekeeper does with an invite."""

    NONE = "none"
    FLAG = "flag"
    DECLINE = "decline"
    TENTATIVE = "tentative"
    ACCEPT = "accept"


class Mode(enum.StrEnum):
    """How decisions are carried out for an account."""

    ENFORCE = "enforce"
    FLAG = "flag"
    DRY_RUN = "dry-run"


# Google's eventType values; .ics events are always "default" unless marked otherwise.
MEETING_EVENT_TYPES = frozenset({"default", "fromGmail"})
NON_MEETING_EVENT_TYPES = frozenset({"focusTime", "outOfOffice", "workingLocation", "birthday"})


@dataclass(frozen=True)
class Attendee:
    """One person (or room) on an invite."""

    email: str
    name: str | None = None
    response: str = "needsAction"  # needsAction | accepted | declined | tentative
    organizer: bool = False
    resource: bool = False
    optional: bool = False

    @property
    def display(self) -> str:
        """Return the name when known, else the address."""
        return self.name or self.email


@dataclass(frozen=True)
class Attachment:
    """A file attached to an invite (ATTACH in .ics, ``attachments`` in Google)."""

    url: str
    title: str | None = None
    mime_type: str | None = None


@dataclass(frozen=True)
class Interval:
    """A half-open time interval [start, end) with timezone-aware ends."""

    start: datetime
    end: datetime
    label: str = ""

    def overlaps(self, other: Interval) -> bool:
        """Return True when the two intervals share any time."""
        return self.start < other.end and other.start < self.end

    @property
    def duration(self) -> timedelta:
        """Return the length of the interval."""
        return self.end - self.start


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkingHours:
    """When the person works: weekdays (Monday = 0), local hours, and their time zone."""

    timezone: str = "UTC"
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    start: time = time(9, 0)
    end: time = time(17, 0)


@dataclass(frozen=True)
class FocusBlockSpec:
    """A recurring focus block defined in YAML, e.g. weekdays 09:00-11:00 Europe/Berlin."""

    name: str
    days: tuple[int, ...]
    start: time
    end: time
    timezone: str


@dataclass(frozen=True)
class Invite:
    """One calendar event (a single event, a series master, or one instance of a series).

    ``recurrence`` holds RFC 5545 lines (RRULE, RDATE, EXDATE) exactly as Google's
    ``recurrence`` field and an .ics VEVENT carry them; it is empty for single events
    and for instances. ``recurrence_id`` is set on an instance of a series.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    description: str = ""
    location: str = ""
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    all_day: bool = False
    status: str = "confirmed"  # confirmed | tentative | cancelled
    event_type: str = "default"
    recurrence: tuple[str, ...] = ()
    recurrence_id: datetime | None = None
    recurring: bool = False  # part of a series (master or instance)
    timezone: str | None = None  # the zone the organizer wrote the event in
    conference_urls: tuple[str, ...] = ()
    sequence: int = 0
    transparent: bool = False  # shows as free
    source_id: str | None = None  # the calendar provider's own event id
    etag: str | None = None
    updated: datetime | None = None

    @property
    def duration(self) -> timedelta:
        """Return the event's length."""
        return self.end - self.start

    @property
    def interval(self) -> Interval:
        """Return the event's time as an interval."""
        return Interval(self.start, self.end, self.summary)

    def attendee(self, email: str) -> Attendee | None:
        """Return the attendee entry for ``email`` (case-insensitive), if any."""
        wanted = email.strip().lower()
        for person in self.attendees:
            if person.email.lower() == wanted:
                return person
        return None

    @property
    def organizer_email(self) -> str:
        """Return the organizer's address in lower case, or an empty string."""
        return self.organizer.email.lower() if self.organizer else ""


@dataclass(frozen=True)
class ContentReport:
    """What the agenda and pre-read detector found in an invite, with its evidence."""

    has_agenda: bool
    has_preread: bool
    agenda_evidence: tuple[str, ...] = ()
    preread_evidence: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "agenda marked as to-be-decided"

    @property
    def reasons(self) -> list[str]:
        """Return human-readable reasons listing the evidence for both findings."""
        out: list[str] = []
        if self.has_agenda:
            out.append("agenda found: " + "; ".join(self.agenda_evidence))
        else:
            out.append("no agenda" + (": " + "; ".join(self.notes) if self.notes else ""))
        if self.has_preread:
            out.append("pre-read found: " + "; ".join(self.preread_evidence))
        else:
            out.append("no pre-read")
        return out


@dataclass(slots=True)
class Decision:
    """The outcome of screening one invite (or one instance of a series).

    Made once by the engine and only read after that. It is not a frozen dataclass: one is
    made for every invite screened, and a frozen one sets each of its fields through
    object.__setattr__, which made building it cost more than all the rule tests together.
    """

    uid: str
    recurrence_id: datetime | None
    summary: str
    start: datetime
    end: datetime
    action: Action
    rule: str | None
    reasons: tuple[str, ...]
    has_agenda: bool = False
    has_preread: bool = False
    focus_conflict: bool = False
    cost: float = 0.0
    currency: str = "EUR"
    message: str | None = None
    alternatives: tuple[Interval, ...] = ()
    escalation: bool = False  # an escalation (e.g. "[urgent]") was used
    skipped: bool = False  # never acted on (own, answered, cancelled, past ...): no rule ran
    source_id: str | None = None
    organizer: str = ""

    def as_json(self) -> dict[str, object]:
        """Return the JSON shape promised by ``python -m gatekeeper screen --format json``."""
        return {
            "uid": self.uid,
            "recurrence_id": self.recurrence_id.isoformat() if self.recurrence_id else None,
            "summary": self.summary,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "action": self.action.value,
            "rule": self.rule,
            "reasons": list(self.reasons),
            "has_agenda": self.has_agenda,
            "has_preread": self.has_preread,
            "focus_conflict": self.focus_conflict,
            "cost": self.cost,
            "currency": self.currency,
            "message": self.message,
            "alternatives": [
                {"start": slot.start.isoformat(), "end": slot.end.isoformat()}
                for slot in self.alternatives
            ],
            "organizer": self.organizer,
            "skipped": self.skipped,
        }


@dataclass
class EscalationLedger:
    """Counts escalations per organizer per ISO week (filled from the decision log)."""

    used: dict[tuple[str, str], int] = field(default_factory=dict)

    @staticmethod
    def week_of(moment: datetime) -> str:
        """Return the ISO week key (``YYYY-Www``) of ``moment``."""
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"

    def count(self, organizer: str, moment: datetime) -> int:
        """Return how many escalations ``organizer`` used in the week of ``moment``."""
        return self.used.get((organizer.lower(), self.week_of(moment)), 0)

    def record(self, organizer: str, moment: datetime) -> None:
        """Count one escalation by ``organizer`` in the week of ``moment``."""
        key = (organizer.lower(), self.week_of(moment))
        self.used[key] = self.used.get(key, 0) + 1
