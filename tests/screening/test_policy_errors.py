"""Every kind of rules error: one fixture directory each, and the exact FILE:LINE: message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gatekeeper.errors import RulesError
from gatekeeper.screening.policy import check_rules, load_policy

ERROR_CASES: dict[str, list[str]] = {
    "syntax_error": [
        "syntax_error/rules.yaml:5: YAML syntax error: expected ',' or '}', but got ':' "
        "(while parsing a flow mapping that starts at line 4)",
    ],
    "tabs": [
        "tabs/rules.yaml:2: YAML syntax error: found character '\\t' that cannot start any "
        "token (while scanning for the next token); indent with spaces, not tabs",
    ],
    "multiple_documents": [
        "multiple_documents/rules.yaml:3: YAML syntax error: expected a single document in "
        "the stream but found another document",
    ],
    "duplicate_key": [
        "duplicate_key/rules.yaml:6: duplicate key 'agenda' (first at line 5)",
    ],
    "unknown_keys": [
        "unknown_keys/rules.yaml:1: unknown section 'setings' (did you mean 'settings'?)",
        "unknown_keys/rules.yaml:4: unknown key 'titels' in focus (did you mean 'titles'?)",
        "unknown_keys/rules.yaml:9: unknown condition 'agendda' (did you mean 'agenda'?)",
        "unknown_keys/rules.yaml:10: unknown condition 'weather' (expected one of: agenda, "
        "preread, organizer, internal, attendees, duration_minutes, starts_within_hours, "
        "title_tag, title_contains, recurring, focus_conflict, outside_working_hours, "
        "allow_listed, escalation, any, all, not)",
        "unknown_keys/rules.yaml:13: unknown key 'mesage' in 'then' of rule 'no-agenda' "
        "(did you mean 'message'?)",
    ],
    "wrong_types": [
        "wrong_types/rules.yaml:2: 'hourly_rate' must be a number, got 'lots'",
        "wrong_types/rules.yaml:3: 'deep_work_goal' must be between 0 and 1, got 1.5",
        "wrong_types/rules.yaml:4: 'internal_domains' must be a list of texts, got 'example.com'",
        "wrong_types/rules.yaml:7: 'order' must be an integer, got 'ten'",
        "wrong_types/rules.yaml:8: 'enabled' must be true or false, got 'no'",
        "wrong_types/rules.yaml:10: 'agenda' must be true or false, got 'false'",
        "wrong_types/rules.yaml:11: 'attendees' must be a mapping, got 9",
    ],
    "unknown_action": [
        "unknown_action/rules.yaml:7: unknown action 'declne' (did you mean 'decline'?); "
        "actions are none, flag, decline, tentative, accept",
        "unknown_action/rules.yaml:11: unknown action 'reject'; "
        "actions are none, flag, decline, tentative, accept",
        "unknown_action/rules.yaml:14: 'then' must be a mapping like {action: decline}, "
        "got 'decline'",
        "unknown_action/rules.yaml:18: 'action' must be one of none, flag, decline, tentative, "
        "accept, got nothing",
    ],
    "bad_times": [
        "bad_times/rules.yaml:2: 'start' must be a time \"HH:MM\" (24 h), got '25:00'",
        "bad_times/rules.yaml:2: 'end' must be a time \"HH:MM\" (24 h), got '17:60'",
        "bad_times/rules.yaml:7: 'start' must be a time \"HH:MM\" (24 h), got '9am'",
    ],
    "end_before_start": [
        "end_before_start/rules.yaml:4: 'end' 09:00 must be after 'start' 17:00",
        "end_before_start/rules.yaml:10: 'end' 15:00 must be after 'start' 15:00",
    ],
    "unknown_timezone": [
        "unknown_timezone/rules.yaml:2: unknown time zone 'Europe/Berln' "
        "(did you mean 'Europe/Berlin'?)",
        "unknown_timezone/rules.yaml:9: unknown time zone 'Mars/Olympus_Mons'",
        "unknown_timezone/rules.yaml:14: unknown time zone 'america/new_york' "
        "(did you mean 'America/New_York'?)",
    ],
    "bad_days": [
        "bad_days/rules.yaml:2: unknown day 'monday' (did you mean 'mon'?); "
        "days are mon, tue, wed, thu, fri, sat, sun",
        "bad_days/rules.yaml:2: unknown day 'funday'; days are mon, tue, wed, thu, fri, sat, sun",
        "bad_days/rules.yaml:5: 'days' must name at least one day",
        "bad_days/rules.yaml:8: 'days' must be a list of days (mon..sun), got 'mon'",
    ],
    "missing_required": [
        "missing_required/rules.yaml:1: escalation is missing required key 'limit_per_week'",
        "missing_required/rules.yaml:5: the focus block is missing required key 'start'",
        "missing_required/rules.yaml:5: the focus block is missing required key 'end'",
        "missing_required/rules.yaml:8: the rule at line 8 is missing required key 'id'",
        "missing_required/rules.yaml:11: rule 'no-then' is missing required key 'then'",
        "missing_required/rules.yaml:15: 'then' of rule 'no-action' is missing required "
        "key 'action'",
    ],
    "duplicate_id": [
        "duplicate_id/b.yaml:2: duplicate rule id 'no-agenda' (also at duplicate_id/a.yaml:2)",
    ],
    "duplicate_order": [
        "duplicate_order/b.yaml:4: order 40 is already used by rule 'no-agenda' "
        "at duplicate_order/a.yaml:3",
    ],
    "settings_twice": [
        "settings_twice/b.yaml:2: setting 'currency' is already set in settings_twice/a.yaml:2",
        "settings_twice/c.yaml:1: 'escalation' is already set in settings_twice/b.yaml:4",
        "settings_twice/c.yaml:5: template 'missing_plan' is already defined in "
        "settings_twice/b.yaml:8",
    ],
    "unknown_template": [
        "unknown_template/rules.yaml:10: rule 'no-agenda': unknown template 'missing_plans' "
        "(did you mean 'missing_plan'?)",
        "unknown_template/rules.yaml:16: rule 'focus': unknown template 'focus_conflict' "
        "(defined: missing_plan)",
    ],
    "unknown_placeholder": [
        "unknown_placeholder/rules.yaml:3: template 'decline': unknown placeholder {organizer} "
        "(did you mean 'organizer_name'?)",
        "unknown_placeholder/rules.yaml:8: template 'broken': single '}' "
        "(write {{ and }} for literal braces)",
        "unknown_placeholder/rules.yaml:15: message of rule 'no-agenda': unknown placeholder "
        "{sumary} (did you mean 'summary'?)",
    ],
    "alias_bomb": [
        "alias_bomb/rules.yaml:2: aliases are not allowed (*a); write the value out in full",
    ],
    "python_tag": [
        "python_tag/rules.yaml:6: tag '!!python/object/apply:os.system' is not allowed; "
        "use plain YAML",
    ],
    "not_utf8": [
        "not_utf8/rules.yaml:3: not UTF-8 (byte 0xe9 at offset 31)",
    ],
    "top_level_list": [
        "top_level_list/rules.yaml:1: the top level must be a mapping of sections (settings, "
        "focus, allow, escalation, templates, rules), got a list",
    ],
    "bad_patterns": [
        "bad_patterns/rules.yaml:3: 'ceo' is not an address, an @domain or a glob like "
        "*@example.com",
        "bad_patterns/rules.yaml:4: '@' is not a valid @domain, like @example.com",
        "bad_patterns/rules.yaml:5: 'ceo@exa mple.com' is not an address, an @domain or a glob "
        "like *@example.com",
        "bad_patterns/rules.yaml:10: 'boss?@example.com' is not a valid glob; use * in an "
        "address, like *@example.com",
    ],
    "bad_conditions": [
        "bad_conditions/rules.yaml:5: 'attendees': 'min' 10 is greater than 'max' 3",
        "bad_conditions/rules.yaml:6: 'duration_minutes' needs 'min', 'max' or both",
        "bad_conditions/rules.yaml:7: 'starts_within_hours' must be at least 0, got -1",
        "bad_conditions/rules.yaml:8: 'escalation' must be one of within_limit, over_limit, "
        "none, got 'maybe'",
        "bad_conditions/rules.yaml:9: 'any' needs a list of condition mappings",
        "bad_conditions/rules.yaml:10: 'not' must be a mapping, got 'yes'",
    ],
    "bad_rule_id": [
        "bad_rule_id/rules.yaml:2: rule id 'no agenda!' may use only letters, digits, '-' and '_'",
    ],
}


def errors_of(directory: str | Path) -> list[str]:
    """Return the error lines (warnings left out) for a rules directory."""
    return [str(p) for p in check_rules(directory) if p.severity == "error"]


@pytest.fixture
def bad_dir(rules_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from tests/data/rules/bad, where each directory is one error case."""
    monkeypatch.chdir(rules_data / "bad")
    return rules_data / "bad"


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_error_case_reports_exact_file_line_message(bad_dir: Path, case: str) -> None:
    assert errors_of(case) == ERROR_CASES[case]


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_load_policy_raises_rules_error_with_every_error(bad_dir: Path, case: str) -> None:
    with pytest.raises(RulesError) as caught:
        load_policy(case)
    assert [str(p) for p in caught.value.problems] == ERROR_CASES[case]
    assert str(caught.value).splitlines() == ERROR_CASES[case]


