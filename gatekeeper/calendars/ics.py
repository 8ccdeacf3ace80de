"""The iCalendar (.ics) adapter: parse a file once, expand its series on demand.

Parsing is icalendar's; recurrence (RRULE, RDATE, EXDATE, moved and cancelled instances,
time zones and daylight saving) is recurring-ical-events', applied to series only so that
single events cost nothing beyond their conversion.
"""

from __future__ import annotations

import bisect
import hashlib
import warnings
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from icalendar import Calendar, Component
from icalendar.error import GloballyUniqueTZIDGuessed

from gatekeeper.calendars import ics_source
from gatekeeper.calendars.ics_event import (
    TIME_PROPERTIES,
    EventProblem,
    Zones,
    to_invite,
    zone,
)
from gatekeeper.calendars.ics_series import SeriesProblem, SeriesSet, overlaps
from gatekeeper.domain import Invite
from gatekeeper.errors import InputError

__all__ = ["IcsCalendar", "parse_ics", "read_ics"]

_CONVERSION_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


class IcsCalendar:
    """The events of one .ics file and the occurrences of its series."""

    def __init__(
        self,
        events: list[Invite],
        *,
        timezone: str | None,
        method: str | None,
        series: SeriesSet,
        source: str = "<data>",
    ) -> None:
        self.events = events
        self.timezone = timezone
        self.method = method
        self.source = source
        self._series = series
        self._singles = sorted(
            (e for e in events if e.uid not in series), key=lambda e: (e.start, e.end)
        )
        self._single_starts = [e.start for e in self._singles]
        self._longest = max((e.duration for e in self._singles), default=timedelta(0))

    def __repr__(self) -> str:
        return f"<IcsCalendar {self.source} events={len(self.events)}>"

    def instances(self, start: datetime, end: datetime) -> list[Invite]:
        """Return every occurrence overlapping [start, end), sorted by start.

        Single events come as they are; series are expanded (EXDATE applied, moved
        instances at their new time, cancelled instances dropped), each occurrence
        with ``recurrence_id`` = its original start and ``recurring`` = True.
        """
        _check_window(start, end)
        lo = bisect.bisect_left(self._single_starts, start - self._longest)
        hi = bisect.bisect_left(self._single_starts, end, lo=lo)
        found = [e for e in self._singles[lo:hi] if overlaps(e, start, end)]
        for uid in self._series.uids:
            found.extend(self._expand(uid, start, end))
        return _sorted(found)

    def series_instances(self, uid: str, start: datetime, end: datetime) -> list[Invite]:
        """Return the occurrences of one series (or the one event) with this UID."""
        _check_window(start, end)
        if uid in self._series:
            return _sorted(self._expand(uid, start, end))
        return _sorted(e for e in self._singles if e.uid == uid and overlaps(e, start, end))

    def _expand(self, uid: str, start: datetime, end: datetime) -> list[Invite]:
        try:
            return self._series.between(uid, start, end)
        except SeriesProblem as problem:
            raise InputError(
                f"{self.source}: event {uid!r} cannot be expanded: {problem.reason}"
            ) from problem


def read_ics(path: str | Path, *, default_tz: str | None = None) -> IcsCalendar:
    """Read and parse an .ics file; InputError says what is wrong and where."""
    data = ics_source.read_bytes(path)
    return parse_ics(data, source=str(path), default_tz=default_tz)


def parse_ics(
    data: bytes | str, *, source: str = "<data>", default_tz: str | None = None
) -> IcsCalendar:
    """Parse iCalendar data; floating times are read in ``default_tz``.

    Without ``default_tz``, floating times and all-day dates are read in the calendar's
    X-WR-TIMEZONE, else in UTC.
    """
    ics_source.check_size(len(data), source)
    text = ics_source.decode(data)
    ics_source.check_calendar_start(text, source)
    calendars = _parse(text, source)
    first = calendars[0]
    calendar_name = _calendar_zone_name(calendars, text, source)
    calendar_zone = zone(calendar_name) if calendar_name else None
    floating: tzinfo | None = calendar_zone
    if default_tz:
        floating = zone(default_tz)
        if floating is None:
            raise InputError(f"{source}: unknown time zone {default_tz!r} for floating times")
    zones = Zones(floating=floating or UTC, calendar=calendar_name)
    method = str(first.get("METHOD")).strip().upper() if first.get("METHOD") else None

    components = [comp for cal in calendars for comp in cal.walk("VEVENT")]
    events: list[Invite] = []
    for index, component in enumerate(components):
        _check_component(component, index, text, source)
        try:
            events.append(to_invite(component, zones, method, _fallback_uid(component, index)))
        except EventProblem as problem:
            raise _located(source, text, index, problem.message, problem.prop) from None
        except _CONVERSION_ERRORS as exc:
            raise _located(source, text, index, f"cannot read this event ({exc})") from exc

    groups: dict[str, list[tuple[int, Component, Invite]]] = defaultdict(list)
    for index, (component, invite) in enumerate(zip(components, events, strict=True)):
        groups[invite.uid].append((index, component, invite))
    series_groups = {
        uid: members
        for uid, members in groups.items()
        if len(members) > 1 or members[0][2].recurring or members[0][2].recurrence
    }
    try:
        series = SeriesSet(series_groups, zones, calendar_zone)
    except SeriesProblem as problem:
        raise _located(
            source, text, problem.index, f"cannot expand this series: {problem.reason}", "RRULE"
        ) from problem
    return IcsCalendar(
        events,
        timezone=_calendar_timezone(calendar_name, calendars),
        method=method,
        series=series,
        source=source,
    )


