"""Read .ics bytes safely and point at the line a problem comes from."""

from __future__ import annotations

import os
import re
from pathlib import Path

from gatekeeper.errors import InputError

MAX_ICS_BYTES = 50 * 1024 * 1024

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def read_bytes(path: str | Path) -> bytes:
    """Return the file's bytes, or raise InputError saying why it cannot be read."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if os.path.isdir(path):
        raise InputError(f"{name}: is a directory, not an .ics file")
    check_size(info.st_size, name)
    try:
        with open(path, "rb") as handle:
            # Read one byte past the limit: the size may have changed since stat().
            data = handle.read(MAX_ICS_BYTES + 1)
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    check_size(len(data), name)
    return data


def check_size(size: int, source: str) -> None:
    """Refuse inputs over the size limit, which would take minutes to parse."""
    if size > MAX_ICS_BYTES:
        raise InputError(
            f"{source}: file too large ({size / 2**20:.1f} MiB; "
            f"the limit is {MAX_ICS_BYTES // 2**20} MiB)"
        )


def decode(data: bytes | str) -> str:
    """Return the text of an .ics file.

    RFC 5545 says UTF-8, but exports from older Outlook versions are Windows-1252, so
    invalid UTF-8 falls back to Windows-1252 (and Latin-1 for its five undefined bytes)
    rather than turning accented names into replacement characters.
    """
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def check_calendar_start(text: str, source: str) -> None:
    """Raise InputError unless the first non-empty line is BEGIN:VCALENDAR."""
    head = text.lstrip(" \t\r\n")[:15]
    if head.upper() != "BEGIN:VCALENDAR":
        raise InputError(f"{source}: not an iCalendar file (expected BEGIN:VCALENDAR)")


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Return (first physical line number, unfolded line) pairs."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        if raw[:1] in (" ", "\t") and out:
            first, line = out[-1]
            out[-1] = (first, line + raw[1:])
        else:
            out.append((number, raw))
    return out


def _name_of(line: str) -> str:
    return re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()


def locate_in_event(
    text: str, event_index: int, prop: str | None = None, content: str | None = None
) -> int | None:
    """Return the line of ``prop`` (or of the line ``content``) in the n-th VEVENT.

    Without ``prop`` and ``content``, return the line of the VEVENT's BEGIN.
    """
    seen = -1
    inside = False
    for number, line in logical_lines(text):
        name = _name_of(line)
        if name == "BEGIN" and line.split(":", 1)[-1].strip().upper() == "VEVENT":
            seen += 1
            inside = seen == event_index
            if inside and prop is None and content is None:
                return number
            continue
        if not inside:
            continue
        if name == "END" and line.split(":", 1)[-1].strip().upper() == "VEVENT":
            return None
        if prop is not None and name == prop.upper():
            return number
        if content is not None and line.strip() == content.strip():
            return number
    return None


def locate_content(text: str, content: str) -> int | None:
    """Return the first line whose unfolded text is ``content``."""
    for number, line in logical_lines(text):
        if line.strip() == content.strip():
            return number
    return None


def structure_problem(text: str) -> str | None:
    """Return ``line N: reason`` for unbalanced BEGIN/END lines, if any."""
    stack: list[tuple[str, int]] = []
    for number, line in logical_lines(text):
        name = _name_of(line)
        if name not in ("BEGIN", "END") or ":" not in line:
            continue
        value = line.split(":", 1)[1].strip().upper()
        if name == "BEGIN":
            stack.append((value, number))
            continue
        if not stack:
            return f"line {number}: END:{value} without a matching BEGIN"
        opened, opened_at = stack.pop()
        if opened != value and any(outer == value for outer, _ in stack):
            return f"line {opened_at}: BEGIN:{opened} is never closed (missing END:{opened})"
        if opened != value:
            return f"line {number}: END:{value} does not close BEGIN:{opened} (line {opened_at})"
    if stack:
        opened, opened_at = stack[-1]
        return f"line {opened_at}: BEGIN:{opened} is never closed (missing END:{opened})"
    return None


_CONTENT_ERROR = re.compile(r"^Content line could not be parsed into parts: '(.*?)': (.*)$", re.S)


def split_content_error(message: str) -> tuple[str | None, str]:
    """Split icalendar's "could not be parsed" message into (the line, the reason)."""
    match = _CONTENT_ERROR.match(message)
    if not match:
        return None, message
    reason = match.group(2).strip()
    if reason.startswith("'") and " is not a valid parameter string" in reason:
        reason = "invalid parameter"
    return match.group(1), f"cannot parse this line ({reason.rstrip('.').lower()})"
