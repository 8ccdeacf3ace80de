"""Turn one parsed VEVENT into a gatekeeper.domain.Invite (cheaply: no re-serializing)."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from icalendar import Component
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from gatekeeper.domain import Attachment, Attendee, Invite

# Properties without which an event cannot be placed in time; when icalendar could not
# parse one of them the file is refused rather than the event silently misplaced.
TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "EXDATE")

_PARTSTAT = {
    "NEEDS-ACTION": "needsAction",
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    # A delegate answers instead of the person, who will not come.
    "DELEGATED": "declined",
}
_OPTIONAL_ROLES = frozenset({"OPT-PARTICIPANT", "NON-PARTICIPANT"})
_RESOURCE_TYPES = frozenset({"ROOM", "RESOURCE"})
_STATUS = {"CONFIRMED": "confirmed", "TENTATIVE": "tentative", "CANCELLED": "cancelled"}
_GOOGLE_EVENT_TYPES = {
    name.lower(): name
    for name in (
        "default",
        "focusTime",
        "outOfOffice",
        "workingLocation",
        "birthday",
        "fromGmail",
    )
}
CONFERENCE_PROPERTIES = (
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
)
_URL = re.compile(r"https?://[^\s\"'<>]+", re.I)
_TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


class EventProblem(Exception):
    """One VEVENT cannot be converted; ``prop`` names the property at fault, if any."""

    def __init__(self, message: str, prop: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.prop = prop


@dataclass(frozen=True)
class Zones:
    """How times without a zone of their own are read in one calendar."""

    floating: tzinfo  # for floating times and all-day dates
    calendar: str | None = None  # X-WR-TIMEZONE, when given


def zone(name: str) -> zoneinfo.ZoneInfo | None:
    """Return the IANA zone called ``name``, or None.

    Windows names ("W. Europe Standard Time") are mapped, and RFC 5545 globally unique
    ids ("/freeassociation.sourceforge.net/Europe/Berlin") lose their vendor prefix.
    """
    raw = name.strip()
    name = raw.strip("/")
    candidates = [name, WINDOWS_TO_OLSON.get(name, "")]
    if raw.startswith("/"):
        parts = name.split("/")
        candidates += ["/".join(parts[i:]) for i in range(1, len(parts))]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return zoneinfo.ZoneInfo(candidate)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return None


def as_aware(value: date | datetime, zones: Zones) -> datetime:
    """Return ``value`` as an aware datetime (dates at midnight, floating in the zone)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=zones.floating)
    if value.tzinfo is None:
        return value.replace(tzinfo=zones.floating)
    return value


def _value(component: Component, name: str) -> Any:
    """Return the first value of a property (repeated properties come as a list)."""
    value = component.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _values(component: Component, name: str) -> list[Any]:
    value = component.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(component: Component, name: str) -> str:
    value = _value(component, name)
    return "" if value is None else str(value)


def _unescape(text: str) -> str:
    """Undo RFC 5545 TEXT escapes in a property icalendar does not know (X-ALT-DESC)."""
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _dt(component: Component, name: str) -> date | datetime | None:
    value = _value(component, name)
    if value is None:
        return None
    dt = getattr(value, "dt", None)
    if not isinstance(dt, date):
        raise EventProblem(f"{name} is not a date or date-time", name)
    if isinstance(dt, datetime) and dt.tzinfo is None:
        tzid = value.params.get("TZID") if hasattr(value, "params") else None
        if tzid:
            # icalendar leaves the time floating when it does not know the zone.
            raise EventProblem(f"unknown time zone {tzid!r} in {name}", name)
    return dt


def _address(raw: str) -> str:
    value = raw.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return value.strip().lower()


def _param(value: Any, name: str) -> str | None:
    params = getattr(value, "params", None)
    if params is None:
        return None
    found = params.get(name)
    if found is None:
        return None
    if isinstance(found, list):
        found = found[0] if found else None
    return str(found) if found is not None else None


def _organizer(component: Component) -> Attendee | None:
    value = _value(component, "ORGANIZER")
    if value is None or not str(value).strip():
        return None
    return Attendee(
        email=_address(str(value)),
        name=_param(value, "CN") or None,
        response="accepted",
        organizer=True,
    )


def _attendees(component: Component, organizer: Attendee | None) -> tuple[Attendee, ...]:
    people: list[Attendee] = []
    for value in _values(component, "ATTENDEE"):
        email = _address(str(value))
        if not email:
            continue
        partstat = (_param(value, "PARTSTAT") or "NEEDS-ACTION").upper()
        people.append(
            Attendee(
                email=email,
                name=_param(value, "CN") or None,
                response=_PARTSTAT.get(partstat, "needsAction"),
                organizer=organizer is not None and email == organizer.email,
                resource=(_param(value, "CUTYPE") or "").upper() in _RESOURCE_TYPES,
                optional=(_param(value, "ROLE") or "").upper() in _OPTIONAL_ROLES,
            )
        )
    return tuple(people)


def _attachments(component: Component) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for number, value in enumerate(_values(component, "ATTACH"), start=1):
        filename = (
            _param(value, "FILENAME") or _param(value, "X-FILENAME") or _param(value, "LABEL")
        )
        mime = _param(value, "FMTTYPE")
        binary = (_param(value, "VALUE") or "").upper() == "BINARY" or (
            (_param(value, "ENCODING") or "").upper() == "BASE64"
        )
        if binary:
            name = filename or f"attachment-{number}"
            found.append(Attachment(url=f"attachment:{name}", title=name, mime_type=mime))
        else:
            url = str(value).strip()
            if url:
                found.append(Attachment(url=url, title=filename, mime_type=mime))
    return tuple(found)


