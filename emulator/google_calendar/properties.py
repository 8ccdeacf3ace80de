"""extendedProperties: shared ones belong to the event, private ones to each calendar's copy.

Google keeps ``extendedProperties.private`` per copy of an event: every participant may set
their own on their copy, and each sees only their own. ``shared`` properties are part of the
event itself: everyone sees them and only the organizer may change them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from emulator.google_calendar.errors import ApiError

KEY = "extendedProperties"
_PARTS = ("private", "shared")
MISSING: Any = object()  # the body does not mention private properties


def check(value: Any) -> None:
    """Refuse an extendedProperties value that is not {private?, shared?: {name: text}}."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise ApiError.bad_request(f"{KEY} must be an object.", KEY)
    for part, props in value.items():
        where = f"{KEY}.{part}"
        if part not in _PARTS:
            raise ApiError.bad_request(f"Unknown field {where}.", where)
        if props is None:
            continue
        if not isinstance(props, dict):
            raise ApiError.bad_request(f"{where} must be an object.", where)
        for name, text in props.items():
            if text is not None and not isinstance(text, str):
                raise ApiError.bad_request(f"{where}.{name} must be a string.", f"{where}.{name}")


def split(body: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    """Return (body without private properties, the private part or MISSING).

    The private part is None when the body clears extendedProperties as a whole.
    """
    rest = dict(body)
    if KEY not in rest:
        return rest, MISSING
    value = rest[KEY]
    check(value)
    if value is None:
        return rest, None
    shared = {part: props for part, props in value.items() if part != "private"}
    if shared:
        rest[KEY] = shared
    else:
        del rest[KEY]
    return rest, value.get("private", MISSING)


def take_private(event: dict[str, Any]) -> dict[str, str]:
    """Remove the private properties from a new event; return them (its creator's)."""
    value = event.get(KEY)
    if not isinstance(value, dict):
        return {}
    private = value.pop("private", None) or {}
    if not any(value.values()):
        del event[KEY]
    return {name: text for name, text in private.items() if text is not None}


def apply_private(current: dict[str, str], private: Any, *, replace: bool) -> dict[str, str]:
    """Return a copy's private properties after a patch (or, with ``replace``, an update)."""
    if private is MISSING:
        return {} if replace else dict(current)
    if private is None:
        return {}
    merged = {} if replace else dict(current)
    for name, text in private.items():
        if text is None:
            merged.pop(name, None)
        else:
            merged[name] = text
    return merged


def show(event: dict[str, Any], private: Mapping[str, str]) -> None:
    """Put the viewer's private properties beside the event's shared ones (in place)."""
    shared = (event.get(KEY) or {}).get("shared")
    shown: dict[str, Any] = {}
    if private:
        shown["private"] = dict(private)
    if shared:
        shown["shared"] = copy.deepcopy(shared)
    if shown:
        event[KEY] = shown
    else:
        event.pop(KEY, None)


def constraints(values: Sequence[str], name: str) -> tuple[tuple[str, str], ...]:
    """Parse ``privateExtendedProperty`` / ``sharedExtendedProperty`` values (name=value)."""
    out = []
    for raw in values:
        prop, sep, text = raw.partition("=")
        if not sep or not prop:
            raise ApiError.bad_request(
                f"Invalid {name} {raw!r}: expected propertyName=value.", name
            )
        out.append((prop, text))
    return tuple(out)


def matches(
    event: Mapping[str, Any],
    private: Mapping[str, str],
    wanted_private: Sequence[tuple[str, str]],
    wanted_shared: Sequence[tuple[str, str]],
) -> bool:
    """Return whether a copy carries every wanted private and shared property."""
    shared = (event.get(KEY) or {}).get("shared") or {}
    return all(private.get(k) == v for k, v in wanted_private) and all(
        shared.get(k) == v for k, v in wanted_shared
    )