def _parse(text: str, source: str) -> list[Calendar]:
    try:
        # icalendar warns when it guesses a vendor-prefixed TZID; the guess is what we want.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
            calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        where = ics_source.structure_problem(text)
        if where is None:
            content, reason = ics_source.split_content_error(str(exc))
            line = ics_source.locate_content(text, content) if content else None
            where = f"line {line}: {reason}" if line else reason
        raise InputError(f"{source}: {where}") from exc
    calendars = [cal for cal in calendars if cal.name == "VCALENDAR"]
    if not calendars:
        where = ics_source.structure_problem(text)
        raise InputError(f"{source}: {where or 'not an iCalendar file (expected BEGIN:VCALENDAR)'}")
    for cal in calendars:
        for comp in cal.walk():
            if comp.name == "VEVENT":
                continue  # checked event by event, with their line numbers
            for name, message in comp.errors:
                if name is None:
                    content, reason = ics_source.split_content_error(message)
                    line = ics_source.locate_content(text, content) if content else None
                    raise InputError(f"{source}: " + (f"line {line}: " if line else "") + reason)
    return calendars


def _check_component(component: Component, index: int, text: str, source: str) -> None:
    for name, message in component.errors:
        if name is None:
            content, reason = ics_source.split_content_error(message)
            line = ics_source.locate_in_event(text, index, content=content) if content else None
            prefix = f"line {line}: " if line else ""
            raise InputError(f"{source}: {prefix}{reason}")
        if name.upper() in TIME_PROPERTIES:
            raise _located(source, text, index, f"invalid {name.upper()} ({message})", name)


def _located(
    source: str, text: str, index: int, message: str, prop: str | None = None
) -> InputError:
    line = ics_source.locate_in_event(text, index, prop) if prop else None
    if line is None:
        line = ics_source.locate_in_event(text, index)
    return InputError(f"{source}: " + (f"line {line}: " if line else "") + message)


def _fallback_uid(component: Component, index: int) -> str:
    """Return a stable made-up UID for an event that has none."""
    raw = f"{index}|{component.get('DTSTART', '')!r}|{component.get('SUMMARY', '')}"
    return "no-uid-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _calendar_zone_name(calendars: list[Calendar], text: str, source: str) -> str | None:
    raw = calendars[0].get("X-WR-TIMEZONE")
    if raw is None or not str(raw).strip():
        return None
    found = zone(str(raw))
    if found is None:
        line = next(
            (
                n
                for n, ln in ics_source.logical_lines(text)
                if ln.upper().startswith("X-WR-TIMEZONE")
            ),
            None,
        )
        prefix = f"line {line}: " if line else ""
        raise InputError(
            f"{source}: {prefix}unknown time zone {str(raw).strip()!r} in X-WR-TIMEZONE"
        )
    return found.key


def _calendar_timezone(calendar_name: str | None, calendars: list[Calendar]) -> str | None:
    if calendar_name:
        return calendar_name
    tzids = {str(tz.get("TZID", "")) for cal in calendars for tz in cal.walk("VTIMEZONE")}
    if len(tzids) == 1:
        found = zone(tzids.pop())
        return found.key if found else None
    return None


def _check_window(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("instances() needs timezone-aware start and end")


def _sorted(invites: Iterable[Invite]) -> list[Invite]:
    return sorted(invites, key=lambda e: (e.start, e.end, e.uid, e.recurrence_id or e.start))
