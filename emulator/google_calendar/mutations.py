"""Insert, patch, update and delete, with the rules Google enforces on who may change what."""

from __future__ import annotations

import copy
import re
from typing import Any

from emulator.google_calendar import properties, recurrence
from emulator.google_calendar.errors import ApiError
from emulator.google_calendar.store import (
    PERSONAL_FIELDS,
    Calendar,
    Store,
    attendee_key,
    clean_attendee,
)
from emulator.google_calendar.timefmt import event_time, new_event_id, rfc3339, with_offsets

# Fields the server owns; clients echo them back and they are ignored.
READ_ONLY_FIELDS = frozenset(
    {
        "kind",
        "etag",
        "id",
        "htmlLink",
        "created",
        "updated",
        "creator",
        "organizer",
        "iCalUID",
        "recurringEventId",
        "originalStartTime",
        "sequence",
        "hangoutLink",
    }
)
DEFAULTS: dict[str, Any] = {"status": "confirmed", "eventType": "default"}
EVENT_TYPES = frozenset(
    {"default", "focusTime", "outOfOffice", "workingLocation", "birthday", "fromGmail"}
)
RESPONSES = frozenset({"needsAction", "declined", "tentative", "accepted"})
STATUSES = frozenset({"confirmed", "tentative", "cancelled"})
# Changing these is a change of time: attendees' copies get a new sequence number.
TIME_FIELDS = ("start", "end", "recurrence")
OWN_ENTRY_FIELDS = frozenset({"responseStatus", "comment", "additionalGuests"})
_ID = re.compile(r"^[a-v0-9]{5,1024}$")


def normalise_attendees(raw: Any, organizer: str) -> list[dict[str, Any]]:
    """Validate an ``attendees`` array and return it without per-viewer keys."""
    if not isinstance(raw, list):
        raise ApiError.bad_request("attendees must be a list.", "attendees")
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for number, entry in enumerate(raw):
        where = f"attendees[{number}]"
        if not isinstance(entry, dict) or not attendee_key(entry):
            raise ApiError(400, "required", "Missing attendee email.", location=where)
        key = attendee_key(entry)
        if key in seen:
            raise ApiError.bad_request(f"Duplicate attendee {key}.", where)
        seen.add(key)
        entry = clean_attendee(entry)
        entry["email"] = str(entry["email"]).strip()
        entry.setdefault("responseStatus", "accepted" if key == organizer else "needsAction")
        if entry["responseStatus"] not in RESPONSES:
            raise ApiError.bad_request("Invalid attendee responseStatus.", where)
        out.append(entry)
    return out


def _validate(event: dict[str, Any], calendar_zone: Any) -> None:
    start, start_all_day = event_time(event.get("start"), "start", calendar_zone)
    end, end_all_day = event_time(event.get("end"), "end", calendar_zone)
    if start_all_day != end_all_day:
        raise ApiError.bad_request(
            "Start and end times must either both be date or both be dateTime.", "end"
        )
    if end < start:
        raise ApiError.empty_range("end")
    if event.get("status", "confirmed") not in STATUSES:
        raise ApiError.bad_request("Invalid status.", "status")
    if event.get("recurrence"):
        if not isinstance(event["recurrence"], list):
            raise ApiError.bad_request("recurrence must be a list.", "recurrence")
        if event.get("recurringEventId"):
            raise ApiError.bad_request("An instance cannot have a recurrence.", "recurrence")
        recurrence.build_set(event, calendar_zone)


def new_event(
    store: Store,
    body: Any,
    organizer: tuple[str, str | None],
    *,
    calendar: Calendar | None,
) -> dict[str, Any]:
    """Return a canonical event built from an insert body, organized by ``organizer``."""
    if not isinstance(body, dict):
        raise ApiError.bad_request("The request body must be a JSON object.")
    event_id = str(body.get("id") or new_event_id())
    if not _ID.match(event_id):
        raise ApiError.bad_request("Invalid resource id value.", "id")
    event_type = body.get("eventType", "default")
    if event_type not in EVENT_TYPES:
        raise ApiError.bad_request(f"Invalid eventType {event_type!r}.", "eventType")
    if event_type == "focusTime":
        if calendar is None or not calendar.focus_time:
            raise ApiError(
                400,
                "invalid",
                "Focus time events cannot be created on this calendar.",
                domain="calendar",
                location="eventType",
            )
        if body.get("attendees"):
            raise ApiError.bad_request("Focus time events cannot have attendees.", "attendees")
    properties.check(body.get(properties.KEY))
    email, name = organizer
    person = {"email": email, **({"displayName": name} if name else {})}
    event = {k: copy.deepcopy(v) for k, v in body.items() if k not in READ_ONLY_FIELDS}
    event.update(
        kind="calendar#event",
        id=event_id,
        created=rfc3339(store.now()),
        creator=dict(person),
        organizer=dict(person),
        iCalUID=str(body.get("iCalUID") or f"{event_id}@google.com"),
        sequence=0,
        eventType=event_type,
    )
    event.setdefault("status", "confirmed")
    event.setdefault("reminders", {"useDefault": True})
    if "attendees" in event:
        event["attendees"] = normalise_attendees(event["attendees"], email.lower())
    _validate(event, calendar.zone if calendar else store.now().tzinfo)
    with_offsets(event)
    return event


