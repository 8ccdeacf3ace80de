"""The version of a Google event as screening sees it: a fingerprint of what rules look at.

Google's etag changes on every write to a calendar copy, including Gatekeeper's own answer
and any guest's answer, so it cannot tell "the organizer changed the invite" from "we just
declined it". The fingerprint covers what the organizer controls and screening reads (title,
text, times, recurrence, guest list, attachments, meeting links) and leaves out every
guest's response, comments and the person's own per-copy fields. An unchanged fingerprint
means: already screened, nothing to do; a new one means: screen again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

VERSION_PREFIX = "v1:"
_FIELDS = (
    "summary",
    "description",
    "location",
    "start",
    "end",
    "originalStartTime",
    "recurrence",
    "status",
    "eventType",
    "attachments",
    "hangoutLink",
)
_ATTENDEE_FIELDS = ("optional", "resource")


def _email(raw: Any) -> str:
    return str(raw.get("email", "")).strip().lower() if isinstance(raw, Mapping) else ""


def _conference(raw: Any) -> list[str]:
    if not isinstance(raw, Mapping):
        return []
    points = raw.get("entryPoints") or []
    return sorted(str(p.get("uri", "")) for p in points if isinstance(p, Mapping))


def fingerprint_fields(event: Mapping[str, Any]) -> dict[str, Any]:
    """Return the parts of an event that decide how it is screened, in a canonical shape."""
    out: dict[str, Any] = {key: event.get(key) for key in _FIELDS if event.get(key) is not None}
    out["organizer"] = _email(event.get("organizer"))
    out["attendees"] = sorted(
        [_email(entry), *(bool(entry.get(key)) for key in _ATTENDEE_FIELDS)]
        for entry in event.get("attendees") or []
        if isinstance(entry, Mapping)
    )
    out["conference"] = _conference(event.get("conferenceData"))
    return out


def event_version(event: Mapping[str, Any]) -> str:
    """Return the screening version of one Google event (or instance) as seen by anyone."""
    canonical = json.dumps(fingerprint_fields(event), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
    return VERSION_PREFIX + digest


def own_response(event: Mapping[str, Any], email: str) -> str | None:
    """Return ``email``'s responseStatus on the event, or None when not a guest."""
    wanted = email.strip().lower()
    for entry in event.get("attendees") or []:
        if _email(entry) == wanted:
            return str(entry.get("responseStatus") or "needsAction")
    return None
