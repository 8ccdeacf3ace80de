"""Read a rules directory, merge its files into one Policy, and report every problem."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gatekeeper.domain import Action, FocusBlockSpec, WorkingHours
from gatekeeper.errors import Problem, RulesError
from gatekeeper.screening.policy import (
    DEFAULT_FOCUS_TITLES,
    EscalationSettings,
    Policy,
    Rule,
    Settings,
)
from gatekeeper.screening.rulefile import RuleEntry, RuleFile, read_rule_file
from gatekeeper.screening.schema import Checker, did_you_mean
from gatekeeper.screening.yamlload import load_yaml_file, load_yaml_text

SUFFIXES = (".yaml", ".yml")


def rule_files(
    directory: str | Path, display: str | None = None
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Return the rules files of ``directory`` in name order, each with its display path.

    Paths are shown as the user gave them, or under ``display`` when given.
    """
    shown = display if display is not None else str(directory)
    path = Path(directory)
    if not path.exists():
        return [], [Problem(shown, 0, f"no rules directory at {shown}")]
    if not path.is_dir():
        return [], [Problem(shown, 0, f"{shown} is not a directory")]
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(path)
            # Only regular files: a FIFO or device named *.yaml must not block or stream.
            if entry.name.endswith(SUFFIXES) and not entry.name.startswith(".") and entry.is_file()
        )
    except OSError as exc:
        return [], [Problem(shown, 0, f"cannot read {shown} ({exc.strerror or exc})")]
    if not names:
        return [], [Problem(shown, 0, f"no *.yaml files in {shown}")]
    # os.path.join keeps the directory exactly as the user typed it ("./rules/x.yaml").
    return [(path / name, os.path.join(shown, name)) for name in names], []


def analyze_directory(
    directory: str | Path, display: str | None = None
) -> tuple[Policy | None, list[Problem]]:
    """Return the policy (None when there are errors) and every problem, sorted."""
    files, problems = rule_files(directory, display)
    if problems:
        return None, problems
    parsed = []
    for path, shown in files:
        loaded = load_yaml_file(path, shown)
        parsed.append((shown, loaded.data, loaded.problems))
    return _analyze(parsed)


def analyze_texts(sources: Sequence[tuple[str, str]]) -> tuple[Policy | None, list[Problem]]:
    """Like analyze_directory, for (name, YAML text) pairs such as rules kept in a database."""
    parsed = []
    for name, text in sources:
        loaded = load_yaml_text(text, name)
        parsed.append((name, loaded.data, loaded.problems))
    return _analyze(parsed)


def check_rules(directory: str | Path) -> list[Problem]:
    """Return every problem (errors and warnings) in the rules files of ``directory``."""
    return analyze_directory(directory)[1]


def load_policy(directory: str | Path, display: str | None = None) -> Policy:
    """Load and validate ``directory``; raise RulesError with every error when invalid."""
    policy, problems = analyze_directory(directory, display)
    if policy is None:
        raise RulesError([p for p in problems if p.severity == "error"])
    return policy


def _analyze(
    parsed: list[tuple[str, object, list[Problem]]],
) -> tuple[Policy | None, list[Problem]]:
    problems: list[Problem] = []
    files: list[RuleFile] = []
    for shown, data, load_problems in parsed:
        problems.extend(load_problems)
        if any(p.severity == "error" for p in load_problems) and data is None:
            continue
        checker = Checker(shown)
        files.append(read_rule_file(data, checker))
        problems.extend(checker.problems)
    merger = _Merger(files)
    policy = merger.policy()
    problems.extend(merger.problems)
    order = {shown: index for index, (shown, _, _) in enumerate(parsed)}
    problems.sort(key=lambda p: (order.get(p.file, -1), p.line))
    if any(p.severity == "error" for p in problems):
        return None, problems
    warnings = tuple(p for p in problems if p.severity == "warning")
    return dataclasses.replace(policy, warnings=warnings), problems


