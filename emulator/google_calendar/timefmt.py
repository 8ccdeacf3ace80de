"""Times, ids and etags in the shapes Google Calendar uses on the wire."""

from __future__ import annotations

import itertools
import secrets
import threading
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from emulator.google_calendar.errors import ApiError

# Google's event ids use the base32hex alphabet (lower case a-v and digits).
_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuv"
_etags = itertools.count(3_400_000_000_000_000)
_etag_lock = threading.Lock()


def new_event_id() -> str:
    """Return a fresh event id in Google's alphabet."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(26))


def new_etag() -> str:
    """Return a new, never repeated quoted etag."""
    with _etag_lock:
        return f'"{next(_etags)}"'


def rfc3339(moment: datetime) -> str:
    """Return ``moment`` in UTC with milliseconds, as Google writes ``updated``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_rfc3339(value: str, where: str, local_zone: tzinfo | None = None) -> datetime:
    """Parse an RFC 3339 timestamp with an offset; refuse anything else with 400.

    With ``local_zone`` (an event time's ``timeZone``) a time without offset is read as
    local time there, as Google reads an event's ``start.dateTime``.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError.bad_request(f"Invalid value for {where}: {value!r}", where) from None
    if parsed.tzinfo is None:
        if local_zone is not None:
            return parsed.replace(tzinfo=local_zone)
        raise ApiError.bad_request(f"{where} must carry a time zone offset: {value!r}", where)
    return parsed


def zone_named(name: str | None, where: str) -> tzinfo | None:
    """Return the IANA zone called ``name`` (None when not given)."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ApiError.bad_request(f"Invalid time zone definition for {where}.", where) from None


def event_time(value: Any, where: str, default_zone: tzinfo) -> tuple[datetime, bool]:
    """Return (aware datetime, all_day) for an event's ``start`` / ``end`` object."""
    if not isinstance(value, dict):
        raise ApiError.bad_request(f"Missing {where}.", where)
    if value.get("dateTime"):
        zone = zone_named(value.get("timeZone"), f"{where}.timeZone")
        moment = parse_rfc3339(str(value["dateTime"]), f"{where}.dateTime", zone)
        return (moment.astimezone(zone) if zone else moment), False
    if value.get("date"):
        try:
            day = date.fromisoformat(str(value["date"]))
        except ValueError:
            raise ApiError.bad_request(f"Invalid {where}.date.", f"{where}.date") from None
        zone = zone_named(value.get("timeZone"), f"{where}.timeZone") or default_zone
        return datetime.combine(day, time(0), tzinfo=zone), True
    raise ApiError.bad_request(f"Missing {where} time.", where)


def with_offsets(event: dict[str, Any]) -> None:
    """Write a local ``start``/``end`` dateTime with its offset, as Google answers it."""
    for key in ("start", "end"):
        value = event.get(key)
        if not isinstance(value, dict) or not value.get("dateTime") or not value.get("timeZone"):
            continue
        text = str(value["dateTime"]).strip()
        if text.endswith(("Z", "z")) or datetime.fromisoformat(text).tzinfo is not None:
            continue
        moment, _ = event_time(value, key, UTC)
        value["dateTime"] = moment.isoformat()


def time_object(moment: datetime, all_day: bool, zone_name: str | None) -> dict[str, str]:
    """Return a ``start`` / ``end`` object for ``moment`` in Google's shape."""
    if all_day:
        return {"date": moment.date().isoformat()}
    out = {"dateTime": moment.isoformat()}
    if zone_name:
        out["timeZone"] = zone_name
    return out


def instance_suffix(original: datetime, all_day: bool) -> str:
    """Return the id suffix of an instance: its original start in UTC (or its date)."""
    if all_day:
        return original.strftime("%Y%m%d")
    return original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_instance_suffix(suffix: str) -> datetime | date | None:
    """Return the original start encoded in an instance id suffix, or None."""
    try:
        if len(suffix) == 8:
            return datetime.strptime(suffix, "%Y%m%d").date()
        return datetime.strptime(suffix, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def http_date(moment: datetime) -> str:
    """Return ``moment`` as an RFC 1123 date (push notification expiration header)."""
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def millis(moment: datetime) -> str:
    """Return ``moment`` as milliseconds since the epoch, as a string (channel expiration)."""
    return str(int(moment.timestamp() * 1000))


def from_millis(value: Any, where: str) -> datetime:
    """Parse milliseconds since the epoch."""
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError):
        raise ApiError.bad_request(f"Invalid value for {where}: {value!r}", where) from None


ONE_DAY = timedelta(days=1)