def test_every_bad_fixture_directory_has_a_case(rules_data: Path) -> None:
    on_disk = {path.name for path in (rules_data / "bad").iterdir() if path.is_dir()}
    assert on_disk == set(ERROR_CASES)


def test_alias_bomb_is_refused_without_expanding(rules_data: Path) -> None:
    # Nine levels of nine aliases would expand to 9**9 strings; refusal must be immediate.
    started = time.perf_counter()
    check_rules("bad/alias_bomb")
    assert time.perf_counter() - started < 0.5


def test_paths_are_shown_as_typed(rules_data: Path) -> None:
    assert errors_of("./bad/duplicate_key") == [
        "./bad/duplicate_key/rules.yaml:6: duplicate key 'agenda' (first at line 5)"
    ]


def test_missing_directory(rules_data: Path) -> None:
    assert errors_of("no/such/dir") == ["no/such/dir: no rules directory at no/such/dir"]


def test_directory_without_yaml_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("rules: []\n")
    assert errors_of(tmp_path) == [f"{tmp_path}: no *.yaml files in {tmp_path}"]


def test_a_file_instead_of_a_directory(rules_data: Path) -> None:
    target = "bad/duplicate_key/rules.yaml"
    assert errors_of(target) == [f"{target}: {target} is not a directory"]


def test_huge_file_refused_before_parsing(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    # Valid YAML, just too much of it: a size check, not a parse failure.
    huge.write_text("rules:\n" + "  # padding line of a generated file\n" * 40_000)
    assert huge.stat().st_size > 1024 * 1024
    assert errors_of(tmp_path) == [f"{huge}:1: file is larger than 1 MiB; refused"]


def test_problems_in_several_files_are_all_reported_in_file_order(rules_data: Path) -> None:
    lines = errors_of("bad/settings_twice")
    assert [line.split(":")[0] for line in lines] == [
        "bad/settings_twice/b.yaml",
        "bad/settings_twice/c.yaml",
        "bad/settings_twice/c.yaml",
    ]
