"""events.list (full and incremental sync, pages), events.instances and freeBusy.query."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from emulator.google_calendar import properties, recurrence
from emulator.google_calendar.errors import ApiError
from emulator.google_calendar.store import Calendar, Copy, Store, attendee_key, start_of
from emulator.google_calendar.timefmt import event_time, parse_rfc3339, rfc3339

DEFAULT_PAGE = 250
MAX_PAGE = 2500
# How far ahead series are expanded when no timeMax is given: lists, and events.instances.
HORIZON = timedelta(days=365)
INSTANCES_HORIZON = timedelta(days=2 * 366)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NOT_WITH_SYNC = (
    "timeMin",
    "timeMax",
    "updatedMin",
    "orderBy",
    "q",
    "iCalUID",
    "privateExtendedProperty",
    "sharedExtendedProperty",
)


def _encode(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> dict[str, Any] | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "false").strip().lower()
    if value not in ("true", "false"):
        raise ApiError.bad_request(f"Invalid boolean value for {name}: {value!r}", name)
    return value == "true"


def _page_size(params: Mapping[str, str]) -> int:
    raw = params.get("maxResults")
    if raw is None:
        return DEFAULT_PAGE
    try:
        size = int(raw)
    except ValueError:
        raise ApiError.bad_request(f"Invalid maxResults: {raw!r}", "maxResults") from None
    if size < 1:
        raise ApiError.bad_request("maxResults must be positive.", "maxResults")
    return min(size, MAX_PAGE)


def _all(params: Mapping[str, str], name: str) -> list[str]:
    """Return every value of a repeatable parameter (a plain mapping holds one)."""
    getlist = getattr(params, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name)]
    return [params[name]] if params.get(name) else []


def _without(params: Mapping[str, str], name: str) -> Mapping[str, str]:
    """Return the parameters without ``name``, repeated ones kept."""
    copy_of = getattr(params, "copy", None)
    if copy_of is not None and hasattr(params, "getlist"):
        rest = copy_of()
        rest.pop(name, None)
        return rest
    return {k: v for k, v in params.items() if k != name}


def _time(params: Mapping[str, str], name: str) -> datetime | None:
    raw = params.get(name)
    return parse_rfc3339(raw, name) if raw else None


@dataclass(frozen=True)
class Query:
    """The parsed parameters of one events.list (or instances) request."""

    single_events: bool
    show_deleted: bool
    time_min: datetime | None
    time_max: datetime | None
    updated_min: datetime | None
    order_by: str | None
    text: str | None
    ical_uid: str | None
    since: int | None  # the change number a sync token stands for
    private_props: tuple[tuple[str, str], ...] = ()  # privateExtendedProperty, all must match
    shared_props: tuple[tuple[str, str], ...] = ()  # sharedExtendedProperty, all must match

    @property
    def syncing(self) -> bool:
        """Return True for an incremental sync (deleted events always included)."""
        return self.since is not None

    def wants_cancelled(self) -> bool:
        """Return whether cancelled events belong in the answer."""
        return self.show_deleted or self.syncing

    def window(
        self, now: datetime, series: dict[str, Any], horizon: timedelta = HORIZON
    ) -> tuple[datetime, datetime]:
        """Return the window a series is expanded over (an open end is bounded)."""
        anchor = max(now, self.time_min or now, start_of(series))
        return self.time_min or _EPOCH, self.time_max or anchor + horizon


def sync_token(calendar: Calendar, seq: int, single_events: bool) -> str:
    """Return the sync token for ``calendar`` at change number ``seq``."""
    return _encode({"c": calendar.owner, "e": calendar.epoch, "s": seq, "x": single_events})


def parse_query(calendar: Calendar, params: Mapping[str, str]) -> Query:
    """Validate an events.list query; a stale or foreign sync token answers 410."""
    single = _flag(params, "singleEvents")
    since: int | None = None
    if params.get("syncToken"):
        clash = [name for name in _NOT_WITH_SYNC if params.get(name)]
        if clash:
            raise ApiError.bad_request(
                f"syncToken cannot be combined with {', '.join(clash)}.", clash[0]
            )
        data = _decode(params["syncToken"]) or {}
        if (
            data.get("c") != calendar.owner
            or data.get("e") != calendar.epoch
            or data.get("x") != single
            or not isinstance(data.get("s"), int)
            or data["s"] > calendar.seq
        ):
            raise ApiError.full_sync_required()
        since = data["s"]
    order_by = params.get("orderBy") or None
    if order_by not in (None, "startTime", "updated"):
        raise ApiError.bad_request(f"Invalid orderBy: {order_by!r}", "orderBy")
    if order_by == "startTime" and not single:
        raise ApiError.bad_request(
            "The requested ordering is not available for the particular query.", "orderBy"
        )
    query = Query(
        single_events=single,
        show_deleted=_flag(params, "showDeleted"),
        time_min=_time(params, "timeMin"),
        time_max=_time(params, "timeMax"),
        updated_min=_time(params, "updatedMin"),
        order_by=order_by,
        text=(params.get("q") or "").strip().lower() or None,
        ical_uid=params.get("iCalUID") or None,
        since=since,
        private_props=properties.constraints(
            _all(params, "privateExtendedProperty"), "privateExtendedProperty"
        ),
        shared_props=properties.constraints(
            _all(params, "sharedExtendedProperty"), "sharedExtendedProperty"
        ),
    )
    if query.time_min and query.time_max and query.time_max <= query.time_min:
        raise ApiError.empty_range("timeMax")
    return query


def _cancelled(event: dict[str, Any], mine: Copy) -> bool:
    return mine.removed or event.get("status") == "cancelled"


def _matches(query: Query, calendar: Calendar, event: dict[str, Any], mine: Copy) -> bool:
    """Return whether a (non-expanded) event passes the filters other than time."""
    if query.since is not None and mine.changed_at <= query.since:
        return False
    if _cancelled(event, mine) and not query.wants_cancelled():
        # Cancelled exceptions of a series are listed when series are not expanded.
        return bool(event.get("recurringEventId")) and not query.single_events
    if query.updated_min and mine.updated < query.updated_min:
        return False
    if query.ical_uid and event.get("iCalUID") != query.ical_uid:
        return False
    if (query.private_props or query.shared_props) and not properties.matches(
        event, mine.private, query.private_props, query.shared_props
    ):
        return False
    if query.text:
        words = " ".join(str(event.get(k, "")) for k in ("summary", "description", "location"))
        if query.text not in words.lower():
            return False
    return True


def _in_window(query: Query, calendar: Calendar, event: dict[str, Any]) -> bool:
    if not (query.time_min or query.time_max) or "start" not in event:
        return True
    low = query.time_min or _EPOCH
    high = query.time_max or datetime.max.replace(tzinfo=UTC)
    if event.get("recurrence"):
        upper = query.time_max or low + HORIZON
        return bool(recurrence.occurrences(event, low, upper, calendar.zone))
    start, _ = event_time(event["start"], "start", calendar.zone)
    end, _ = event_time(event["end"], "end", calendar.zone)
    return start < high and (end > low or (end == start and start >= low))


def select(store: Store, calendar: Calendar, query: Query) -> list[tuple[dict[str, Any], Copy]]:
    """Return every (event, copy) the query selects, unsorted."""
    found: list[tuple[dict[str, Any], Copy]] = []
    for event_id, mine in calendar.copies.items():
        event = store.events[event_id]
        master = event.get("recurringEventId")
        if query.single_events and master and master in calendar.copies:
            continue  # reached through its series
        if query.single_events and event.get("recurrence") and not _cancelled(event, mine):
            for inst, inst_copy in store.instances(
                calendar, event_id, *query.window(store.now(), event)
            ):
                if _matches(query, calendar, inst, inst_copy):
                    found.append((inst, inst_copy))
            continue
        if _matches(query, calendar, event, mine) and (
            _cancelled(event, mine) or _in_window(query, calendar, event)
        ):
            found.append((event, mine))
    return found


def _sort_key(query: Query, event: dict[str, Any], mine: Copy) -> list[str]:
    if query.order_by == "startTime" and "start" in event:
        return [start_of(event).astimezone(UTC).isoformat(), event["id"]]
    if query.order_by == "updated":
        return [rfc3339(mine.updated), event["id"]]
    return [event["id"]]


def list_events(
    store: Store, calendar: Calendar, params: Mapping[str, str], *, base_query: Query | None
) -> dict[str, Any]:
    """Answer events.list (or, with ``base_query``, events.instances) for one page."""
    size = _page_size(params)
    page = _decode(params["pageToken"]) if params.get("pageToken") else None
    if params.get("pageToken") and page is None:
        raise ApiError.bad_request("Invalid pageToken.", "pageToken")
    if page is not None and page.get("c") != calendar.owner:
        raise ApiError.bad_request("Invalid pageToken.", "pageToken")
    if base_query is not None:
        query = base_query
    elif page is not None:
        # Later pages of an incremental sync continue from the same change number.
        query = parse_query(calendar, _without(params, "syncToken"))
        query = dataclasses.replace(query, since=page.get("f"))
    else:
        query = parse_query(calendar, params)
    snapshot = int(page["s"]) if page is not None else calendar.seq
    chosen = [(_sort_key(query, e, c), e, c) for e, c in select(store, calendar, query)]
    chosen.sort(key=lambda row: row[0])
    if page is not None:
        chosen = [row for row in chosen if row[0] > page["k"]]
    items = [store.render(calendar, e, c, minimal=True) for _, e, c in chosen[:size]]
    body: dict[str, Any] = {
        "kind": "calendar#events",
        "etag": f'"p{calendar.seq}"',
        "summary": calendar.owner,
        "description": "",
        "updated": rfc3339(store.now()),
        "timeZone": calendar.time_zone,
        "accessRole": "owner",
        "defaultReminders": [{"method": "popup", "minutes": 10}],
        "items": items,
    }
    if len(chosen) > size:
        body["nextPageToken"] = _encode(
            {"c": calendar.owner, "k": chosen[size - 1][0], "s": snapshot, "f": query.since}
        )
    elif base_query is None:
        body["nextSyncToken"] = sync_token(calendar, snapshot, query.single_events)
    return body


def list_instances(
    store: Store, calendar: Calendar, event_id: str, params: Mapping[str, str]
) -> dict[str, Any]:
    """Answer events.instances: the occurrences of one series, exceptions applied."""
    if event_id not in calendar.copies or not store.events[event_id].get("recurrence"):
        if event_id in calendar.copies:
            raise ApiError.bad_request("The event is not a recurring event.", "eventId")
        raise ApiError.not_found()
    query = parse_query(calendar, {k: params[k] for k in ("timeMin", "timeMax") if k in params})
    query = dataclasses.replace(query, show_deleted=_flag(params, "showDeleted"))
    low, high = query.window(store.now(), store.events[event_id], INSTANCES_HORIZON)
    rows = [
        (inst, mine)
        for inst, mine in store.instances(calendar, event_id, low, high)
        if query.show_deleted or not _cancelled(inst, mine)
    ]
    size = _page_size(params)
    page = _decode(params["pageToken"]) if params.get("pageToken") else None
    keyed = [([start_of(e).astimezone(UTC).isoformat(), e["id"]], e, c) for e, c in rows]
    if page is not None:
        keyed = [row for row in keyed if row[0] > page.get("k", [])]
    body: dict[str, Any] = {
        "kind": "calendar#events",
        "summary": calendar.owner,
        "timeZone": calendar.time_zone,
        "accessRole": "owner",
        "items": [store.render(calendar, e, c) for _, e, c in keyed[:size]],
    }
    if len(keyed) > size:
        body["nextPageToken"] = _encode({"c": calendar.owner, "k": keyed[size - 1][0]})
    return body


def _zulu(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def busy(store: Store, calendar: Calendar, low: datetime, high: datetime) -> list[list[datetime]]:
    """Return the merged busy intervals of ``calendar`` within [low, high)."""
    spans: list[list[datetime]] = []
    for event_id, mine in calendar.copies.items():
        event = store.events[event_id]
        if _cancelled(event, mine) or event.get("recurringEventId") in calendar.copies:
            continue
        rows = (
            store.instances(calendar, event_id, low, high)
            if event.get("recurrence")
            else [(event, mine)]
        )
        for item, item_copy in rows:
            shown = {**item, **item_copy.personal}
            if _cancelled(item, item_copy) or shown.get("transparency") == "transparent":
                continue
            if shown.get("eventType") == "workingLocation":
                continue
            answer = next(
                (
                    a.get("responseStatus")
                    for a in item.get("attendees") or []
                    if attendee_key(a) == calendar.owner
                ),
                None,
            )
            if answer == "declined":
                continue
            start, _ = event_time(item["start"], "start", calendar.zone)
            end, _ = event_time(item["end"], "end", calendar.zone)
            if start < high and end > low:
                spans.append([max(start, low), min(end, high)])
    spans.sort()
    merged: list[list[datetime]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span[1])
        else:
            merged.append(span)
    return merged


def free_busy(
    store: Store, caller: Calendar, body: Any, can_see: Callable[[str, str], bool]
) -> dict[str, Any]:
    """Answer freeBusy.query for the calendars ``caller`` may see."""
    if not isinstance(body, dict):
        raise ApiError.bad_request("The request body must be a JSON object.")
    for name in ("timeMin", "timeMax"):
        if not body.get(name):
            raise ApiError(400, "required", f"Missing {name}.", location=name)
    low = parse_rfc3339(str(body["timeMin"]), "timeMin")
    high = parse_rfc3339(str(body["timeMax"]), "timeMax")
    if high <= low:
        raise ApiError.empty_range("timeMax")
    answer: dict[str, Any] = {}
    for item in body.get("items") or []:
        wanted = str(item.get("id", "")) if isinstance(item, dict) else ""
        owner = caller.owner if wanted == "primary" else wanted.strip().lower()
        target = store.calendars.get(owner)
        if target is None or not can_see(caller.owner, owner):
            answer[wanted] = {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
            continue
        answer[wanted] = {
            "busy": [
                {"start": _zulu(a), "end": _zulu(b)} for a, b in busy(store, target, low, high)
            ]
        }
    return {
        "kind": "calendar#freeBusy",
        "timeMin": _zulu(low),
        "timeMax": _zulu(high),
        "calendars": answer,
    }
