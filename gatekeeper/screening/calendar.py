"""Screen a whole calendar for one person: series, overridden instances, focus and busy time."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from gatekeeper.domain import Decision, Interval, Invite
from gatekeeper.screening.engine import Context, evaluate
from gatekeeper.screening.focus import conflicts, focus_intervals, is_focus_event
from gatekeeper.screening.policy import Policy

# How far ahead the instances of a series are checked one by one against focus blocks.
SERIES_HORIZON = timedelta(days=28)
# How far ahead focus and busy time are gathered (alternatives look five working days on).
MIN_WINDOW = timedelta(days=14)
MAX_WINDOW = timedelta(days=400)


class CalendarView(Protocol):
    """What screening needs from a calendar adapter."""

    events: list[Invite]

    def instances(self, start: datetime, end: datetime) -> list[Invite]:
        """Return every occurrence overlapping [start, end), series expanded."""
        ...

    def series_instances(self, uid: str, start: datetime, end: datetime) -> list[Invite]:
        """Return the occurrences of one series overlapping [start, end)."""
        ...


def busy_intervals(
    instances: Sequence[Invite], person_email: str, titles: Sequence[str]
) -> list[Interval]:
    """Return the times the person is committed to: accepted, tentative or own events."""
    me = person_email.lower()
    busy: list[Interval] = []
    for inv in instances:
        if inv.status == "cancelled" or inv.transparent or inv.all_day:
            continue
        if is_focus_event(inv, me, titles):
            continue  # focus time is counted separately
        entry = inv.attendee(me)
        own = inv.organizer_email == me or (inv.organizer is None and not inv.attendees)
        if own or (entry is not None and entry.response in ("accepted", "tentative")):
            busy.append(inv.interval)
    return busy


def screen_calendar(
    calendar: CalendarView,
    policy: Policy,
    ctx: Context,
) -> list[Decision]:
    """Return one decision per event, per overridden instance, and per colliding instance."""
    events = sorted(calendar.events, key=lambda inv: (inv.start, inv.uid))
    if not events:
        return []
    last_end = max(inv.end for inv in events)
    window_end = ctx.now + min(max(last_end - ctx.now, MIN_WINDOW), MAX_WINDOW)
    window_end = max(window_end, ctx.now + SERIES_HORIZON)
    window_start = ctx.now - timedelta(days=1)
    instances = calendar.instances(window_start, window_end)
    me = ctx.email
    ctx.focus = focus_intervals(
        instances, me, policy.focus_titles, policy.focus_blocks, window_start, window_end
    )
    ctx.busy = busy_intervals(instances, me, policy.focus_titles)

    overridden = {(ev.uid, ev.recurrence_id) for ev in events if ev.recurrence_id is not None}
    decisions: list[Decision] = []
    for invite in events:
        if invite.recurrence and invite.recurrence_id is None:
            decisions.extend(_screen_series(invite, calendar, policy, ctx, overridden))
        else:
            decisions.append(evaluate(invite, policy, ctx))
    decisions.sort(key=lambda d: d.start)  # stable: a series keeps its instances after it
    return decisions


def _screen_series(
    master: Invite,
    calendar: CalendarView,
    policy: Policy,
    ctx: Context,
    overridden: set[tuple[str, datetime]],
) -> list[Decision]:
    """Decide a series as a whole, and separately each instance that alone collides."""
    horizon_end = ctx.now + SERIES_HORIZON
    occurrences = [
        occ
        for occ in calendar.series_instances(master.uid, ctx.now, horizon_end)
        if occ.end > ctx.now and (occ.uid, occ.recurrence_id) not in overridden
    ]
    if not occurrences:
        later = calendar.series_instances(master.uid, ctx.now, ctx.now + MAX_WINDOW)
        occurrences = [occ for occ in later if occ.end > ctx.now][:1]
    if not occurrences:
        return [evaluate(master, policy, ctx)]  # every instance is over: skipped as past

    nxt = occurrences[0]
    representative = dataclasses.replace(
        master, start=nxt.start, end=nxt.end, recurrence_id=None, recurring=True
    )
    colliding = [occ for occ in occurrences if conflicts(occ.interval, ctx.focus)]
    if len(colliding) == len(occurrences):
        return [evaluate(representative, policy, ctx)]

    # Only some instances collide: the series is judged without focus blocks, and each
    # colliding instance gets its own answer, so one collision never declines the series.
    focus = ctx.focus
    ctx.focus = ()
    try:
        series_decision = evaluate(representative, policy, ctx)
    finally:
        ctx.focus = focus
    decisions = [series_decision]
    if series_decision.action.value == "decline":
        return decisions  # declining the series already answers every instance
    for occ in colliding:
        decisions.append(evaluate(occ, policy, ctx))
    return decisions