def insert(store: Store, calendar: Calendar, body: Any) -> dict[str, Any]:
    """Insert an event organized by the calendar's owner; return it as they see it."""
    event = new_event(store, body, (calendar.owner, calendar.name), calendar=calendar)
    store.add(event)
    return store.render(calendar, event, calendar.copies[event["id"]])


def merge_patch(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Return ``target`` with ``patch`` applied: objects merged, arrays replaced, null deleted."""
    out = copy.deepcopy(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            merged = merge_patch(out[key], value)
            # A start/end switches between timed and all-day as a whole.
            if "date" in value:
                merged.pop("dateTime", None)
            if "dateTime" in value:
                merged.pop("date", None)
            out[key] = merged
        else:
            out[key] = copy.deepcopy(value)
    return out


def _same(key: str, left: Any, right: Any, zone: Any) -> bool:
    if key in ("start", "end") and isinstance(left, dict) and isinstance(right, dict):
        try:
            return event_time(left, key, zone) == event_time(right, key, zone) and (
                left.get("timeZone") == right.get("timeZone")
            )
        except ApiError:
            return False
    return bool(left == right)


def _own_entry_change(old: list[dict[str, Any]], new: Any, me: str) -> list[dict[str, Any]]:
    """Return the attendees with only ``me``'s own entry changed, or raise 403."""
    if not isinstance(new, list) or not all(isinstance(e, dict) for e in new):
        raise ApiError.bad_request("attendees must be a list of objects.", "attendees")
    before = {attendee_key(e): clean_attendee(e) for e in old}
    after = {attendee_key(e): clean_attendee(e) for e in new}
    if len(after) != len(new):
        raise ApiError.bad_request("Duplicate attendee.", "attendees")
    if me not in before:
        raise ApiError.non_organizer("You are not an attendee of this event.")
    for email in sorted(before.keys() - after.keys()):
        raise ApiError.non_organizer(f"Attendee {email} was dropped from the attendees list.")
    for email in sorted(after.keys() - before.keys()):
        raise ApiError.non_organizer(f"Attendee {email} was added to the attendees list.")
    for email, entry in before.items():
        changed = {
            k for k in entry.keys() | after[email].keys() if entry.get(k) != after[email].get(k)
        }
        if email != me and changed:
            raise ApiError.non_organizer(
                f"The entry of attendee {email} was changed ({', '.join(sorted(changed))})."
            )
        if email == me and changed - OWN_ENTRY_FIELDS:
            raise ApiError.non_organizer(
                f"Only responseStatus and comment of your own entry may change, not "
                f"{', '.join(sorted(changed - OWN_ENTRY_FIELDS))}."
            )
    mine = after[me]
    if mine.get("responseStatus", "needsAction") not in RESPONSES:
        raise ApiError.bad_request("Invalid attendee responseStatus.", "attendees")
    return [
        mine if attendee_key(e) == me else copy.deepcopy(e)
        for e in (clean_attendee(x) for x in old)
    ]


def attendee_change(
    store: Store, calendar: Calendar, event_id: str, body: dict[str, Any], *, replace: bool
) -> None:
    """Apply an attendee's change: their own response, comment and personal fields only.

    Private extended properties are personal too; shared ones are the organizer's.
    """
    current = store.events[event_id]
    me = calendar.owner
    body, private = properties.split(body)
    personal: dict[str, Any] = {}
    attendees: list[dict[str, Any]] | None = None
    for key, value in body.items():
        if key in READ_ONLY_FIELDS:
            continue
        if key in PERSONAL_FIELDS:
            personal[key] = value
        elif key == "attendees":
            attendees = _own_entry_change(current.get("attendees") or [], value, me)
        elif not _same(key, value, current.get(key, DEFAULTS.get(key)), calendar.zone):
            if key == properties.KEY:
                raise ApiError.non_organizer(
                    "Only the organizer may change extendedProperties.shared; attendees may "
                    "set extendedProperties.private on their own copy."
                )
            raise ApiError.non_organizer(f"Only the organizer may change '{key}'.")
    if replace:
        for key, value in current.items():
            if key in READ_ONLY_FIELDS or key in PERSONAL_FIELDS or key in body:
                continue
            if value != DEFAULTS.get(key):
                raise ApiError.non_organizer(f"Only the organizer may remove '{key}'.")
    mine = calendar.copies[event_id]
    for key, value in personal.items():
        if value is None:
            mine.personal.pop(key, None)
        else:
            mine.personal[key] = copy.deepcopy(value)
    mine.private = properties.apply_private(mine.private, private, replace=replace)
    if attendees is not None and attendees != current.get("attendees"):
        current["attendees"] = attendees
        store.spread(event_id)  # the organizer and the other guests see the response
    else:
        store.spread(event_id, only=[me])


def organizer_change(
    store: Store, event_id: str, body: dict[str, Any], *, replace: bool, zone: Any
) -> None:
    """Apply the organizer's change to the shared event and spread it to every copy."""
    current = store.events[event_id]
    organizer = attendee_key(current.get("organizer") or {})
    incoming, private = properties.split(
        {k: v for k, v in body.items() if k not in READ_ONLY_FIELDS}
    )
    own = store.calendars.get(organizer)
    mine = own.copies.get(event_id) if own is not None else None
    if mine is not None:
        mine.private = properties.apply_private(mine.private, private, replace=replace)
    if not incoming and not replace and private is not properties.MISSING:
        if mine is not None:
            store.spread(event_id, only=[organizer])  # only their own copy changed
        return
    if replace:
        updated = {k: copy.deepcopy(v) for k, v in current.items() if k in READ_ONLY_FIELDS}
        updated.update(copy.deepcopy(incoming))
        for key, value in DEFAULTS.items():
            updated.setdefault(key, value)
    else:
        updated = merge_patch(current, incoming)
    if "attendees" in updated:
        updated["attendees"] = normalise_attendees(updated["attendees"], organizer)
        old_own = {attendee_key(e): e for e in current.get("attendees") or []}.get(organizer)
        new_own = {attendee_key(e): e for e in updated["attendees"]}.get(organizer)
        if old_own and new_own and old_own.get("responseStatus") != new_own.get("responseStatus"):
            raise ApiError.forbidden("The organizer cannot respond to their own event.")
    _validate(updated, zone)
    with_offsets(updated)
    if any(not _same(k, current.get(k), updated.get(k), zone) for k in TIME_FIELDS):
        updated["sequence"] = int(current.get("sequence", 0)) + 1
    store.events[event_id] = updated
    store.spread(event_id)
    _follow_master(store, current, updated)


def _follow_master(store: Store, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Carry a series change into its exceptions for the fields they did not override."""
    skip = READ_ONLY_FIELDS | {"start", "end", "recurrence", "attendees", "status"}
    changed = [
        k for k in before.keys() | after.keys() if k not in skip and before.get(k) != after.get(k)
    ]
    for inst_id in sorted(store.exceptions.get(after["id"], ())):
        inst = store.events[inst_id]
        touched = False
        for key in changed:
            if inst.get(key) == before.get(key):
                if key in after:
                    inst[key] = copy.deepcopy(after[key])
                else:
                    inst.pop(key, None)
                touched = True
        old_people = {attendee_key(e) for e in before.get("attendees") or []}
        if {attendee_key(e) for e in inst.get("attendees") or []} == old_people and (
            old_people != {attendee_key(e) for e in after.get("attendees") or []}
        ):
            answers = {attendee_key(e): e for e in inst.get("attendees") or []}
            inst["attendees"] = [answers.get(attendee_key(e), e) for e in after["attendees"]]
            touched = True
        if after.get("status") == "cancelled" and inst.get("status") != "cancelled":
            inst["status"] = "cancelled"
            touched = True
        if touched:
            store.spread(inst_id)


def _check_etag(if_match: str | None, etag: str) -> None:
    if if_match and if_match.strip() not in ("*", etag):
        raise ApiError.precondition_failed()


def modify(
    store: Store,
    calendar: Calendar,
    event_id: str,
    body: Any,
    *,
    replace: bool,
    if_match: str | None = None,
) -> dict[str, Any]:
    """Patch (or, with ``replace``, update) an event as the calendar's owner."""
    if not isinstance(body, dict):
        raise ApiError.bad_request("The request body must be a JSON object.")
    event, mine = store.copy_of(calendar, event_id)
    _check_etag(if_match, mine.etag)
    if mine.removed:
        raise ApiError(410, "deleted", "Resource has been deleted")
    if "eventType" in body and body["eventType"] != event.get("eventType", "default"):
        raise ApiError.bad_request("The event type cannot be changed.", "eventType")
    event_id = store.materialise(calendar, event_id)
    if attendee_key(event.get("organizer") or {}) == calendar.owner:
        organizer_change(store, event_id, body, replace=replace, zone=calendar.zone)
    else:
        attendee_change(store, calendar, event_id, body, replace=replace)
    return store.render(calendar, store.events[event_id], calendar.copies[event_id])


def delete(store: Store, calendar: Calendar, event_id: str, if_match: str | None) -> None:
    """Delete an event: the organizer cancels it for all, an attendee removes their copy."""
    event, mine = store.copy_of(calendar, event_id)
    _check_etag(if_match, mine.etag)
    if mine.removed or event.get("status") == "cancelled":
        raise ApiError(410, "deleted", "Resource has been deleted")
    event_id = store.materialise(calendar, event_id)
    event = store.events[event_id]
    if attendee_key(event.get("organizer") or {}) == calendar.owner:
        organizer_change(
            store, event_id, {"status": "cancelled"}, replace=False, zone=calendar.zone
        )
        return
    calendar.copies[event_id].hidden = True
    for entry in event.get("attendees") or []:
        if attendee_key(entry) == calendar.owner:
            entry["responseStatus"] = "declined"
    store.spread(event_id)
