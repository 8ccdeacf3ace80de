"""The shipped default policy: its settings, and its rules firing as DESIGN.md says."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from pathlib import Path

import pytest

from gatekeeper.domain import Action
from gatekeeper.screening.facts import Facts
from gatekeeper.screening.messages import render
from gatekeeper.screening.placeholders import placeholders_in
from gatekeeper.screening.policy import (
    DEFAULT_RULES_DIR,
    TEMPLATE_PLACEHOLDERS,
    Policy,
    check_rules,
)

FactsMaker = Callable[..., Facts]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def policy() -> Policy:
    return Policy.default()


def test_default_policy_is_the_repository_rules_dir_and_is_cached() -> None:
    assert DEFAULT_RULES_DIR == REPO / "rules"
    assert Policy.default() is Policy.default()
    assert check_rules(DEFAULT_RULES_DIR) == []


def test_default_settings(policy: Policy) -> None:
    s = policy.settings
    assert (s.currency, s.hourly_rate, s.timezone, s.internal_domains) == ("EUR", 75.0, "UTC", ())
    assert s.working_hours.days == (0, 1, 2, 3, 4)
    assert (s.working_hours.start, s.working_hours.end) == (time(9), time(17))
    assert s.working_hours.timezone == "UTC"
    assert s.deep_work_goal == 0.5
    assert (s.alternatives_count, s.alternatives_working_days) == (3, 5)
    assert s.alternatives_step_minutes == 15


def test_default_focus_allow_and_escalation(policy: Policy) -> None:
    assert policy.focus_titles == (
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
    assert policy.focus_blocks == ()
    assert policy.allow == ()
    assert policy.escalation is not None
    assert (policy.escalation.tag, policy.escalation.limit_per_week) == ("[urgent]", 2)


def test_default_rules_in_order(policy: Policy) -> None:
    assert [(r.order, r.id, r.action) for r in policy.rules] == [
        (10, "urgent-escalation", Action.NONE),
        (20, "urgent-over-limit", Action.FLAG),
        (30, "focus-conflict", Action.DECLINE),
        (40, "no-agenda", Action.DECLINE),
        (50, "large-without-preread", Action.FLAG),
        (60, "outside-working-hours", Action.FLAG),
    ]
    assert [r.message for r in policy.rules if r.action is Action.DECLINE] == [
        "focus_conflict",
        "missing_plan",
    ]
    assert policy.rules[0].source == "rules/default.yaml:79"


@pytest.mark.parametrize(
    ("changes", "rule_id"),
    [
        ({"has_agenda": False, "has_preread": False}, "no-agenda"),
        ({"has_agenda": True, "has_preread": False}, None),
        ({"has_agenda": False, "has_preread": True}, None),
        ({"focus_conflict": True}, "focus-conflict"),
        ({"focus_conflict": True, "has_agenda": False, "has_preread": False}, "focus-conflict"),
        (
            {"escalation": "within_limit", "has_agenda": False, "has_preread": False},
            "urgent-escalation",
        ),
        ({"escalation": "within_limit", "focus_conflict": True}, "urgent-escalation"),
        (
            {"escalation": "over_limit", "has_agenda": False, "has_preread": False},
            "urgent-over-limit",
        ),
        ({"attendee_count": 9, "has_preread": False}, "large-without-preread"),
        ({"attendee_count": 8, "has_preread": False}, None),
        ({"attendee_count": 12, "has_preread": True}, None),
        ({"outside_working_hours": True}, "outside-working-hours"),
        ({"allow_listed": True, "has_agenda": False, "has_preread": False}, "no-agenda"),
        ({}, None),
    ],
    ids=[
        "no-plan-declined",
        "agenda-only-passes",
        "preread-only-passes",
        "focus-conflict-declined",
        "focus-conflict-wins-over-missing-plan",
        "urgent-passes-agenda-gate",
        "urgent-passes-focus-shield",
        "urgent-over-limit-flagged",
        "nine-people-agenda-no-preread-flagged",
        "eight-people-not-flagged",
        "large-with-preread-passes",
        "outside-hours-flagged",
        "allow-list-is-the-engines-job",
        "plain-good-invite-passes",
    ],
)
def test_default_rules_fire_as_designed(
    policy: Policy, make_facts: FactsMaker, changes: dict[str, object], rule_id: str | None
) -> None:
    rule = policy.first_match(make_facts(**changes))
    assert (rule.id if rule else None) == rule_id


def test_default_rules_describe_their_conditions(policy: Policy) -> None:
    assert {r.id: r.describe() for r in policy.rules} == {
        "urgent-escalation": "escalation within the weekly limit",
        "urgent-over-limit": "escalation over the weekly limit",
        "focus-conflict": "overlaps a focus block",
        "no-agenda": "no agenda and no pre-read",
        "large-without-preread": "at least 9 attendees and an agenda and no pre-read",
        "outside-working-hours": "outside working hours",
    }


def test_docs_placeholder_table_matches_template_placeholders() -> None:
    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    section = docs.split("### Message templates", 1)[1]
    documented = set(re.findall(r"^\| `\{([a-z_]+)\}` \|", section, flags=re.MULTILINE))
    assert documented == TEMPLATE_PLACEHOLDERS


@pytest.mark.parametrize("name", ["focus_conflict", "missing_plan"])
def test_default_templates_say_everything_in_one_reply(policy: Policy, name: str) -> None:
    text = policy.templates[name]
    used = {field for field, _ in placeholders_in(text)}
    assert used <= TEMPLATE_PLACEHOLDERS
    assert {"organizer_name", "summary", "when", "missing", "fix"} <= used
    assert {"async_alternative", "recheck"} <= used
    assert text.rstrip().endswith("— Gatekeeper, on behalf of {person_name}")
    # Sections that may not apply sit alone on their line, so the engine can drop them.
    for field in ("missing", "fix", "focus", "alternatives", "async_alternative", "recheck"):
        for line in text.splitlines():
            if "{" + field + "}" in line:
                assert line.strip() == "{" + field + "}", line


def test_focus_template_names_the_block_and_offers_times(policy: Policy) -> None:
    used = {field for field, _ in placeholders_in(policy.templates["focus_conflict"])}
    assert {"focus", "alternatives"} <= used


def test_default_templates_render_cleanly_when_sections_are_empty(policy: Policy) -> None:
    parts = {name: "" for name in TEMPLATE_PLACEHOLDERS}
    parts |= {
        "organizer_name": "Ana",
        "person_name": "Bo",
        "summary": "Sync",
        "when": "Tue 24 Nov, 14:00–14:30 (UTC)",
        "missing": "The invite doesn't have an agenda or anything to read beforehand yet.",
        "fix": "Add a short agenda or link the document to read.",
        "async_alternative": "Or settle it in a shared doc.",
        "recheck": "Update the invite and it is checked again.",
    }
    for name in ("focus_conflict", "missing_plan"):
        text = render(policy.templates[name], parts)
        assert "{" not in text and "\n\n\n" not in text
        assert text.startswith('Hi Ana,\n\nThank you for the invite to "Sync"')
        assert "Add a short agenda" in text and "shared doc" in text
        assert text.endswith("— Gatekeeper, on behalf of Bo")


def test_template_text_resolves_names_and_inline_text(policy: Policy) -> None:
    no_agenda = policy.rule("no-agenda")
    flagged = policy.rule("outside-working-hours")
    assert no_agenda is not None and flagged is not None
    assert policy.template_text(no_agenda) == policy.templates["missing_plan"]
    assert policy.template_text(flagged) is None
    assert policy.rule("no-such-rule") is None
