"""The Google event that stands for one YAML focus block: its key, its body, its digest.

A block becomes one recurring event in the block's own zone (RRULE WEEKLY with BYDAY), so
"09:00-11:00 Europe/Berlin" stays at nine o'clock local time across DST, exactly as the
screening engine lays it out. Each event carries private extended properties: which block
it is (a stable key from the block's name) and a digest of what the YAML said, so a
re-run can tell "unchanged" from "edited" without comparing Google's rendering of times.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gatekeeper.domain import FocusBlockSpec

MARKER_PROPERTY = "gatekeeper"  # every event Gatekeeper made for a block has it
MARKER_VALUE = "focus-block"
KEY_PROPERTY = "gatekeeper-block"
DIGEST_PROPERTY = "gatekeeper-block-digest"
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class FocusTimeSettings:
    """How Google's focus time behaves for blocks Gatekeeper creates.

    Google's own auto-decline is off by default: Gatekeeper declines conflicting invites
    itself, with the full reply (other times, the async alternative), which Google's
    one-line auto-decline would pre-empt.
    """

    auto_decline_mode: str = "declineNone"
    decline_message: str = (
        "This time is protected for focused work; Gatekeeper suggests other times."
    )
    chat_status: str = "doNotDisturb"

    def properties(self) -> dict[str, str]:
        """Return Google's focusTimeProperties object."""
        return {
            "autoDeclineMode": self.auto_decline_mode,
            "declineMessage": self.decline_message,
            "chatStatus": self.chat_status,
        }


def block_key(name: str) -> str:
    """Return the stable id of a block: a slug of its name and a short hash of it."""
    name = name.strip()
    slug = _SLUG.sub("-", name.casefold()).strip("-")[:40] or "block"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def block_digest(spec: FocusBlockSpec, settings: FocusTimeSettings) -> str:
    """Return a digest of everything the event is made from."""
    data = {
        "name": spec.name,
        "days": sorted(spec.days),
        "start": spec.start.isoformat(),
        "end": spec.end.isoformat(),
        "timezone": spec.timezone,
        "focus": settings.properties(),
    }
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:24]


def rrule(spec: FocusBlockSpec) -> str:
    """Return the weekly RRULE of a block (BYDAY in the block's own zone)."""
    days = ",".join(_BYDAY[day] for day in sorted(set(spec.days)))
    return f"RRULE:FREQ=WEEKLY;BYDAY={days}"


def first_occurrence(spec: FocusBlockSpec, now: datetime) -> tuple[datetime, datetime]:
    """Return the start and end of the block's first day on or after today (its zone)."""
    zone = ZoneInfo(spec.timezone)
    day = now.astimezone(zone).date()
    while day.weekday() not in spec.days:
        day += timedelta(days=1)
    start = datetime.combine(day, spec.start, tzinfo=zone)
    end_day = day if spec.end > spec.start else day + timedelta(days=1)
    return start, datetime.combine(end_day, spec.end, tzinfo=zone)


def event_body(
    key: str, spec: FocusBlockSpec, settings: FocusTimeSettings, now: datetime, *, focus_time: bool
) -> dict[str, Any]:
    """Return the events.insert body for a block (a focusTime event, or a busy one)."""
    start, end = first_occurrence(spec, now)
    body: dict[str, Any] = {
        "summary": spec.name,
        "description": "Protected focus time, kept in sync with your Gatekeeper rules.",
        # The offset pins the first instance; timeZone makes the RRULE follow local time.
        "start": {"dateTime": start.isoformat(timespec="seconds"), "timeZone": spec.timezone},
        "end": {"dateTime": end.isoformat(timespec="seconds"), "timeZone": spec.timezone},
        "recurrence": [rrule(spec)],
        "transparency": "opaque",
        "visibility": "default",
        "extendedProperties": {
            "private": {
                MARKER_PROPERTY: MARKER_VALUE,
                KEY_PROPERTY: key,
                DIGEST_PROPERTY: block_digest(spec, settings),
            }
        },
    }
    if focus_time:
        body["eventType"] = "focusTime"
        body["focusTimeProperties"] = settings.properties()
    return body


def patch_body(body: dict[str, Any], existing_type: str) -> dict[str, Any]:
    """Return the patch that brings an existing block event to ``body``.

    eventType cannot be patched, so the event keeps its type; focus time properties are
    sent only to a focusTime event.
    """
    patch = {k: v for k, v in body.items() if k not in ("eventType", "focusTimeProperties")}
    if existing_type == "focusTime" and "focusTimeProperties" in body:
        patch["focusTimeProperties"] = body["focusTimeProperties"]
    return patch


def block_keys(specs: list[FocusBlockSpec] | tuple[FocusBlockSpec, ...]) -> list[str]:
    """Return one key per block; blocks sharing a name are told apart by their position."""
    keys: list[str] = []
    for spec in specs:
        key = block_key(spec.name)
        number = 2
        while key in keys:
            key = f"{block_key(spec.name)}-{number}"
            number += 1
        keys.append(key)
    return keys


def private_properties(event: dict[str, Any]) -> dict[str, str]:
    """Return an event's private extended properties (empty when it has none)."""
    props = event.get("extendedProperties") or {}
    private = props.get("private") if isinstance(props, dict) else None
    return {str(k): str(v) for k, v in private.items()} if isinstance(private, dict) else {}