class _Merger:
    """Merges checked files; conflicts are reported where the second definition is."""

    def __init__(self, files: list[RuleFile]) -> None:
        self.files = files
        self.problems: list[Problem] = []

    def error(self, file: RuleFile, line: int, message: str) -> None:
        self.problems.append(Problem(file.file, line, message))

    def warn(self, file: RuleFile, line: int, message: str) -> None:
        self.problems.append(Problem(file.file, line, message, "warning"))

    def policy(self) -> Policy:
        settings = self._settings()
        escalation = self._escalation()
        templates = self._templates()
        rules = self._rules(templates, escalation)
        titles: list[str] | None = None
        blocks: list[FocusBlockSpec] = []
        follows: list[bool] = []
        allow: list[str] = []
        for file in self.files:
            if file.focus_titles is not None:
                titles = (titles or []) + file.focus_titles
            for draft in file.blocks:
                zone = draft.timezone or settings.timezone
                blocks.append(FocusBlockSpec(draft.name, draft.days, draft.start, draft.end, zone))
                follows.append(draft.timezone is None)
            allow.extend(file.allow)
        return Policy(
            settings=settings,
            rules=rules,
            focus_titles=tuple(dict.fromkeys(titles))
            if titles is not None
            else DEFAULT_FOCUS_TITLES,
            focus_blocks=tuple(blocks),
            allow=tuple(dict.fromkeys(allow)),
            escalation=escalation,
            templates={
                name: text for file in self.files for name, (text, _) in file.templates.items()
            },
            focus_blocks_follow_person=tuple(follows),
        )

    def _settings(self) -> Settings:
        values: dict[str, Any] = {}  # each value was type-checked when its file was read
        seen: dict[str, str] = {}
        for file in self.files:
            for key, (fields, line) in file.settings.items():
                if key in seen:
                    self.error(file, line, f"setting '{key}' is already set in {seen[key]}")
                    continue
                seen[key] = file.where(line)
                values.update(fields)
        zone = values.get("timezone")
        hours = values.get("working_hours")
        if isinstance(hours, WorkingHours) and isinstance(zone, str):
            values["working_hours"] = dataclasses.replace(hours, timezone=zone)
        elif isinstance(zone, str):
            values["working_hours"] = WorkingHours(timezone=zone)
        return dataclasses.replace(Settings(), **values)

    def _escalation(self) -> EscalationSettings | None:
        found: EscalationSettings | None = None
        first: str | None = None
        for file in self.files:
            if file.escalation_line is None:
                continue
            if first is not None:
                self.error(file, file.escalation_line, f"'escalation' is already set in {first}")
                continue
            first = file.where(file.escalation_line)
            found = file.escalation
        return found

    def _templates(self) -> dict[str, str]:
        out: dict[str, str] = {}
        first: dict[str, str] = {}
        for file in self.files:
            for name, (text, line) in file.templates.items():
                if name in first:
                    self.error(file, line, f"template '{name}' is already defined in {first[name]}")
                    continue
                first[name] = file.where(line)
                out[name] = text
        return out

    def _rules(
        self, templates: dict[str, str], escalation: EscalationSettings | None
    ) -> tuple[Rule, ...]:
        ids: dict[str, str] = {}
        orders: dict[int, tuple[str, str]] = {}
        enabled: list[tuple[Rule, RuleEntry, RuleFile]] = []
        for file in self.files:
            for entry in file.rules:
                rule = entry.rule
                if rule.id in ids:
                    message = f"duplicate rule id '{rule.id}' (also at {ids[rule.id]})"
                    self.error(file, entry.id_line, message)
                else:
                    ids[rule.id] = file.where(entry.id_line)
                if rule.order in orders:
                    other, where = orders[rule.order]
                    message = f"order {rule.order} is already used by rule '{other}' at {where}"
                    self.error(file, entry.order_line, message)
                else:
                    orders[rule.order] = (rule.id, file.where(entry.order_line))
                self._check_rule(file, entry, templates, escalation)
                if rule.enabled:
                    enabled.append((rule, entry, file))
        enabled.sort(key=lambda item: item[0].order)
        self._shadowed(enabled)
        return tuple(rule for rule, _, _ in enabled)

    def _check_rule(
        self,
        file: RuleFile,
        entry: RuleEntry,
        templates: dict[str, str],
        escalation: EscalationSettings | None,
    ) -> None:
        rule = entry.rule
        if rule.message is not None and rule.message_is_template and rule.message not in templates:
            hint = did_you_mean(rule.message, templates) or (
                f" (defined: {', '.join(sorted(templates))})" if templates else ""
            )
            message = f"rule '{rule.id}': unknown template '{rule.message}'{hint}"
            self.error(file, entry.message_line, message)
        if rule.action is Action.DECLINE and rule.message is None and rule.enabled:
            message = f"rule '{rule.id}' declines without a message; the organizer gets no reply"
            self.warn(file, entry.line, message)
        if escalation is None and entry.escalation_line is not None:
            message = (
                f"rule '{rule.id}' tests 'escalation' but no file has an 'escalation' "
                "section, so every invite counts as 'none'"
            )
            self.warn(file, entry.escalation_line, message)

    def _shadowed(self, enabled: list[tuple[Rule, RuleEntry, RuleFile]]) -> None:
        catch_all: Rule | None = None
        for rule, entry, file in enabled:
            if catch_all is not None:
                other = catch_all
                message = (
                    f"rule '{rule.id}' can never run: rule '{other.id}' "
                    f"(order {other.order}, {other.source}) has no conditions and "
                    "matches every invite first"
                )
                self.warn(file, entry.line, message)
            elif rule.always_matches:
                catch_all = rule