def _description(component: Component) -> str:
    plain = _text(component, "DESCRIPTION")
    html = ""
    for value in _values(component, "X-ALT-DESC"):
        if (_param(value, "FMTTYPE") or "").lower() == "text/html":
            html = _unescape(str(value))
            break
    if not html.strip():
        return plain
    if not plain.strip():
        return html
    # Outlook puts links only in the HTML body; keep both so no evidence is lost.
    missing = [url for url in _URL.findall(html) if url not in plain]
    return f"{plain}\n\n{html}" if missing else plain


def _conference_urls(component: Component) -> tuple[str, ...]:
    urls: list[str] = []
    for name in CONFERENCE_PROPERTIES:
        for value in _values(component, name):
            url = str(value).strip()
            if url and url not in urls:
                urls.append(url)
    return tuple(urls)


def _event_type(component: Component) -> str:
    google = _text(component, "X-GOOGLE-EVENT-TYPE").strip()
    if google:
        return _GOOGLE_EVENT_TYPES.get(google.lower(), "default")
    if _text(component, "X-MICROSOFT-CDO-BUSYSTATUS").strip().upper() == "OOF":
        return "outOfOffice"
    return "default"


def _transparent(component: Component) -> bool:
    transp = _text(component, "TRANSP").strip().upper()
    if transp:
        return transp == "TRANSPARENT"
    return _text(component, "X-MICROSOFT-CDO-BUSYSTATUS").strip().upper() == "FREE"


def _sequence(component: Component) -> int:
    try:
        return int(_value(component, "SEQUENCE") or 0)
    except (TypeError, ValueError):
        return 0  # a broken SEQUENCE only weakens change detection


def _updated(component: Component) -> datetime | None:
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        value = getattr(_value(component, name), "dt", None)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _written_zone(component: Component, zones: Zones) -> str | None:
    """Return the IANA zone the event's start was written in, if it names one."""
    value = _value(component, "DTSTART")
    tzid = _param(value, "TZID")
    if tzid:
        known = zone(tzid)
        if known is not None:
            return known.key
        key = getattr(getattr(value, "dt", None), "tzinfo", None)
        return getattr(key, "key", None)
    dt = getattr(value, "dt", None)
    if isinstance(dt, datetime) and dt.tzinfo is None:
        return zones.calendar
    return None


def recurrence_lines(component: Component) -> tuple[str, ...]:
    """Return the RRULE, RDATE and EXDATE lines as RFC 5545 text."""
    lines: list[str] = []
    for name in RECURRENCE_PROPERTIES:
        for value in _values(component, name):
            lines.append(str(component.content_line(name, value)))
    return tuple(lines)


def times(component: Component, zones: Zones) -> tuple[datetime, datetime, bool]:
    """Return (start, end, all_day); DTEND falls back to DURATION, then 0 / 1 day."""
    raw_start = _dt(component, "DTSTART")
    if raw_start is None:
        raise EventProblem("the event has no DTSTART")
    all_day = not isinstance(raw_start, datetime)
    start = as_aware(raw_start, zones)
    raw_end = _dt(component, "DTEND")
    if raw_end is not None:
        end = as_aware(raw_end, zones)
    else:
        duration = getattr(_value(component, "DURATION"), "dt", None)
        if isinstance(duration, timedelta):
            end = start + duration
        else:
            end = start + (timedelta(days=1) if all_day else timedelta(0))
    if end < start:
        raise EventProblem("the event ends before it starts (DTEND before DTSTART)", "DTEND")
    return start, end, all_day


def to_invite(component: Component, zones: Zones, method: str | None, fallback_uid: str) -> Invite:
    """Return the Invite for one VEVENT, as written (series masters are not expanded)."""
    start, end, all_day = times(component, zones)
    recurrence = recurrence_lines(component)
    raw_rid = _dt(component, "RECURRENCE-ID")
    recurrence_id = as_aware(raw_rid, zones) if raw_rid is not None else None
    status = _STATUS.get(_text(component, "STATUS").strip().upper(), "confirmed")
    if (method or "").upper() == "CANCEL":
        status = "cancelled"  # an iTIP cancellation cancels what it carries
    organizer = _organizer(component)
    return Invite(
        uid=_text(component, "UID").strip() or fallback_uid,
        summary=_text(component, "SUMMARY").strip(),
        start=start,
        end=end,
        description=_description(component),
        location=_text(component, "LOCATION").strip(),
        organizer=organizer,
        attendees=_attendees(component, organizer),
        attachments=_attachments(component),
        all_day=all_day,
        status=status,
        event_type=_event_type(component),
        recurrence=recurrence if recurrence_id is None else (),
        recurrence_id=recurrence_id,
        recurring=recurrence_id is not None
        or any(line.startswith(("RRULE", "RDATE")) for line in recurrence),
        timezone=_written_zone(component, zones),
        conference_urls=_conference_urls(component),
        sequence=_sequence(component),
        transparent=_transparent(component),
        updated=_updated(component),
    )
