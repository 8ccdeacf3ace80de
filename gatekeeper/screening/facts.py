"""The facts about one invite that rule conditions are evaluated against."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Facts:
    """Everything a rule condition may look at, computed once per invite (or instance).

    Built for every invite screened and only read afterwards; not frozen, because a frozen
    dataclass sets each field through object.__setattr__, which costs more than the rule
    tests themselves.
    """

    has_agenda: bool
    has_preread: bool
    organizer: str  # lower-case address, "" when unknown
    organizer_internal: bool
    attendee_count: int  # people invited, organizer included, rooms excluded
    duration_minutes: float
    starts_in_hours: float  # negative when it already started
    title: str
    recurring: bool
    focus_conflict: bool
    outside_working_hours: bool
    allow_listed: bool
    escalation: str  # "none" | "within_limit" | "over_limit"
