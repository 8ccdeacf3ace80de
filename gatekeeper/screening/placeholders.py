"""The placeholders a message template may use, and the check of a template's text."""

from __future__ import annotations

import re

from gatekeeper.screening.schema import Checker, did_you_mean
from gatekeeper.screening.yamlload import Span

TEMPLATE_PLACEHOLDERS = frozenset(
    {
        "organizer_name",
        "person_name",
        "summary",
        "when",
        "missing",
        "fix",
        "async_alternative",
        "focus",
        "alternatives",
        "recheck",
        "escalation_tag",
    }
)

# "{{" and "}}" are literal braces (as in str.format); "{...}" is a placeholder.
_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


def placeholders_in(text: str) -> list[tuple[str, int]]:
    """Return each ``{placeholder}`` of ``text`` with its offset.

    A stray brace is returned as the pseudo-placeholder ``"{"`` or ``"}"``.
    """
    found: list[tuple[str, int]] = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        found.append((match.group(1) if match.group(1) is not None else token, match.start()))
    return found


def check_template(checker: Checker, text: str, span: Span, *, what: str) -> None:
    """Report unknown placeholders and stray braces in ``text`` (a template or message)."""
    for field, offset in placeholders_in(text):
        line = span.line_at(text, offset)
        if field in TEMPLATE_PLACEHOLDERS:
            continue
        if field in ("{", "}"):
            message = f"{what}: single '{field}' (write {{{{ and }}}} for literal braces)"
        elif not field.strip():
            message = f"{what}: empty placeholder {{}}; name one, e.g. {{summary}}"
        else:
            hint = did_you_mean(field, sorted(TEMPLATE_PLACEHOLDERS))
            message = f"{what}: unknown placeholder {{{field}}}{hint}"
        checker.error(line, message)
