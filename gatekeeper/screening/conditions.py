"""Rule conditions (the ``when`` of a rule): parsing from YAML, evaluation, and wording."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from gatekeeper.screening.facts import Facts
from gatekeeper.screening.patterns import AddressPatterns, pattern_problem
from gatekeeper.screening.schema import Checker, show
from gatekeeper.screening.yamlload import YamlList, YamlMap

ESCALATION_STATES = ("within_limit", "over_limit", "none")


class Condition:
    """A test on the facts of one invite, able to say in words what it tests."""

    def matches(self, facts: Facts) -> bool:
        """Return True when the facts satisfy the condition."""
        raise NotImplementedError

    def describe(self) -> str:
        """Return the condition in words, e.g. 'no agenda'."""
        raise NotImplementedError


@dataclass(frozen=True)
class Flag(Condition):
    """A yes/no fact compared with the expected value."""

    read: Callable[[Facts], bool]
    expected: bool
    words: tuple[str, str]  # (when true, when false)

    def matches(self, facts: Facts) -> bool:
        return self.read(facts) == self.expected

    def describe(self) -> str:
        return self.words[0] if self.expected else self.words[1]


@dataclass(frozen=True)
class Range(Condition):
    """A number fact within inclusive bounds."""

    read: Callable[[Facts], float]
    low: float | None
    high: float | None
    unit: str

    def matches(self, facts: Facts) -> bool:
        value = self.read(facts)
        if self.low is not None and value < self.low:
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        low, high = self.low, self.high
        if low is not None and high is not None:
            span = f"exactly {low:g}" if low == high else f"{low:g} to {high:g}"
        elif low is not None:
            span = f"at least {low:g}"
        else:
            span = f"at most {high:g}"
        return f"{span} {self.unit}"


@dataclass(frozen=True)
class StartsWithin(Condition):
    """The invite starts less than ``hours`` from now."""

    hours: float

    def matches(self, facts: Facts) -> bool:
        return facts.starts_in_hours < self.hours

    def describe(self) -> str:
        return f"starts within {self.hours:g} hours"


@dataclass(frozen=True)
class Title(Condition):
    """The title starts with (or contains) one of the given texts, ignoring case."""

    texts: tuple[str, ...]  # lower case
    prefix: bool
    shown: tuple[str, ...]  # as written

    def matches(self, facts: Facts) -> bool:
        title = facts.title.strip().lower()
        if self.prefix:
            return title.startswith(self.texts)
        return any(text in title for text in self.texts)

    def describe(self) -> str:
        verb = "starts with" if self.prefix else "contains"
        return f"title {verb} " + " or ".join(f'"{text}"' for text in self.shown)


@dataclass(frozen=True)
class Organizer(Condition):
    """The organizer matches one of the address patterns."""

    patterns: AddressPatterns
    shown: tuple[str, ...]

    def matches(self, facts: Facts) -> bool:
        return self.patterns.match(facts.organizer)

    def describe(self) -> str:
        return "organizer is " + " or ".join(self.shown)


@dataclass(frozen=True)
class Escalation(Condition):
    """The escalation state of the invite is the given one."""

    state: str

    def matches(self, facts: Facts) -> bool:
        return facts.escalation == self.state

    def describe(self) -> str:
        if self.state == "none":
            return "no escalation tag"
        limit = "within" if self.state == "within_limit" else "over"
        return f"escalation {limit} the weekly limit"


@dataclass(frozen=True)
class AllOf(Condition):
    """Every part holds (an empty list always holds)."""

    parts: tuple[Condition, ...]

    def matches(self, facts: Facts) -> bool:
        # Plain loops, here and in AnyOf: rules run for every invite, and building a
        # generator for all()/any() costs more than the tests themselves (4x, measured).
        for part in self.parts:  # noqa: SIM110
            if not part.matches(facts):
                return False
        return True

    def describe(self) -> str:
        if not self.parts:
            return "every invite"
        if len(self.parts) == 1:
            return self.parts[0].describe()
        return " and ".join(_grouped(part) for part in self.parts)


@dataclass(frozen=True)
class AnyOf(Condition):
    """At least one part holds."""

    parts: tuple[Condition, ...]

    def matches(self, facts: Facts) -> bool:
        for part in self.parts:  # noqa: SIM110
            if part.matches(facts):
                return True
        return False

    def describe(self) -> str:
        if len(self.parts) == 1:
            return self.parts[0].describe()
        return " or ".join(_grouped(part) for part in self.parts)


@dataclass(frozen=True)
class Not(Condition):
    """The inner condition does not hold."""

    inner: Condition

    def matches(self, facts: Facts) -> bool:
        return not self.inner.matches(facts)

    def describe(self) -> str:
        return f"not ({self.inner.describe()})"


def _grouped(part: Condition) -> str:
    text = part.describe()
    compound = isinstance(part, AnyOf | AllOf) and len(part.parts) > 1
    return f"({text})" if compound else text


_FLAGS: dict[str, tuple[Callable[[Facts], bool], tuple[str, str]]] = {
    "agenda": (attrgetter("has_agenda"), ("an agenda", "no agenda")),
    "preread": (attrgetter("has_preread"), ("a pre-read", "no pre-read")),
    "internal": (attrgetter("organizer_internal"), ("internal organizer", "external organizer")),
    "recurring": (attrgetter("recurring"), ("part of a recurring series", "a one-off event")),
    "focus_conflict": (
        attrgetter("focus_conflict"),
        ("overlaps a focus block", "no focus-block conflict"),
    ),
    "outside_working_hours": (
        attrgetter("outside_working_hours"),
        ("outside working hours", "within working hours"),
    ),
    "allow_listed": (
        attrgetter("allow_listed"),
        ("organizer on the allow-list", "organizer not on the allow-list"),
    ),
}

_RANGES: dict[str, tuple[Callable[[Facts], float], str, bool]] = {
    "attendees": (attrgetter("attendee_count"), "attendees", True),
    "duration_minutes": (attrgetter("duration_minutes"), "minutes long", False),
}

CONDITION_NAMES = (
    "agenda",
    "preread",
    "organizer",
    "internal",
    "attendees",
    "duration_minutes",
    "starts_within_hours",
    "title_tag",
    "title_contains",
    "recurring",
    "focus_conflict",
    "outside_working_hours",
    "allow_listed",
    "escalation",
    "any",
    "all",
    "not",
)


class ConditionParser:
    """Reads a ``when`` mapping into a Condition, reporting problems to a Checker."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.uses_escalation_line: int | None = None

    def parse(self, when: YamlMap) -> AllOf:
        """Return the conjunction of the conditions in ``when``."""
        self.checker.keys(when, CONDITION_NAMES, where="'when'", noun="condition", in_where=False)
        parts: list[Condition] = []
        for name in when:
            if name in CONDITION_NAMES:
                part = self._one(when, name)
                if part is not None:
                    parts.append(part)
        return AllOf(tuple(parts))

    def _one(self, when: YamlMap, name: str) -> Condition | None:
        check, line, value = self.checker, when.value_line(name), when[name]
        if name in _FLAGS:
            expected = check.boolean(when, name)
            if expected is None:
                return None
            read, words = _FLAGS[name]
            return Flag(read, expected, words)
        if name in _RANGES:
            return self._range(when, name)
        if name == "starts_within_hours":
            hours = check.number(when, name, minimum=0)
            return None if hours is None else StartsWithin(hours)
        if name in ("title_tag", "title_contains"):
            texts = check.texts(when, name, single=True)
            if not texts and isinstance(value, YamlList) and not value:
                check.error(line, f"'{name}' needs at least one text")
            if not texts:
                return None
            shown = tuple(text for text, _ in texts)
            return Title(tuple(text.lower() for text in shown), name == "title_tag", shown)
        if name == "organizer":
            return self._organizer(when)
        if name == "escalation":
            if value not in ESCALATION_STATES:
                states = ", ".join(ESCALATION_STATES)
                check.error(line, f"'escalation' must be one of {states}, got {show(value)}")
                return None
            self.uses_escalation_line = self.uses_escalation_line or line
            return Escalation(str(value))
        if name == "not":
            inner = check.mapping(when, name)
            if inner is None:
                if value is None:
                    check.error(line, "'not' needs a mapping of conditions")
                return None
            return Not(_simplest(self.parse(inner)))
        return self._group(when, name)

    def _range(self, when: YamlMap, name: str) -> Range | None:
        read, unit, whole = _RANGES[name]
        bounds = self.checker.mapping(when, name)
        if bounds is None:
            if when[name] is None:
                self.checker.error(when.value_line(name), f"'{name}' needs 'min', 'max' or both")
            return None
        self.checker.keys(bounds, ("min", "max"), where=f"'{name}'")
        reader = self.checker.integer if whole else self.checker.number
        low, high = reader(bounds, "min", minimum=0), reader(bounds, "max", minimum=0)
        if "min" not in bounds and "max" not in bounds:
            self.checker.error(bounds.line, f"'{name}' needs 'min', 'max' or both")
            return None
        if low is not None and high is not None and low > high:
            message = f"'{name}': 'min' {low:g} is greater than 'max' {high:g}"
            self.checker.error(bounds.value_line("max"), message)
            return None
        if ("min" in bounds and low is None) or ("max" in bounds and high is None):
            return None
        return Range(read, _opt(low), _opt(high), unit)

    def _organizer(self, when: YamlMap) -> Organizer | None:
        patterns = self.checker.texts(when, "organizer", single=True)
        valid = True
        for pattern, line in patterns:
            problem = pattern_problem(pattern)
            if problem:
                self.checker.error(line, problem)
                valid = False
        if not patterns or not valid:
            if not patterns and isinstance(when["organizer"], YamlList):
                self.checker.error(when.value_line("organizer"), "'organizer' needs a pattern")
            return None
        shown = tuple(pattern for pattern, _ in patterns)
        return Organizer(AddressPatterns.of(shown), shown)

    def _group(self, when: YamlMap, name: str) -> Condition | None:
        items = self.checker.sequence(when, name)
        line = when.value_line(name)
        if items is None or not items:
            if items is not None or when[name] is None:
                self.checker.error(line, f"'{name}' needs a list of condition mappings")
            return None
        parts: list[Condition] = []
        for index, item in enumerate(items):
            if not isinstance(item, YamlMap):
                message = f"'{name}' entries must be condition mappings, got {show(item)}"
                self.checker.error(items.item_line(index), message)
                continue
            parts.append(_simplest(self.parse(item)))
        if len(parts) != len(items):
            return None
        return AnyOf(tuple(parts)) if name == "any" else AllOf(tuple(parts))


def _simplest(condition: AllOf) -> Condition:
    """Return the only part of a one-part conjunction, else the conjunction."""
    return condition.parts[0] if len(condition.parts) == 1 else condition


def _opt(value: float | None) -> float | None:
    return None if value is None else float(value)
