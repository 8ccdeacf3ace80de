"""Read the sections of one rules file into checked values, before files are merged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time

from gatekeeper.domain import Action, WorkingHours
from gatekeeper.screening.conditions import AllOf, Condition, ConditionParser
from gatekeeper.screening.patterns import pattern_problem
from gatekeeper.screening.placeholders import check_template
from gatekeeper.screening.policy import EscalationSettings, Rule, is_template_name
from gatekeeper.screening.schema import Checker, did_you_mean, show
from gatekeeper.screening.yamlload import YamlList, YamlMap

SECTIONS = ("settings", "focus", "allow", "escalation", "templates", "rules")
SETTINGS_KEYS = (
    "currency",
    "hourly_rate",
    "timezone",
    "internal_domains",
    "working_hours",
    "deep_work_goal",
    "alternatives",
)
RULE_KEYS = ("id", "order", "description", "enabled", "when", "then")
THEN_KEYS = ("action", "message", "reason")
ACTIONS = tuple(action.value for action in Action)

_SLOT_BOUNDS = (("count", 0, 20), ("working_days", 1, 60), ("step_minutes", 1, 240))
_ID_RE = re.compile(r"[A-Za-z0-9_-]+\Z")
_CURRENCY_RE = re.compile(r"[A-Z]{3}\Z")
_DOMAIN_RE = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+\Z")


@dataclass(frozen=True)
class BlockDraft:
    """A focus block whose zone may still come from the merged settings."""

    name: str
    days: tuple[int, ...]
    start: time
    end: time
    timezone: str | None


@dataclass(frozen=True)
class RuleEntry:
    """A parsed rule with the lines the merge step points at."""

    rule: Rule
    line: int
    id_line: int
    order_line: int
    message_line: int
    escalation_line: int | None


@dataclass
class RuleFile:
    """The checked content of one rules file; values are paired with their lines."""

    file: str
    # settings key -> (Settings fields it sets, line); 'alternatives' sets three fields.
    settings: dict[str, tuple[dict[str, object], int]] = field(default_factory=dict)
    focus_titles: list[str] | None = None
    blocks: list[BlockDraft] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)
    escalation: EscalationSettings | None = None
    escalation_line: int | None = None
    templates: dict[str, tuple[str, int]] = field(default_factory=dict)
    rules: list[RuleEntry] = field(default_factory=list)

    def where(self, line: int) -> str:
        """Return ``file:line``."""
        return f"{self.file}:{line}"


def read_rule_file(data: object, checker: Checker) -> RuleFile:
    """Check the sections of one loaded file; problems go to ``checker``."""
    out = RuleFile(checker.file)
    if data is None:
        checker.warn(1, "file is empty")
        return out
    if not isinstance(data, YamlMap):
        line = data.line if isinstance(data, YamlList) else 1
        message = f"the top level must be a mapping of sections ({', '.join(SECTIONS)})"
        checker.error(line, f"{message}, got {show(data)}")
        return out
    checker.keys(data, SECTIONS, where="the file", noun="section", in_where=False)
    if (settings := checker.mapping(data, "settings")) is not None:
        _settings(settings, checker, out)
    if (focus := checker.mapping(data, "focus")) is not None:
        _focus(focus, checker, out)
    if "allow" in data and data["allow"] is not None:
        _allow(data, checker, out)
    if "escalation" in data:
        out.escalation_line = data.key_line("escalation")
        if (escalation := checker.mapping(data, "escalation")) is not None:
            _escalation(escalation, checker, out)
        elif data["escalation"] is None:
            checker.error(out.escalation_line, "'escalation' needs 'tag' and 'limit_per_week'")
    if (templates := checker.mapping(data, "templates")) is not None:
        _templates(templates, checker, out)
    if (rules := checker.sequence(data, "rules")) is not None:
        for index, item in enumerate(rules):
            if not isinstance(item, YamlMap):
                message = f"a rule must be a mapping (id, order, when, then), got {show(item)}"
                checker.error(rules.item_line(index), message)
                continue
            entry = _rule(item, checker)
            if entry is not None:
                out.rules.append(entry)
    return out


def _settings(data: YamlMap, checker: Checker, out: RuleFile) -> None:
    checker.keys(data, SETTINGS_KEYS, where="settings")
    values: dict[str, object] = {}  # Settings field -> value
    if (currency := checker.text(data, "currency")) is not None:
        code = currency.strip().upper()
        if _CURRENCY_RE.match(code):
            values["currency"] = code
        else:
            message = f"'currency' must be a three-letter code like EUR, got {show(currency)}"
            checker.error(data.value_line("currency"), message)
    values["hourly_rate"] = checker.number(data, "hourly_rate", minimum=0)
    values["timezone"] = checker.timezone(data, "timezone")
    values["deep_work_goal"] = checker.number(data, "deep_work_goal", minimum=0, maximum=1)
    if "internal_domains" in data:
        domains = []
        for domain, line in checker.texts(data, "internal_domains"):
            name = domain.lower().removeprefix("@")
            if _DOMAIN_RE.match(name):
                domains.append(name)
            else:
                checker.error(line, f"'{domain}' is not a domain name like example.com")
        values["internal_domains"] = tuple(domains)
    if (hours := checker.mapping(data, "working_hours")) is not None:
        values["working_hours"] = _working_hours(hours, checker)
    if (slots := checker.mapping(data, "alternatives")) is not None:
        checker.keys(slots, ("count", "working_days", "step_minutes"), where="'alternatives'")
        for key, low, high in _SLOT_BOUNDS:
            values[f"alternatives_{key}"] = checker.integer(slots, key, minimum=low, maximum=high)
    for key in data:
        fields = {
            name: value
            for name, value in values.items()
            if value is not None and (name == key or name.startswith(f"{key}_"))
        }
        if fields:
            out.settings[key] = (fields, data.key_line(key))


def _working_hours(data: YamlMap, checker: Checker) -> WorkingHours | None:
    checker.keys(data, ("days", "start", "end"), where="'working_hours'")
    default = WorkingHours()
    days = checker.days(data, "days")
    start = checker.time_of_day(data, "start")
    end = checker.time_of_day(data, "end")
    given = (("days", days), ("start", start), ("end", end))
    if any(key in data and value is None for key, value in given):
        return None
    start, end = start or default.start, end or default.end
    if end <= start:
        checker.error(data.value_line("end"), _order_message(start, end))
        return None
    return WorkingHours(days=days or default.days, start=start, end=end)


def _order_message(start: time, end: time) -> str:
    return f"'end' {end:%H:%M} must be after 'start' {start:%H:%M}"


def _focus(data: YamlMap, checker: Checker, out: RuleFile) -> None:
    checker.keys(data, ("titles", "blocks"), where="focus")
    if "titles" in data:
        out.focus_titles = [title for title, _ in checker.texts(data, "titles")]
    blocks = checker.sequence(data, "blocks")
    for index, item in enumerate(blocks or ()):
        if not isinstance(item, YamlMap):
            message = f"a focus block must be a mapping (name, days, start, end), got {show(item)}"
            checker.error(blocks.item_line(index) if blocks else data.line, message)
            continue
        allowed = ("name", "days", "start", "end", "timezone")
        checker.keys(item, allowed, where="the focus block", required=("days", "start", "end"))
        name = checker.text(item, "name")
        days = checker.days(item, "days")
        start, end = checker.time_of_day(item, "start"), checker.time_of_day(item, "end")
        zone = checker.timezone(item, "timezone")
        if "timezone" in item and zone is None:
            continue
        if days is None or start is None or end is None:
            continue
        if end <= start:
            checker.error(item.value_line("end"), _order_message(start, end))
            continue
        label = name.strip() if name else f"Focus {start:%H:%M}–{end:%H:%M}"
        out.blocks.append(BlockDraft(label, days, start, end, zone))


def _allow(data: YamlMap, checker: Checker, out: RuleFile) -> None:
    for pattern, line in checker.texts(data, "allow"):
        problem = pattern_problem(pattern)
        if problem:
            checker.error(line, problem)
        else:
            out.allow.append(pattern.lower())


def _escalation(data: YamlMap, checker: Checker, out: RuleFile) -> None:
    required = ("tag", "limit_per_week")
    checker.keys(data, required, where="escalation", required=required)
    tag = checker.text(data, "tag")
    limit = checker.integer(data, "limit_per_week", minimum=0)
    if tag is not None and limit is not None:
        out.escalation = EscalationSettings(tag.strip(), limit)


def _templates(data: YamlMap, checker: Checker, out: RuleFile) -> None:
    for name in data:
        line = data.key_line(name)
        if not is_template_name(name):
            message = f"template name '{name}' may use only letters, digits, '-' and '_'"
            checker.error(line, message)
            continue
        text = checker.text(data, name, label=f"template '{name}'")
        if text is None:
            continue
        check_template(checker, text, data.span(name), what=f"template '{name}'")
        out.templates[name] = (text, line)


def _rule(data: YamlMap, checker: Checker) -> RuleEntry | None:
    rule_id = checker.text(data, "id")
    if rule_id is not None and not _ID_RE.match(rule_id.strip()):
        problem = f"rule id {show(rule_id)} may use only letters, digits, '-' and '_'"
        checker.error(data.value_line("id"), problem)
        rule_id = None
    label = f"rule '{rule_id.strip()}'" if rule_id else f"the rule at line {data.line}"
    checker.keys(data, RULE_KEYS, where=label, required=("id", "order", "then"))
    order = checker.integer(data, "order")
    description = checker.text(data, "description")
    enabled = checker.boolean(data, "enabled")
    parser = ConditionParser(checker)
    when: Condition | None = AllOf(())
    if data.get("when") is not None:
        when_map = checker.mapping(data, "when")
        when = parser.parse(when_map) if when_map is not None else None
    then = data.get("then")
    if then is not None and not isinstance(then, YamlMap):
        problem = f"'then' must be a mapping like {{action: decline}}, got {show(then)}"
        checker.error(data.value_line("then"), problem)
    action: Action | None = None
    message: str | None = None
    reason: str | None = None
    if isinstance(then, YamlMap):
        checker.keys(then, THEN_KEYS, where=f"'then' of {label}", required=("action",))
        action = _action(then, checker)
        message = checker.text(then, "message")
        reason = checker.text(then, "reason")
        if message is not None and not is_template_name(message):
            check_template(checker, message, then.span("message"), what=f"message of {label}")
    elif "then" in data and then is None:
        checker.error(data.value_line("then"), f"'then' of {label} needs an 'action'")
    if rule_id is None or order is None or when is None or action is None:
        return None
    rule = Rule(
        id=rule_id.strip(),
        order=order,
        action=action,
        when=when,
        description=(description or "").strip(),
        message=message.strip() if message and is_template_name(message) else message,
        reason=reason.strip() if reason else None,
        source=f"{checker.file}:{data.line}",
        enabled=enabled is not False,
    )
    message_line = then.value_line("message") if isinstance(then, YamlMap) else data.line
    return RuleEntry(
        rule,
        data.line,
        data.value_line("id"),
        data.value_line("order"),
        message_line,
        parser.uses_escalation_line,
    )


def _action(then: YamlMap, checker: Checker) -> Action | None:
    if "action" not in then:
        return None
    value = then["action"]
    if isinstance(value, str) and value.strip().lower() in ACTIONS:
        return Action(value.strip().lower())
    if isinstance(value, str):
        hint = did_you_mean(value, ACTIONS)
        message = f"unknown action {show(value)}{hint}; actions are {', '.join(ACTIONS)}"
    else:
        message = f"'action' must be one of {', '.join(ACTIONS)}, got {show(value)}"
    checker.error(then.value_line("action"), message)
    return None
