"""The policy a rules directory describes: settings, focus, allow-list, escalation, rules."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gatekeeper.domain import Action, FocusBlockSpec, WorkingHours
from gatekeeper.errors import Problem
from gatekeeper.screening.conditions import AllOf, Condition
from gatekeeper.screening.facts import Facts
from gatekeeper.screening.patterns import AddressPatterns
from gatekeeper.screening.placeholders import TEMPLATE_PLACEHOLDERS

__all__ = [
    "DEFAULT_FOCUS_TITLES",
    "DEFAULT_RULES_DIR",
    "TEMPLATE_PLACEHOLDERS",
    "EscalationSettings",
    "Policy",
    "Rule",
    "Settings",
    "check_rules",
    "domain_is_internal",
    "is_template_name",
    "load_policy",
]

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"

# Used when no rules file sets focus.titles; a file that sets them replaces this list.
DEFAULT_FOCUS_TITLES = (
    "Focus",
    "Focus time",
    "Deep work",
    "Deep-work",
    "Heads down",
    "Heads-down",
    "No meetings",
    "Maker time",
    "Do not book",
    "DND",
)

_TEMPLATE_NAME_RE = re.compile(r"[A-Za-z0-9_-]+\Z")


def is_template_name(message: str) -> bool:
    """Return True when a rule's ``message`` names a template rather than being the text."""
    return bool(_TEMPLATE_NAME_RE.match(message.strip()))


@dataclass(frozen=True)
class EscalationSettings:
    """The escalation path: a title tag, usable a limited number of times a week."""

    tag: str
    limit_per_week: int


@dataclass(frozen=True)
class Settings:
    """Money, time and slot-finding settings of a policy."""

    currency: str = "EUR"
    hourly_rate: float = 75.0
    timezone: str = "UTC"
    internal_domains: tuple[str, ...] = ()
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    deep_work_goal: float = 0.5
    alternatives_count: int = 3
    alternatives_working_days: int = 5
    alternatives_step_minutes: int = 15

    def with_timezone(self, timezone: str) -> Settings:
        """Return these settings for a person in ``timezone`` (working hours follow)."""
        hours = dataclasses.replace(self.working_hours, timezone=timezone)
        return dataclasses.replace(self, timezone=timezone, working_hours=hours)


@dataclass(frozen=True)
class Rule:
    """One rule: when its conditions hold, its action decides the invite."""

    id: str
    order: int
    action: Action
    when: Condition = field(default_factory=lambda: AllOf(()))
    description: str = ""
    message: str | None = None  # a template name, or the text itself
    reason: str | None = None
    source: str = ""  # "file:line"
    enabled: bool = True

    def matches(self, facts: Facts) -> bool:
        """Return True when every condition of the rule holds for ``facts``."""
        return self.when.matches(facts)

    def describe(self) -> str:
        """Return the rule's conditions in words, e.g. 'no agenda and no pre-read'."""
        return self.when.describe()

    @property
    def always_matches(self) -> bool:
        """Return True when the rule has no conditions at all."""
        return isinstance(self.when, AllOf) and not self.when.parts

    @property
    def message_is_template(self) -> bool:
        """Return True when ``message`` names a template."""
        return self.message is not None and is_template_name(self.message)


@dataclass(frozen=True)
class Policy:
    """Everything a rules directory says, merged and validated."""

    settings: Settings = field(default_factory=Settings)
    rules: tuple[Rule, ...] = ()  # enabled rules, by ascending order
    focus_titles: tuple[str, ...] = DEFAULT_FOCUS_TITLES
    focus_blocks: tuple[FocusBlockSpec, ...] = ()
    allow: tuple[str, ...] = ()
    escalation: EscalationSettings | None = None
    templates: dict[str, str] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    # Per focus block: True when it has no zone of its own and follows the person's zone.
    focus_blocks_follow_person: tuple[bool, ...] = ()
    _allow_patterns: AddressPatterns = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_allow_patterns", AddressPatterns.of(self.allow))

    def is_allow_listed(self, email: str) -> bool:
        """Return True when ``email`` matches an allow-list entry."""
        return self._allow_patterns.match(email)

    def is_internal(self, organizer_email: str, person_email: str) -> bool:
        """Return True when the organizer's domain is internal.

        Internal domains are ``settings.internal_domains`` (subdomains included), or the
        person's own domain when that list is empty.
        """
        return domain_is_internal(organizer_email, self.internal_domains(person_email))

    def internal_domains(self, person_email: str) -> tuple[str, ...]:
        """Return the domains internal for this person: the settings', else their own."""
        if self.settings.internal_domains:
            return self.settings.internal_domains
        own = person_email.strip().lower().rpartition("@")[2]
        return (own,) if own else ()

    def first_match(self, facts: Facts) -> Rule | None:
        """Return the first enabled rule, by order, whose conditions hold."""
        for rule in self.rules:
            if rule.when.matches(facts):
                return rule
        return None

    def rule(self, rule_id: str) -> Rule | None:
        """Return the enabled rule with id ``rule_id``, if any."""
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def template_text(self, rule: Rule) -> str | None:
        """Return the text of the rule's message: its template's text, or the inline text."""
        if rule.message is None:
            return None
        if rule.message_is_template:
            return self.templates.get(rule.message.strip())
        return rule.message

    def with_timezone(self, timezone: str) -> Policy:
        """Return the policy for a person in ``timezone``.

        Working hours and the focus blocks without a zone of their own move to it.
        """
        follows = self.focus_blocks_follow_person
        blocks = tuple(
            dataclasses.replace(block, timezone=timezone)
            if index < len(follows) and follows[index]
            else block
            for index, block in enumerate(self.focus_blocks)
        )
        return dataclasses.replace(
            self, settings=self.settings.with_timezone(timezone), focus_blocks=blocks
        )

    @classmethod
    def default(cls) -> Policy:
        """Return the shipped policy (the repository's rules/ directory), loaded once."""
        return _default_policy()


def domain_is_internal(email: str, internal: tuple[str, ...]) -> bool:
    """Return True when the domain of ``email`` is one of ``internal`` or a subdomain of one."""
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return False
    for wanted in internal:  # noqa: SIM110 - a loop: this runs for every invite screened
        if domain == wanted or domain.endswith("." + wanted):
            return True
    return False


@cache
def _default_policy() -> Policy:
    from gatekeeper.screening.rulesdir import load_policy as load

    # Shown relative to the repository root, like every path the command line prints.
    return load(DEFAULT_RULES_DIR, display="rules")


def load_policy(directory: str | Path) -> Policy:
    """Load and validate every rules file in ``directory``; raise RulesError when invalid."""
    # Imported here because the loader builds the classes defined in this module.
    from gatekeeper.screening.rulesdir import load_policy as load

    return load(directory)


def check_rules(directory: str | Path) -> list[Problem]:
    """Return every problem (errors and warnings) in the rules files of ``directory``."""
    from gatekeeper.screening.rulesdir import check_rules as check

    return check(directory)
