"""Typed readers for YAML rule files that record a located problem instead of raising."""

from __future__ import annotations

import difflib
import math
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import time
from functools import cache

from gatekeeper.domain import WEEKDAYS
from gatekeeper.errors import Problem
from gatekeeper.screening.yamlload import YamlList, YamlMap

_TIME_RE = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])\Z")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or '' when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def show(value: object) -> str:
    """Describe a YAML value for a message: 'ten', true, 3, a list, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, YamlMap | dict):
        return "a mapping"
    if isinstance(value, YamlList | list):
        return "a list"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    return str(value)


@cache
def _zone_names() -> dict[str, str]:
    """Return every available zone name by its lower-case form."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _zone_hint(name: str) -> str:
    exact = _zone_names().get(name.lower())
    if exact:
        return f" (did you mean '{exact}'?)"
    return did_you_mean(name, _zone_names().values())


def is_timezone(name: str) -> bool:
    """Return True when ``name`` is an IANA time zone that zoneinfo can load."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


class Checker:
    """Collects the problems of one file while its sections are read."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        """Record an error at ``line``."""
        self.problems.append(Problem(self.file, line, message))

    def warn(self, line: int, message: str) -> None:
        """Record a warning at ``line``."""
        self.problems.append(Problem(self.file, line, message, "warning"))

    def keys(
        self,
        data: YamlMap,
        allowed: Sequence[str],
        *,
        where: str,
        required: Sequence[str] = (),
        noun: str = "key",
        in_where: bool = True,
    ) -> None:
        """Report keys of ``data`` that are unknown, and required keys that are missing."""
        place = f" in {where}" if in_where else ""
        for key in data:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f" (expected one of: {', '.join(allowed)})"
                self.error(data.key_line(key), f"unknown {noun} '{key}'{place}{hint}")
        for key in required:
            if key not in data:
                self.error(data.owner_line, f"{where} is missing required key '{key}'")

    def mapping(self, data: YamlMap, key: str) -> YamlMap | None:
        """Return the mapping at ``key``; None when absent or not a mapping."""
        value = data.get(key)
        if value is None or isinstance(value, YamlMap):
            return value
        self.error(data.value_line(key), f"'{key}' must be a mapping, got {show(value)}")
        return None

    def sequence(self, data: YamlMap, key: str) -> YamlList | None:
        """Return the list at ``key``; None when absent or not a list."""
        value = data.get(key)
        if value is None or isinstance(value, YamlList):
            return value
        self.error(data.value_line(key), f"'{key}' must be a list, got {show(value)}")
        return None

    def text(self, data: YamlMap, key: str, *, label: str | None = None) -> str | None:
        """Return non-empty text at ``key``; None when absent or invalid."""
        if key not in data:
            return None
        value = data[key]
        name = label or f"'{key}'"
        if not isinstance(value, str):
            self.error(data.value_line(key), f"{name} must be text, got {show(value)}")
            return None
        if not value.strip():
            self.error(data.value_line(key), f"{name} must not be empty")
            return None
        return value

    def boolean(self, data: YamlMap, key: str) -> bool | None:
        """Return the boolean at ``key``; None when absent or invalid."""
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool):
            return value
        self.error(data.value_line(key), f"'{key}' must be true or false, got {show(value)}")
        return None

    def integer(
        self, data: YamlMap, key: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """Return the integer at ``key`` within bounds; None when absent or invalid."""
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(data.value_line(key), f"'{key}' must be an integer, got {show(value)}")
            return None
        if not self._in_bounds(data, key, value, minimum, maximum):
            return None
        return value

    def number(
        self,
        data: YamlMap,
        key: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        """Return the number at ``key`` within bounds; None when absent or invalid."""
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.error(data.value_line(key), f"'{key}' must be a number, got {show(value)}")
            return None
        if not self._in_bounds(data, key, value, minimum, maximum):
            return None
        return float(value)

    def _in_bounds(
        self,
        data: YamlMap,
        key: str,
        value: float,
        minimum: float | None,
        maximum: float | None,
    ) -> bool:
        low = minimum is not None and value < minimum
        high = maximum is not None and value > maximum
        if not (low or high):
            return True
        if minimum is not None and maximum is not None:
            bound = f"between {minimum:g} and {maximum:g}"
        elif minimum is not None:
            bound = f"at least {minimum:g}"
        else:
            bound = f"at most {maximum:g}"
        self.error(data.value_line(key), f"'{key}' must be {bound}, got {show(value)}")
        return False

    def texts(self, data: YamlMap, key: str, *, single: bool = False) -> list[tuple[str, int]]:
        """Return the non-empty texts of the list at ``key`` with their lines.

        With ``single``, one text may stand in for a list of one.
        """
        value = data.get(key)
        if single and isinstance(value, str):
            value_list = YamlList(data.value_line(key))
            value_list.append(value)
            value_list.spans.append(data.span(key))
            value = value_list
        if key not in data:
            return []
        if not isinstance(value, YamlList):
            kind = "text or a list of texts" if single else "a list of texts"
            self.error(data.value_line(key), f"'{key}' must be {kind}, got {show(value)}")
            return []
        out: list[tuple[str, int]] = []
        for index, item in enumerate(value):
            line = value.item_line(index)
            if not isinstance(item, str) or not item.strip():
                self.error(line, f"'{key}' entries must be non-empty text, got {show(item)}")
                continue
            out.append((item.strip(), line))
        return out

    def time_of_day(self, data: YamlMap, key: str) -> time | None:
        """Return the "HH:MM" time at ``key``; None when absent or invalid."""
        if key not in data:
            return None
        value = data[key]
        match = _TIME_RE.match(value) if isinstance(value, str) else None
        if match is None:
            message = f"'{key}' must be a time \"HH:MM\" (24 h), got {show(value)}"
            self.error(data.value_line(key), message)
            return None
        return time(int(match.group(1)), int(match.group(2)))

    def days(self, data: YamlMap, key: str) -> tuple[int, ...] | None:
        """Return weekday numbers (Monday = 0) from a list of mon..sun; None when invalid."""
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, YamlList):
            message = f"'{key}' must be a list of days (mon..sun), got {show(value)}"
            self.error(data.value_line(key), message)
            return None
        days: set[int] = set()
        valid = True
        for index, item in enumerate(value):
            name = item.strip().lower() if isinstance(item, str) else None
            if name in WEEKDAYS:
                days.add(WEEKDAYS.index(name))
                continue
            valid = False
            hint = did_you_mean(name, WEEKDAYS) if name else ""
            message = f"unknown day {show(item)}{hint}; days are {', '.join(WEEKDAYS)}"
            self.error(value.item_line(index), message)
        if valid and not days:
            self.error(data.value_line(key), f"'{key}' must name at least one day")
            return None
        return tuple(sorted(days)) if valid else None

    def timezone(self, data: YamlMap, key: str) -> str | None:
        """Return the IANA time zone at ``key``; None when absent or unknown."""
        name = self.text(data, key)
        if name is None:
            return None
        name = name.strip()
        if is_timezone(name):
            return name
        hint = _zone_hint(name)
        self.error(data.value_line(key), f"unknown time zone '{name}'{hint}")
        return None
