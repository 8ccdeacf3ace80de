"""Expand a recurring event's ``recurrence`` lines into occurrence start times."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from dateutil.rrule import rrule, rruleset, rrulestr  # type: ignore[import-untyped]

from emulator.google_calendar.errors import ApiError
from emulator.google_calendar.timefmt import event_time

# A series without an end would expand forever; no test looks further than this.
MAX_OCCURRENCES = 5000


def series_zone(event: dict[str, Any], default_zone: tzinfo) -> tzinfo:
    """Return the zone the series repeats in (its start's timeZone, else its offset)."""
    start = event.get("start") or {}
    name = start.get("timeZone")
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    moment, all_day = event_time(start, "start", default_zone)
    if all_day:
        return default_zone
    return moment.tzinfo or UTC


def _values(line: str, zone: tzinfo, all_day: bool) -> list[datetime]:
    """Parse the values of an RDATE / EXDATE line in the series' frame of reference."""
    head, _, body = line.partition(":")
    params = dict(part.split("=", 1) for part in head.split(";")[1:] if "=" in part)
    value_zone: tzinfo = zone
    if params.get("TZID"):
        try:
            value_zone = zoneinfo.ZoneInfo(params["TZID"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ApiError.bad_request(f"Unknown TZID in {line!r}.", "recurrence") from None
    found: list[datetime] = []
    for raw in filter(None, (v.strip() for v in body.split(","))):
        try:
            if len(raw) == 8:
                moment = datetime.combine(datetime.strptime(raw, "%Y%m%d").date(), time(0))
            elif raw.endswith("Z"):
                moment = datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            else:
                moment = datetime.strptime(raw, "%Y%m%dT%H%M%S")
        except ValueError:
            raise ApiError.bad_request(f"Invalid date in {line!r}.", "recurrence") from None
        if all_day:
            if moment.tzinfo is not None:
                moment = moment.astimezone(zone)
            found.append(datetime.combine(moment.date(), time(0)))
        else:
            found.append(moment if moment.tzinfo else moment.replace(tzinfo=value_zone))
    return found


def build_set(event: dict[str, Any], default_zone: tzinfo) -> tuple[rruleset, bool, tzinfo]:
    """Return the rule set of a series, whether it is all-day, and its zone."""
    zone = series_zone(event, default_zone)
    start, all_day = event_time(event.get("start"), "start", default_zone)
    dtstart = datetime.combine(start.date(), time(0)) if all_day else start.astimezone(zone)
    rules = rruleset()
    for line in event.get("recurrence") or []:
        text = str(line).strip()
        name = text.split(":", 1)[0].split(";", 1)[0].upper()
        if name in ("RRULE", "EXRULE"):
            try:
                parsed = rrulestr(text, dtstart=dtstart)
            except (ValueError, TypeError) as exc:
                raise ApiError.bad_request(
                    f"Invalid recurrence rule {text!r}: {exc}", "recurrence"
                ) from None
            if not isinstance(parsed, rrule):
                raise ApiError.bad_request(f"Invalid recurrence rule {text!r}.", "recurrence")
            (rules.rrule if name == "RRULE" else rules.exrule)(parsed)
        elif name == "RDATE":
            for moment in _values(text, zone, all_day):
                rules.rdate(moment)
        elif name == "EXDATE":
            for moment in _values(text, zone, all_day):
                rules.exdate(moment)
        else:
            raise ApiError.bad_request(f"Invalid recurrence line {text!r}.", "recurrence")
    return rules, all_day, zone


def occurrences(
    event: dict[str, Any], window_start: datetime, window_end: datetime, default_zone: tzinfo
) -> list[datetime]:
    """Return the original starts of occurrences overlapping [window_start, window_end)."""
    rules, all_day, zone = build_set(event, default_zone)
    start, _ = event_time(event.get("start"), "start", default_zone)
    end, _ = event_time(event.get("end"), "end", default_zone)
    length = max(end - start, timedelta(0))
    lower = window_start - length
    if all_day:
        # All-day occurrences are naive dates; compare them in the series' zone.
        lower = lower.astimezone(zone).replace(tzinfo=None)
        upper = window_end.astimezone(zone).replace(tzinfo=None)
    else:
        upper = window_end
    found: list[datetime] = []
    for moment in rules.xafter(lower, count=MAX_OCCURRENCES, inc=True):
        if moment >= upper:
            break
        aware = moment.replace(tzinfo=zone) if all_day else moment
        if aware + length > window_start or (length == timedelta(0) and aware >= window_start):
            found.append(aware)
    return found


def is_occurrence(
    event: dict[str, Any], original: datetime | date, default_zone: tzinfo
) -> datetime | None:
    """Return the occurrence that starts at ``original`` (a date for all-day), or None."""
    rules, all_day, zone = build_set(event, default_zone)
    if all_day:
        day = original if not isinstance(original, datetime) else original.date()
        probe = datetime.combine(day, time(0))
        hit = rules.after(probe - timedelta(seconds=1))
        return hit.replace(tzinfo=zone) if hit == probe else None
    if not isinstance(original, datetime):
        return None
    hit = rules.after(original - timedelta(seconds=1))
    return hit if hit is not None and hit == original else None
