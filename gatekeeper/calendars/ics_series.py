"""Expand recurring .ics events with recurring-ical-events, one series at a time."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import icalendar
from icalendar import Component
from recurring_ical_events import EventAdapter, Occurrence, Series
from recurring_ical_events.errors import BadRuleStringFormat, PeriodEndBeforeStart
from x_wr_timezone import CalendarWalker  # type: ignore[import-untyped]

from gatekeeper.calendars.ics_event import Zones, as_aware
from gatekeeper.domain import Invite

# Occurrences are asked for with this margin and then filtered exactly: all-day series are
# compared by recurring-ical-events in the wall time of the query, whose zone may differ
# from the one the dates are placed in by up to 26 hours.
_MARGIN = timedelta(days=2)

SERIES_ERRORS = (
    BadRuleStringFormat,
    PeriodEndBeforeStart,
    icalendar.InvalidCalendar,
    ValueError,
    TypeError,
    KeyError,
    OverflowError,
)


class SeriesProblem(Exception):
    """A series cannot be expanded; ``index`` is the file position of its first VEVENT."""

    def __init__(self, index: int, uid: str, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.uid = uid
        self.reason = reason


class _Source(EventAdapter):  # type: ignore[misc]
    """An adapter that remembers the Invite already converted from its VEVENT."""

    def __init__(self, component: Component, invite: Invite) -> None:
        super().__init__(component)
        self.invite = invite


class _Hit(Occurrence):  # type: ignore[misc]
    """An occurrence that keeps a public handle on the adapter it came from."""

    def __init__(self, adapter: _Source, start: Any = None, end: Any = None, sequence: int = -1):
        super().__init__(adapter, start, end, sequence)
        self.source = adapter


class _Series(Series):  # type: ignore[misc]
    def occurrence(self, adapter: _Source, start: Any = None, end: Any = None) -> _Hit:
        return _Hit(adapter, start, end, sequence=self.sequence)


class _ZoneWalker(CalendarWalker):  # type: ignore[misc]
    """Give floating times their zone, and UTC times the calendar's X-WR-TIMEZONE.

    Expanding in a real zone keeps a weekly 09:00 at 09:00 local time across daylight
    saving changes; the X-WR-TIMEZONE reading of UTC series is the one
    recurring-ical-events applies to whole calendars.
    """

    def __init__(self, floating: tzinfo, calendar: tzinfo | None) -> None:
        self.floating = floating
        self.calendar = calendar

    def walk_value_datetime(self, dt: datetime) -> datetime:
        if dt.tzinfo is None:
            return dt.replace(tzinfo=self.floating)
        if self.calendar is not None and self.is_UTC(dt):
            return dt.astimezone(self.calendar)
        return dt


def overlaps(invite: Invite, start: datetime, end: datetime) -> bool:
    """Return True when the invite shares time with [start, end) (instants count too)."""
    return invite.start < end and (invite.end > start or invite.start == start)


class SeriesSet:
    """Every series of one calendar, ready to expand over any window."""

    def __init__(
        self,
        groups: dict[str, list[tuple[int, Component, Invite]]],
        zones: Zones,
        calendar_zone: tzinfo | None,
    ) -> None:
        self._zones = zones
        self._series: dict[str, Any] = {}
        walker = _ZoneWalker(zones.floating, calendar_zone)
        for uid, members in groups.items():
            try:
                adapters = [_Source(walker.walk_event(comp), inv) for _, comp, inv in members]
                self._series[uid] = _Series(adapters)
            except SERIES_ERRORS as exc:
                raise SeriesProblem(members[0][0], uid, str(exc)) from exc
        self._first_index = {uid: members[0][0] for uid, members in groups.items()}

    def __contains__(self, uid: object) -> bool:
        return uid in self._series

    @property
    def uids(self) -> Sequence[str]:
        """Return the UIDs of all series, in file order."""
        return list(self._series)

    def between(self, uid: str, start: datetime, end: datetime) -> list[Invite]:
        """Return the occurrences of one series overlapping [start, end), unsorted."""
        series = self._series[uid]
        found: list[Invite] = []
        try:
            hits = list(series.between(start - _MARGIN, end + _MARGIN))
        except SERIES_ERRORS as exc:
            raise SeriesProblem(self._first_index[uid], uid, str(exc)) from exc
        for hit in hits:
            invite = self._to_invite(hit)
            if invite is not None and overlaps(invite, start, end):
                found.append(invite)
        return found

    def _to_invite(self, hit: _Hit) -> Invite | None:
        adapter = hit.source
        invite = adapter.invite
        if adapter.is_modification() and not adapter.this_and_future:
            # An overridden instance stands for itself; a cancelled one is gone.
            return None if invite.status == "cancelled" else invite
        if not invite.recurring:
            return invite  # one of several copies of a single event; the newest won
        original: date | datetime = hit.start - adapter.move_recurrences_by
        return dataclasses.replace(
            invite,
            start=as_aware(hit.start, self._zones),
            end=as_aware(hit.end, self._zones),
            recurrence=(),
            recurrence_id=as_aware(original, self._zones),
            recurring=True,
        )
