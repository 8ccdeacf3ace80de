"""``python -m gatekeeper rules check [DIR]``: validate a rules directory."""

from __future__ import annotations

import argparse
import os
import sys

from gatekeeper.errors import Problem
from gatekeeper.screening.rulesdir import analyze_directory


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``rules`` command and its ``check`` subcommand."""
    rules = sub.add_parser(
        "rules",
        help="work with YAML rules",
        description="Work with the YAML rules that decide what happens to invites.",
    )
    actions = rules.add_subparsers(dest="rules_command", title="actions", metavar="{check}")
    actions.required = True
    check = actions.add_parser(
        "check",
        help="validate a rules directory",
        description=(
            "Validate every *.yaml file in DIR. Exit 0 when the rules are valid (warnings "
            "allowed), 1 otherwise; one line per problem, FILE:LINE: message."
        ),
    )
    check.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="rules directory (default: $GATEKEEPER_RULES_DIR or rules/)",
    )
    check.set_defaults(func=run_check)


def format_problem(problem: Problem) -> str:
    """Return ``FILE:LINE: message`` (``FILE: message`` for a directory-wide problem)."""
    prefix = f"{problem.file}:{problem.line}" if problem.line > 0 else problem.file
    kind = "warning: " if problem.severity == "warning" else ""
    return f"{prefix}: {kind}{problem.message}"


def run_check(args: argparse.Namespace) -> int:
    """Print the problems of the rules directory; return 0 when it is valid, else 1."""
    directory = args.directory or os.environ.get("GATEKEEPER_RULES_DIR") or "rules/"
    try:
        policy, problems = analyze_directory(directory)
    except (OSError, RecursionError, MemoryError) as exc:
        print(f"{directory}: cannot check rules ({exc.__class__.__name__}: {exc})")
        return 1
    for problem in problems:
        print(format_problem(problem))
    if policy is None:
        errors = sum(1 for p in problems if p.severity == "error")
        print(f"{directory}: {errors} error{'s' * (errors != 1)}", file=sys.stderr)
        return 1
    warnings = len(policy.warnings)
    note = f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
    count = len(policy.rules)
    print(f"{directory}: {count} rule{'s' * (count != 1)} OK{note}")
    return 0
