"""`python -m gatekeeper rules check [DIR]`: exit codes and output, in a process and in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gatekeeper.cli import main

REPO = Path(__file__).resolve().parents[2]
RULES_DATA = "tests/data/rules"


def run_check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m gatekeeper rules check ARGS`` from the repository root."""
    environ = {k: v for k, v in os.environ.items() if k != "GATEKEEPER_RULES_DIR"}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "gatekeeper", "rules", "check", *args],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_shipped_rules_are_valid_by_default() -> None:
    done = run_check()
    assert (done.returncode, done.stdout, done.stderr) == (0, "rules/: 6 rules OK\n", "")


def test_invalid_directory_exits_1_with_one_line_per_problem() -> None:
    target = f"{RULES_DATA}/bad/unknown_action"
    done = run_check(target)
    assert done.returncode == 1
    actions = "actions are none, flag, decline, tentative, accept"
    assert done.stdout.splitlines() == [
        f"{target}/rules.yaml:7: unknown action 'declne' (did you mean 'decline'?); {actions}",
        f"{target}/rules.yaml:11: unknown action 'reject'; {actions}",
        f"{target}/rules.yaml:14: 'then' must be a mapping like {{action: decline}}, got 'decline'",
        f"{target}/rules.yaml:18: 'action' must be one of none, flag, decline, tentative, "
        "accept, got nothing",
    ]
    assert done.stderr == f"{target}: 4 errors\n"


def test_directory_from_environment_variable() -> None:
    target = f"{RULES_DATA}/bad/unknown_timezone"
    done = run_check(env={"GATEKEEPER_RULES_DIR": target})
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        f"{target}/rules.yaml:2: unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)"
    )


def test_argument_wins_over_environment_variable() -> None:
    done = run_check("rules/", env={"GATEKEEPER_RULES_DIR": f"{RULES_DATA}/bad/tabs"})
    assert (done.returncode, done.stdout) == (0, "rules/: 6 rules OK\n")


def test_warnings_are_printed_and_do_not_fail() -> None:
    target = f"{RULES_DATA}/warnings/shadowed"
    done = run_check(target)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{target}/rules.yaml:10: warning: rule 'no-agenda' can never run")
    assert lines[1].startswith(f"{target}/rules.yaml:14: warning: rule 'outside-hours'")
    assert lines[2:] == [f"{target}: 3 rules OK, 2 warnings"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("no/such/rules", "no/such/rules: no rules directory at no/such/rules"),
        ("docs", "docs: no *.yaml files in docs"),
        ("rules/default.yaml", "rules/default.yaml: rules/default.yaml is not a directory"),
    ],
)
def test_unusable_directory_is_one_clear_line(target: str, expected: str) -> None:
    done = run_check(target)
    assert (done.returncode, done.stdout) == (1, expected + "\n")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("case", ["alias_bomb", "python_tag", "not_utf8", "syntax_error"])
def test_hostile_or_broken_yaml_never_shows_a_traceback(case: str) -> None:
    done = run_check(f"{RULES_DATA}/bad/{case}")
    assert done.returncode == 1
    assert done.stdout.startswith(f"{RULES_DATA}/bad/{case}/rules.yaml:")
    assert "Traceback" not in done.stderr


def test_in_process_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", str(REPO / "rules")]) == 0
    assert capsys.readouterr().out == f"{REPO / 'rules'}: 6 rules OK\n"


def test_in_process_invalid(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO / RULES_DATA / "bad")
    assert main(["rules", "check", "duplicate_order"]) == 1
    out = capsys.readouterr()
    assert out.out == (
        "duplicate_order/b.yaml:4: order 40 is already used by rule 'no-agenda' "
        "at duplicate_order/a.yaml:3\n"
    )
    assert out.err == "duplicate_order: 1 error\n"


def test_in_process_default_directory_follows_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO / RULES_DATA)
    monkeypatch.setenv("GATEKEEPER_RULES_DIR", "good/multi_file")
    assert main(["rules", "check"]) == 0
    assert capsys.readouterr().out == "good/multi_file: 3 rules OK\n"


def test_rules_without_an_action_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["rules"])
    assert caught.value.code == 2
    assert "check" in capsys.readouterr().err
