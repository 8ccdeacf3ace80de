"""Compose the one complete reply an organizer receives, from a policy template."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from gatekeeper.domain import ContentReport, Interval, Invite

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class ReplyFacts:
    """What the reply needs to know beyond the invite itself."""

    person_name: str
    content: ContentReport
    focus_hits: Sequence[Interval]
    alternatives: Sequence[Interval]
    display_tz: str
    escalation_tag: str | None


# Day and month names are English whatever the machine's locale: the reply is English.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_when(start: datetime, end: datetime, tz_name: str, *, parens: bool = True) -> str:
    """Return e.g. 'Tue 24 Nov, 14:00–14:30 (Europe/Berlin)' in the given zone."""
    zone = ZoneInfo(tz_name)
    a, b = start.astimezone(zone), end.astimezone(zone)
    named = f"({tz_name})" if parens else f"{tz_name} time"
    day = f"{_DAYS[a.weekday()]} {a.day} {_MONTHS[a.month - 1]}"
    if a.day == b.day and a.month == b.month and a.year == b.year:
        return f"{day}, {a.hour:02d}:{a.minute:02d}–{b.hour:02d}:{b.minute:02d} {named}"
    other = f"{_DAYS[b.weekday()]} {b.day} {_MONTHS[b.month - 1]}"
    return f"{day}, {a.hour:02d}:{a.minute:02d} – {other}, {b.hour:02d}:{b.minute:02d} {named}"


def reply_parts(invite: Invite, facts: ReplyFacts) -> dict[str, str]:
    """Return the text of every placeholder for this invite."""
    content = facts.content
    person = facts.person_name
    missing = ""
    fix = ""
    if not content.has_agenda and not content.has_preread:
        missing = "The invite doesn't have an agenda or anything to read beforehand yet."
        if any("placeholder" in note for note in content.notes):
            missing = (
                "The invite says the agenda is still to come, and there is nothing to read "
                "beforehand yet."
            )
        fix = (
            "To make it work: add a short agenda to the description (the topics, and the "
            "decision or outcome you need), or link the document to read beforehand "
            "(a Google Doc, Notion or Confluence page, a PR ...)."
        )
    focus = ""
    if facts.focus_hits:
        names = sorted({hit.label or "focus time" for hit in facts.focus_hits})
        first = facts.focus_hits[0]
        focus = (
            f"It falls on {person}'s protected focus time: {' + '.join(names)}, "
            f"{format_when(first.start, first.end, facts.display_tz)}."
        )
        if invite.recurrence_id is not None:
            focus += " This concerns only this occurrence; the rest of the series stands."
        if not fix:
            fix = "Moving it to one of the times below (or any time outside focus blocks) works."
    alternatives = ""
    if facts.alternatives:
        alternatives = f"Times that work for {person}:\n" + "\n".join(
            f"  - {format_when(slot.start, slot.end, facts.display_tz)}"
            for slot in facts.alternatives
        )
    async_alternative = (
        "Or skip the meeting: if this can be settled in writing, put the question or proposal "
        f"in a shared doc and tag {person} — comments there often resolve it faster than a "
        "meeting can be scheduled."
    )
    recheck = (
        "When you update the invite, it is checked again automatically, and if it passes "
        "the decline is withdrawn."
    )
    organizer = invite.organizer.display if invite.organizer else "there"
    return {
        "organizer_name": organizer,
        "person_name": person,
        "summary": invite.summary or "(untitled)",
        "when": format_when(invite.start, invite.end, facts.display_tz, parens=False),
        "missing": missing,
        "fix": fix,
        "async_alternative": async_alternative,
        "focus": focus,
        "alternatives": alternatives,
        "recheck": recheck,
        "escalation_tag": facts.escalation_tag or "",
    }


# One template line: its literal pieces and placeholder names, alternating (literal first),
# and whether it holds nothing but placeholders and punctuation. A line without
# placeholders is one literal, already stripped of trailing space.
_Line = tuple[tuple[str, ...], tuple[str, ...], bool]


@functools.lru_cache(maxsize=256)
def _compile(template: str) -> tuple[_Line, ...]:
    """Split a template once into its lines' literal pieces and placeholder names."""
    compiled: list[_Line] = []
    for line in template.splitlines():
        pieces = _PLACEHOLDER.split(line)
        if len(pieces) == 1:
            compiled.append(((line.rstrip(),), (), False))
        else:
            compiled.append((tuple(pieces[0::2]), tuple(pieces[1::2]), _only_filler(line)))
    return tuple(compiled)


def render(template: str, parts: Mapping[str, str]) -> str:
    """Fill ``{placeholders}``; drop lines left empty by a section that does not apply.

    A line of nothing but placeholders (and punctuation) whose placeholders are all empty
    is left out, a filled line that comes out blank too, and blank lines never pile up:
    runs of them become one.
    """
    lines: list[str] = []
    for literals, names, filler_only in _compile(template):
        if not names:
            text = literals[0]
            if text or (lines and lines[-1]):
                lines.append(text)
            continue
        if len(names) == 1:
            name = names[0]
            value = parts.get(name)
            if not value and filler_only:
                continue
            filled = f"{literals[0]}{'{' + name + '}' if value is None else value}{literals[1]}"
        else:
            found = [parts.get(name) for name in names]
            if filler_only and not any(found):
                continue
            pieces = [literals[0]]
            for name, value, literal in zip(names, found, literals[1:], strict=True):
                pieces.append("{" + name + "}" if value is None else value)
                pieces.append(literal)
            filled = "".join(pieces)
        filled = filled.rstrip()
        if filled.strip():
            lines.append(filled)
    text = "\n".join(lines).strip()
    # A value of several lines may itself hold blank lines.
    return _BLANK_RUNS.sub("\n\n", text) if "\n\n\n" in text else text


def _only_filler(line: str) -> bool:
    """Return True when a line holds nothing but placeholders and punctuation."""
    rest = _PLACEHOLDER.sub("", line)
    return not any(ch.isalnum() for ch in rest)
