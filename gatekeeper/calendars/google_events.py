"""Turn Google Calendar event JSON into gatekeeper.domain.Invite (as the .ics adapter does)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from datetime import date, datetime, time, tzinfo
from typing import Any

from gatekeeper.domain import Attachment, Attendee, Invite
from gatekeeper.errors import CalendarError

_RESPONSES = frozenset({"needsAction", "accepted", "declined", "tentative"})
_STATUSES = frozenset({"confirmed", "tentative", "cancelled"})
_URL_SCHEMES = ("https://", "http://")


def is_cancelled(event: Mapping[str, Any]) -> bool:
    """Return whether the event (or this calendar's copy of it) is cancelled."""
    return event.get("status") == "cancelled"


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _when(value: Any, field: str, event_id: str, zone: tzinfo) -> tuple[datetime, bool]:
    """Return (aware datetime, all_day) for a ``start`` / ``end`` / ``originalStartTime``."""
    if not isinstance(value, Mapping):
        raise CalendarError(f"Google event {event_id}: {field} is missing")
    raw = value.get("dateTime")
    if raw:
        text = str(raw).strip()
        try:
            moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
        except ValueError:
            raise CalendarError(
                f"Google event {event_id}: {field}.dateTime {raw!r} is not an RFC 3339 time"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_zone(value.get("timeZone")) or zone)
        return moment, False
    raw = value.get("date")
    if raw:
        try:
            day = date.fromisoformat(str(raw))
        except ValueError:
            raise CalendarError(
                f"Google event {event_id}: {field}.date {raw!r} is not a date"
            ) from None
        return datetime.combine(day, time(0), tzinfo=_zone(value.get("timeZone")) or zone), True
    raise CalendarError(f"Google event {event_id}: {field} has neither dateTime nor date")


def _person(raw: Any, *, organizer_email: str) -> Attendee | None:
    if not isinstance(raw, Mapping) or not str(raw.get("email", "")).strip():
        return None
    email = str(raw["email"]).strip().lower()
    response = str(raw.get("responseStatus") or "needsAction")
    return Attendee(
        email=email,
        name=str(raw["displayName"]) if raw.get("displayName") else None,
        response=response if response in _RESPONSES else "needsAction",
        organizer=bool(raw.get("organizer")) or email == organizer_email,
        resource=bool(raw.get("resource")),
        optional=bool(raw.get("optional")),
    )


def _attachments(event: Mapping[str, Any]) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for raw in event.get("attachments") or []:
        if not isinstance(raw, Mapping):
            continue
        url = str(raw.get("fileUrl") or "").strip()
        if url:
            found.append(
                Attachment(
                    url=url,
                    title=str(raw["title"]) if raw.get("title") else None,
                    mime_type=str(raw["mimeType"]) if raw.get("mimeType") else None,
                )
            )
    return tuple(found)


def _conference_urls(event: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the meeting links: hangoutLink, then conferenceData entry points (no phones)."""
    urls: list[str] = []
    candidates: list[Any] = [event.get("hangoutLink")]
    conference = event.get("conferenceData")
    if isinstance(conference, Mapping):
        for point in conference.get("entryPoints") or []:
            if isinstance(point, Mapping):
                candidates.append(point.get("uri"))
    for candidate in candidates:
        url = str(candidate or "").strip()
        if url.lower().startswith(_URL_SCHEMES) and url not in urls:
            urls.append(url)
    return tuple(urls)


def _updated(raw: Any) -> datetime | None:
    if not raw:
        return None
    text = str(raw).strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        return None  # a broken timestamp only weakens change detection
    return moment if moment.tzinfo else None


def to_invite(
    event: Mapping[str, Any], calendar_owner_email: str, *, calendar_zone: str = "UTC"
) -> Invite:
    """Return the Invite for one Google event as seen on ``calendar_owner_email``'s calendar.

    All-day dates are read in ``calendar_zone`` (the calendar's own zone, as Google does).
    A cancelled event listed by incremental sync carries only its id and status and cannot
    become an Invite: check :func:`is_cancelled` first.
    """
    event_id = str(event.get("id") or "").strip()
    if not event_id:
        raise CalendarError(f"Google event without an id on the calendar of {calendar_owner_email}")
    zone = _zone(calendar_zone) or zoneinfo.ZoneInfo("UTC")
    start, all_day = _when(event.get("start"), "start", event_id, zone)
    end, _ = _when(event.get("end"), "end", event_id, zone)
    if end < start:
        raise CalendarError(f"Google event {event_id}: it ends before it starts")
    organizer_raw = event.get("organizer")
    organizer_email = (
        str(organizer_raw.get("email", "")).strip().lower()
        if isinstance(organizer_raw, Mapping)
        else ""
    )
    organizer = None
    if organizer_email:
        organizer = Attendee(
            email=organizer_email,
            name=str(organizer_raw["displayName"])
            if isinstance(organizer_raw, Mapping) and organizer_raw.get("displayName")
            else None,
            response="accepted",
            organizer=True,
        )
    attendees = tuple(
        person
        for person in (
            _person(raw, organizer_email=organizer_email) for raw in event.get("attendees") or []
        )
        if person is not None
    )
    recurrence = tuple(str(line) for line in event.get("recurrence") or [])
    recurrence_id = None
    if event.get("originalStartTime"):
        recurrence_id, _ = _when(event["originalStartTime"], "originalStartTime", event_id, zone)
    status = str(event.get("status") or "confirmed")
    start_zone = (event.get("start") or {}).get("timeZone")
    try:
        sequence = int(event.get("sequence") or 0)
    except (TypeError, ValueError):
        sequence = 0
    return Invite(
        uid=str(event.get("iCalUID") or event_id),
        summary=str(event.get("summary") or "").strip(),
        start=start,
        end=end,
        description=str(event.get("description") or ""),
        location=str(event.get("location") or "").strip(),
        organizer=organizer,
        attendees=attendees,
        attachments=_attachments(event),
        all_day=all_day,
        status=status if status in _STATUSES else "confirmed",
        event_type=str(event.get("eventType") or "default"),
        recurrence=recurrence if recurrence_id is None else (),
        recurrence_id=recurrence_id,
        recurring=recurrence_id is not None
        or bool(event.get("recurringEventId"))
        or any(line.upper().startswith(("RRULE", "RDATE")) for line in recurrence),
        timezone=str(start_zone) if _zone(start_zone) else None,
        conference_urls=_conference_urls(event),
        sequence=sequence,
        transparent=event.get("transparency") == "transparent",
        source_id=event_id,
        etag=str(event["etag"]) if event.get("etag") else None,
        updated=_updated(event.get("updated")),
    )
