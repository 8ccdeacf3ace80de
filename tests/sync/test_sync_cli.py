"""``python -m gatekeeper sync``: one account or all, text or JSON, clear errors."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from gatekeeper.cli import main
from tests.sync.support import Person, answers, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


@pytest.fixture
def cli(
    sync_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Return ``run(*args) -> (exit code, stdout, stderr)`` with the emulator's environment."""

    def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        for name, value in {**sync_env, **(env or {})}.items():
            monkeypatch.setenv(name, value)
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_sync_one_account_by_address(
    person: Callable[..., Person], cli: Callable[..., tuple[int, str, str]]
) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    code, out, err = cli("sync", "--email", "ANN@example.com")
    assert (code, err) == (0, "")
    assert out.strip() == ("ann@example.com: full sync, 1 changed, 1 logged, 1 answered, 0 flagged")
    assert len(answers(ann.state, event_id)) == 1
    code, out, _ = cli("sync", "--email", "ann@example.com")
    assert code == 0 and "incremental sync" in out and "0 answered" in out


def test_sync_all_as_json(
    person: Callable[..., Person], cli: Callable[..., tuple[int, str, str]]
) -> None:
    ann = person("dry-run")
    person("dry-run", "cid@example.com")
    ann.invite("Budget chat", weekday_at(2, 13), description="")
    code, out, _ = cli("sync", "--all", "--format", "json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["email"] for line in lines] == ["ann@example.com", "cid@example.com"]
    assert [line["recorded"] for line in lines] == [1, 0]
    assert answers(ann.state) == []


def test_a_revoked_account_is_reported_and_exits_1(
    person: Callable[..., Person], cli: Callable[..., tuple[int, str, str]]
) -> None:
    ann = person("enforce")
    ann.state.revoke("refresh-ann")
    code, out, _ = cli("sync", "--email", ann.email)
    assert code == 1
    assert "skipped (disconnected" in out and "reconnected" in out
    assert "refresh-ann" not in out  # never the token


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("--email", "nobody@example.com"), {}, "error: no account for nobody@example.com"),
        (
            ("--all",),
            {"GOOGLE_CLIENT_ID": "", "GOOGLE_CLIENT_SECRET": ""},
            "Google features are off",
        ),
    ],
)
def test_bad_requests_exit_2_with_one_line(
    person: Callable[..., Person],
    cli: Callable[..., tuple[int, str, str]],
    args: tuple[str, ...],
    env: dict[str, str],
    message: str,
) -> None:
    person("enforce")
    code, out, err = cli("sync", *args, env=env)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_focus_blocks_option_reports_them(
    person: Callable[..., Person], cli: Callable[..., tuple[int, str, str]]
) -> None:
    ann = person("enforce")
    code, out, _ = cli("sync", "--email", ann.email, "--focus-blocks")
    assert code == 0
    first, second = out.strip().splitlines()
    assert first.startswith("ann@example.com: full sync")
    # The shipped rules define no YAML blocks: nothing to create.
    assert second == ("ann@example.com: focus blocks 0 created, 0 updated, 0 deleted, 0 unchanged")
