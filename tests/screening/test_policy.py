"""Policies from several files: merging, conditions, allow-list, internal domains, warnings."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import time
from pathlib import Path

import pytest

from gatekeeper.domain import Action, FocusBlockSpec
from gatekeeper.errors import RulesError
from gatekeeper.screening.facts import Facts
from gatekeeper.screening.policy import Policy, Settings, check_rules, load_policy
from gatekeeper.screening.rulesdir import analyze_texts

FactsMaker = Callable[..., Facts]


@pytest.fixture
def team(rules_data: Path) -> Policy:
    """The merged good/multi_file policy (settings, focus and allow in one file, rules in two)."""
    return load_policy("good/multi_file")


def policy_from(text: str) -> Policy:
    """Return the policy of one YAML text, failing the test on any error."""
    policy, problems = analyze_texts([("inline.yaml", text)])
    assert policy is not None, [str(p) for p in problems]
    return policy


def test_files_are_merged_in_name_order(team: Policy) -> None:
    s = team.settings
    assert (s.currency, s.hourly_rate, s.timezone) == ("USD", 120.0, "Europe/Berlin")
    assert s.internal_domains == ("example.com", "corp.example.org")
    assert s.working_hours.days == (0, 1, 2, 3)
    assert (s.working_hours.start, s.working_hours.end) == (time(8, 30), time(16, 30))
    assert s.working_hours.timezone == "Europe/Berlin"
    assert s.deep_work_goal == 0.25
    assert (s.alternatives_count, s.alternatives_working_days, s.alternatives_step_minutes) == (
        2,
        3,
        30,
    )
    assert team.focus_titles == ("Focus", "Lernzeit")
    assert team.allow == ("ceo@example.com", "@board.example.com", "*@partners.example.net")
    assert team.escalation is not None and team.escalation.tag == "[ASAP]"
    assert list(team.templates) == ["polite"]
    assert team.warnings == ()


def test_only_enabled_rules_sorted_by_order_from_yaml_and_yml(team: Policy) -> None:
    assert [(r.id, r.order, r.source) for r in team.rules] == [
        ("vip", 5, "good/multi_file/20-rules.yaml:13"),
        ("short-external-without-plan", 40, "good/multi_file/20-rules.yaml:28"),
        ("late-and-soon", 90, "good/multi_file/30-late.yml:2"),
    ]


def test_focus_blocks_take_the_settings_zone_unless_they_name_one(team: Policy) -> None:
    assert team.focus_blocks == (
        FocusBlockSpec("Morning deep work", (0, 2), time(9), time(11), "Europe/Berlin"),
        FocusBlockSpec("Focus 14:00–16:00", (4,), time(14), time(16), "America/New_York"),
    )


def test_with_timezone_moves_hours_and_zone_less_blocks_only(team: Policy) -> None:
    moved = team.with_timezone("Asia/Tokyo")
    assert moved.settings.timezone == "Asia/Tokyo"
    assert moved.settings.working_hours.timezone == "Asia/Tokyo"
    assert [b.timezone for b in moved.focus_blocks] == ["Asia/Tokyo", "America/New_York"]
    assert moved.rules == team.rules
    assert moved.is_allow_listed("ceo@example.com")


def test_nested_conditions_evaluate_and_read_well(team: Policy, make_facts: FactsMaker) -> None:
    rule = team.rule("short-external-without-plan")
    assert rule is not None
    assert rule.describe() == (
        "external organizer and at most 30 minutes long and (no agenda or (no pre-read and "
        'title contains "sync" or "catch up")) and not (title starts with "[ASAP]")'
    )
    external = {"organizer_internal": False, "duration_minutes": 25.0}
    assert rule.matches(make_facts(**external, has_agenda=False))
    assert rule.matches(make_facts(**external, has_preread=False, title="Weekly Sync"))
    assert not rule.matches(make_facts(**external, has_preread=False, title="Design review"))
    assert not rule.matches(make_facts(**external, has_agenda=False, title="[asap] Outage"))
    assert not rule.matches(make_facts(organizer_internal=True, has_agenda=False))
    assert not rule.matches(make_facts(**(external | {"duration_minutes": 31.0}), has_agenda=False))


def test_first_match_uses_order_across_files(team: Policy, make_facts: FactsMaker) -> None:
    vip = make_facts(organizer="chair@board.example.com", organizer_internal=False)
    rule = team.first_match(vip)
    assert rule is not None and rule.id == "vip" and rule.action is Action.ACCEPT
    late = make_facts(outside_working_hours=True, starts_in_hours=3.0, attendee_count=4)
    rule = team.first_match(late)
    assert rule is not None and rule.id == "late-and-soon"
    assert team.first_match(make_facts()) is None


@pytest.mark.parametrize(
    ("email", "listed"),
    [
        ("ceo@example.com", True),
        ("CEO@Example.COM", True),
        ("cfo@example.com", False),
        ("chair@board.example.com", True),
        ("chair@eu.board.example.com", True),
        ("chair@notboard.example.com", False),
        ("anyone@partners.example.net", True),
        ("anyone@partners.example.net.evil.com", False),
        ("", False),
    ],
)
def test_allow_list_patterns(team: Policy, email: str, listed: bool) -> None:
    assert team.is_allow_listed(email) is listed


@pytest.mark.parametrize(
    ("organizer", "person", "internal"),
    [
        ("ana@example.com", "bo@elsewhere.org", True),
        ("ana@dev.example.com", "bo@elsewhere.org", True),
        ("ana@corp.example.org", "bo@elsewhere.org", True),
        ("ana@example.org", "bo@example.com", False),
        ("ana@badexample.com", "bo@example.com", False),
        ("", "bo@example.com", False),
    ],
)
def test_internal_domains_from_settings(
    team: Policy, organizer: str, person: str, internal: bool
) -> None:
    assert team.is_internal(organizer, person) is internal


def test_without_internal_domains_the_persons_domain_is_internal() -> None:
    policy = Policy(settings=Settings())
    assert policy.is_internal("ana@acme.io", "bo@acme.io")
    assert policy.is_internal("ana@eu.acme.io", "Bo@ACME.io")
    assert not policy.is_internal("ana@other.io", "bo@acme.io")
    assert not policy.is_internal("ana@acme.io", "")


@pytest.mark.parametrize(
    ("when", "changes", "expected", "words"),
    [
        ("{agenda: true}", {}, True, "an agenda"),
        ("{preread: false}", {"has_preread": False}, True, "no pre-read"),
        ("{organizer: ana@example.com}", {}, True, "organizer is ana@example.com"),
        ("{organizer: '@example.com'}", {"organizer": "x@eu.example.com"}, True, None),
        ("{organizer: '*@example.*'}", {"organizer": "x@example.de"}, True, None),
        ("{organizer: [a@b.com]}", {}, False, None),
        ("{internal: true}", {"organizer_internal": False}, False, "internal organizer"),
        ("{attendees: {min: 3, max: 3}}", {}, True, "exactly 3 attendees"),
        ("{attendees: {max: 2}}", {}, False, "at most 2 attendees"),
        ("{duration_minutes: {min: 45}}", {}, False, "at least 45 minutes long"),
        ("{duration_minutes: {min: 15, max: 30}}", {}, True, "15 to 30 minutes long"),
        ("{starts_within_hours: 48}", {}, False, "starts within 48 hours"),
        ("{starts_within_hours: 1.5}", {"starts_in_hours": 1.0}, True, "starts within 1.5 hours"),
        ("{title_tag: '[FYI]'}", {"title": "  [fyi] notes"}, True, 'title starts with "[FYI]"'),
        ("{title_tag: [a, b]}", {"title": "c a b"}, False, 'title starts with "a" or "b"'),
        ("{title_contains: review}", {}, True, 'title contains "review"'),
        ("{recurring: true}", {"recurring": True}, True, "part of a recurring series"),
        ("{focus_conflict: false}", {}, True, "no focus-block conflict"),
        ("{outside_working_hours: false}", {}, True, "within working hours"),
        ("{allow_listed: true}", {"allow_listed": True}, True, "organizer on the allow-list"),
        ("{escalation: none}", {}, True, "no escalation tag"),
        ("{any: [{agenda: false}, {preread: true}]}", {}, True, "no agenda or a pre-read"),
        ("{all: [{agenda: true}, {preread: false}]}", {}, False, "an agenda and no pre-read"),
        ("{not: {agenda: true}}", {}, False, "not (an agenda)"),
        ("{}", {}, True, "every invite"),
    ],
)
def test_each_condition(
    make_facts: FactsMaker, when: str, changes: dict[str, object], expected: bool, words: str | None
) -> None:
    policy = policy_from(
        f"rules:\n  - id: r\n    order: 1\n    when: {when}\n    then: {{action: flag}}\n"
    )
    rule = policy.rules[0]
    assert rule.matches(make_facts(**changes)) is expected
    if words is not None:
        assert rule.describe() == words


def test_when_missing_or_null_matches_everything(make_facts: FactsMaker) -> None:
    policy = policy_from(
        "rules:\n  - {id: a, order: 2, then: {action: flag}}\n"
        "  - {id: b, order: 1, when: , then: {action: none}}\n"
    )
    assert [r.always_matches for r in policy.rules] == [True, True]
    assert [str(w) for w in policy.warnings] == [
        "inline.yaml:2: rule 'a' can never run: rule 'b' (order 1, inline.yaml:3) has no "
        "conditions and matches every invite first"
    ]


def test_inline_message_with_placeholders_is_the_text(make_facts: FactsMaker) -> None:
    policy = policy_from(
        "rules:\n  - id: r\n    order: 1\n    then:\n      action: decline\n"
        "      message: 'Sorry {organizer_name}, {{not a placeholder}}.'\n"
    )
    rule = policy.rules[0]
    assert not rule.message_is_template
    assert policy.template_text(rule) == "Sorry {organizer_name}, {{not a placeholder}}."


WARNING_CASES = {
    "shadowed": [
        "shadowed/rules.yaml:10: rule 'no-agenda' can never run: rule 'flag-everything' "
        "(order 10, shadowed/rules.yaml:6) has no conditions and matches every invite first",
        "shadowed/rules.yaml:14: rule 'outside-hours' can never run: rule 'flag-everything' "
        "(order 10, shadowed/rules.yaml:6) has no conditions and matches every invite first",
    ],
    "empty_file": [
        "empty_file/a.yaml:1: file is empty",
        "empty_file/b.yaml:2: rule 'no-agenda' declines without a message; the organizer gets "
        "no reply",
        "empty_file/b.yaml:8: rule 'urgent' tests 'escalation' but no file has an 'escalation' "
        "section, so every invite counts as 'none'",
    ],
}


@pytest.mark.parametrize("case", sorted(WARNING_CASES))
def test_warnings_are_reported_but_the_policy_loads(
    rules_data: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    monkeypatch.chdir(rules_data / "warnings")
    problems = check_rules(case)
    assert {p.severity for p in problems} == {"warning"}
    assert [str(p) for p in problems] == WARNING_CASES[case]
    policy = load_policy(case)
    assert [str(p) for p in policy.warnings] == WARNING_CASES[case]


def test_every_warning_fixture_has_a_case(rules_data: Path) -> None:
    on_disk = {p.name for p in (rules_data / "warnings").iterdir() if p.is_dir()}
    assert on_disk == set(WARNING_CASES)


def test_hidden_and_non_yaml_files_are_ignored(rules_data: Path) -> None:
    names = {p.name for p in (rules_data / "good" / "multi_file").iterdir()}
    assert {".editor-backup.yaml", "README.txt"} <= names
    assert check_rules("good/multi_file") == []


def test_rules_kept_as_text_are_checked_like_files() -> None:
    policy, problems = analyze_texts(
        [("db:team", "settings: {currency: EUR}\n"), ("db:ana", "settings:\n  currency: GBP\n")]
    )
    assert policy is None
    assert [str(p) for p in problems] == [
        "db:ana:2: setting 'currency' is already set in db:team:1"
    ]


def test_rules_error_carries_only_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "rules:\n"
        "  - {id: a, order: 1, then: {action: decline}}\n"
        "  - {id: b, order: x, then: {action: flag}}\n"
    )
    with pytest.raises(RulesError) as caught:
        load_policy(tmp_path)
    assert [p.message for p in caught.value.problems] == ["'order' must be an integer, got 'x'"]


def test_fifo_named_like_a_rules_file_is_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("rules:\n  - {id: a, order: 1, then: {action: flag}}\n")
    os.mkfifo(tmp_path / "b.yaml")  # opening it for reading would block forever
    policy = load_policy(tmp_path)
    assert [rule.id for rule in policy.rules] == ["a"]
