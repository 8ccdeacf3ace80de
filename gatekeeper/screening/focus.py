"""Focus blocks: recognise them in a calendar and in YAML, and find what collides with them.

Every interval returned here is in UTC, so that comparisons and lengths are exact even on
the days daylight saving time changes (aware datetimes sharing one zone compare by wall
clock in Python).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from gatekeeper.domain import FocusBlockSpec, Interval, Invite

DEFAULT_TITLES = ("Focus", "Focus time", "Deep work", "Heads down", "No meetings", "Maker time")
# Google's own focus events, and event types that can carry any title but are never focus.
_FOCUS_TYPE = "focusTime"
_NOT_FOCUS_TYPES = frozenset({"outOfOffice", "workingLocation", "birthday"})
_NON_WORD = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    """Return text reduced to lower-case words separated by single spaces."""
    return " " + _NON_WORD.sub(" ", text.casefold()).strip() + " "


@functools.lru_cache(maxsize=64)
def _patterns(titles: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in (_words(t) for t in titles) if w.strip())


def title_matches(title: str, titles: Sequence[str]) -> bool:
    """Return True when one of ``titles`` appears in ``title`` as whole words.

    Case, punctuation, brackets and emoji are ignored: "[Focus]", "Focus time 🎧",
    "DEEP WORK" and "Heads-down: roadmap" all match; "Unfocused sync" does not.
    """
    words = _words(title)
    return any(pattern in words for pattern in _patterns(tuple(titles)))


def is_focus_event(invite: Invite, person_email: str, titles: Sequence[str]) -> bool:
    """Return True when the invite is one of the person's focus blocks.

    That is a Google ``focusTime`` event, or the person's own event (they organize it,
    or nobody does) with no other guests (rooms don't count) whose title matches one
    of ``titles``. Cancelled events, events the person declined, all-day entries (labels
    rather than blocks of time) and out-of-office and similar types never are.
    """
    if invite.status == "cancelled" or invite.all_day or invite.event_type in _NOT_FOCUS_TYPES:
        return False
    me = person_email.strip().lower()
    entry = invite.attendee(me)
    if entry is not None and entry.response == "declined":
        return False
    if invite.event_type == _FOCUS_TYPE:
        return True
    if invite.organizer is not None and invite.organizer_email != me:
        return False
    if any(a.email.lower() != me and not a.resource for a in invite.attendees):
        return False
    return title_matches(invite.summary, titles)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def yaml_block_intervals(
    specs: Sequence[FocusBlockSpec], start: datetime, end: datetime
) -> list[Interval]:
    """Return the YAML blocks that overlap [start, end), day by day, sorted, in UTC.

    Each block is laid out on the wall clock of its own zone, so "09:00-11:00
    Europe/Berlin" stays at 09:00 local time on both sides of a daylight saving change.
    A block whose end is not after its start runs past midnight.
    """
    found: list[Interval] = []
    for spec in specs:
        zone = ZoneInfo(spec.timezone)
        first = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date()
        day = first
        while day <= last:
            if day.weekday() in spec.days:
                block = _block_on(day, spec, zone)
                if block.start < end and block.end > start:
                    found.append(block)
            day += timedelta(days=1)
    found.sort(key=lambda b: (b.start, b.end))
    return found


def _block_on(day: date, spec: FocusBlockSpec, zone: ZoneInfo) -> Interval:
    begins = datetime.combine(day, spec.start, tzinfo=zone)
    end_day = day if spec.end > spec.start else day + timedelta(days=1)
    ends = datetime.combine(end_day, spec.end, tzinfo=zone)
    return Interval(_utc(begins), _utc(ends), spec.name)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Return the union of intervals: sorted, disjoint, labels of merged pieces joined."""
    out: list[Interval] = []
    labels: list[list[str]] = []
    for piece in sorted(intervals, key=lambda i: (i.start, i.end)):
        if out and piece.start <= out[-1].end:
            last = out[-1]
            if piece.label and piece.label not in labels[-1]:
                labels[-1].append(piece.label)
            out[-1] = Interval(last.start, max(last.end, piece.end), " + ".join(labels[-1]))
        else:
            out.append(piece)
            labels.append([piece.label] if piece.label else [])
    return out


def focus_intervals(
    instances: Iterable[Invite],
    person_email: str,
    titles: Sequence[str],
    specs: Sequence[FocusBlockSpec],
    start: datetime,
    end: datetime,
) -> list[Interval]:
    """Return the person's focus time overlapping [start, end): merged, sorted, in UTC.

    ``instances`` are calendar occurrences (series already expanded); the label of each
    interval is the YAML block's name or the event's title.
    """
    pieces = yaml_block_intervals(specs, start, end)
    for invite in instances:
        in_window = invite.start < end and invite.end > start and invite.end > invite.start
        if in_window and is_focus_event(invite, person_email, titles):
            pieces.append(Interval(_utc(invite.start), _utc(invite.end), invite.summary))
    return merge(pieces)


def conflicts(interval: Interval, focus: Sequence[Interval]) -> list[Interval]:
    """Return the focus intervals that share time with ``interval``.

    ``focus`` must be sorted and disjoint, as focus_intervals() returns it; the search
    is then logarithmic, which matters when every instance of a year is checked.
    """
    if not focus:
        return []
    hi = bisect.bisect_left(focus, interval.end, key=lambda block: block.start)
    lo = bisect.bisect_right(focus, interval.start, lo=0, hi=hi, key=lambda block: block.end)
    return [block for block in focus[lo:hi] if block.overlaps(interval)]
