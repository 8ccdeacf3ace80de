"""The pure screening function: one invite, one person's policy and context → a Decision."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from gatekeeper.alternatives.slots import find_slots
from gatekeeper.domain import (
    NON_MEETING_EVENT_TYPES,
    Action,
    Attendee,
    ContentReport,
    Decision,
    EscalationLedger,
    Interval,
    Invite,
    WorkingHours,
)
from gatekeeper.screening.content import analyze
from gatekeeper.screening.facts import Facts
from gatekeeper.screening.focus import conflicts
from gatekeeper.screening.hours import outside_hours
from gatekeeper.screening.messages import ReplyFacts, render, reply_parts
from gatekeeper.screening.policy import Policy, domain_is_internal

# Actions whose message is sent to the organizer.
_REPLYING = frozenset({Action.DECLINE, Action.TENTATIVE})


@dataclass
class Context:
    """Everything about the person that screening needs besides the invite and the policy."""

    person_email: str
    now: datetime
    person_name: str | None = None
    timezone: str | None = None  # the person's zone; the policy's when None
    focus: Sequence[Interval] = ()
    busy: Sequence[Interval] = ()
    ledger: EscalationLedger = field(default_factory=EscalationLedger)
    # The organizer's busy time, where their calendar lets us see it (Google free/busy);
    # alternative slots avoid it too.
    organizer_busy: Callable[[str], Sequence[Interval]] | None = None
    email: str = field(init=False)  # the person's address, trimmed and in lower case
    # What the person's policy works out to for them, the same for every invite.
    _derived: _PersonPolicy | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.email = self.person_email.strip().lower()
        self._derived = None


def skip_reason(invite: Invite, ctx: Context) -> str | None:
    """Return why Gatekeeper never acts on this invite, or None when it should be screened."""
    return _skip_reason(invite, ctx, invite.organizer_email, invite.attendee(ctx.email))


def _skip_reason(
    invite: Invite, ctx: Context, organizer: str, entry: Attendee | None
) -> str | None:
    """skip_reason(), given the organizer's address and the person's own guest-list entry."""
    me = ctx.email
    if organizer == me:
        return "not acted on: you organize this event"
    if invite.status == "cancelled":
        return "not acted on: the event is cancelled"
    if invite.event_type in NON_MEETING_EVENT_TYPES:
        return f"not acted on: not a meeting ({invite.event_type})"
    if invite.all_day:
        return "not acted on: all-day event"
    if invite.end <= ctx.now:
        return "not acted on: the event is in the past"
    if entry is None and invite.attendees:
        return f"not acted on: {me} is not on the guest list"
    if entry is not None and entry.response != "needsAction":
        return f"not acted on: you already answered ({entry.response})"
    return None


@dataclass(frozen=True)
class _PersonPolicy:
    """A policy worked out for one person: computed once, then used for every invite."""

    policy: Policy
    hours: WorkingHours  # in the person's own zone
    internal: tuple[str, ...]  # internal domains (the person's own when the policy names none)


def _person_policy(policy: Policy, ctx: Context) -> _PersonPolicy:
    derived = ctx._derived
    if derived is not None and derived.policy is policy:
        return derived
    hours = policy.settings.working_hours
    if ctx.timezone and ctx.timezone != hours.timezone:
        hours = WorkingHours(ctx.timezone, hours.days, hours.start, hours.end)
    derived = _PersonPolicy(policy, hours, policy.internal_domains(ctx.email))
    ctx._derived = derived
    return derived


def meeting_cost(invite: Invite, hourly_rate: float, people: int | None = None) -> float:
    """Return people × hours × rate (rooms and guests who declined are not counted).

    All-day entries, non-meeting event types and events with one person cost nothing:
    they are not meetings.
    """
    if people is None:
        people = _people(invite)
    if invite.all_day or invite.event_type in NON_MEETING_EVENT_TYPES or people < 2:
        return 0.0
    return _cost(people, invite.duration.total_seconds() / 3600, hourly_rate)


def _cost(people: int, hours: float, hourly_rate: float) -> float:
    return round(people * hours * hourly_rate, 2)


def _people(invite: Invite) -> int:
    return _guests(invite, invite.organizer_email, "")[0]


def _guests(invite: Invite, organizer: str, me: str) -> tuple[int, Attendee | None]:
    """Return how many people the meeting has, and the entry of ``me`` on its guest list.

    One pass over the guests, since both are needed for every invite screened.
    """
    emails: set[str] = set()
    mine = None
    for guest in invite.attendees:
        email = guest.email.lower()
        if mine is None and email == me:
            mine = guest
        if not guest.resource and guest.response != "declined":
            emails.add(email)
    if organizer:
        emails.add(organizer)
    return max(len(emails), 1), mine


def _escalation_state(invite: Invite, organizer: str, policy: Policy, ctx: Context) -> str:
    esc = policy.escalation
    if esc is None or not invite.summary.strip().lower().startswith(esc.tag.lower()):
        return "none"
    used = ctx.ledger.count(organizer, invite.start)
    return "within_limit" if used < esc.limit_per_week else "over_limit"


def evaluate(invite: Invite, policy: Policy, ctx: Context) -> Decision:
    """Screen one invite (or one instance of a series) and return the decision."""
    content = analyze(invite)
    organizer = invite.organizer_email
    people, entry = _guests(invite, organizer, ctx.email)
    skipped = _skip_reason(invite, ctx, organizer, entry)
    if skipped is not None:
        cost = meeting_cost(invite, policy.settings.hourly_rate, people)
        return _decision(
            invite,
            policy,
            content,
            Action.NONE,
            None,
            (skipped,),
            cost=cost,
            organizer=organizer,
            skipped=True,
        )

    # Screened invites are meetings (skip_reason() leaves out all-day and other entries).
    minutes = (invite.end - invite.start).total_seconds() / 60
    cost = _cost(people, minutes / 60, policy.settings.hourly_rate) if people > 1 else 0.0
    hits = conflicts(invite.interval, ctx.focus) if ctx.focus else []
    mine = _person_policy(policy, ctx)
    hours = mine.hours
    facts = Facts(
        has_agenda=content.has_agenda,
        has_preread=content.has_preread,
        organizer=organizer,
        organizer_internal=domain_is_internal(organizer, mine.internal),
        attendee_count=people,
        duration_minutes=minutes,
        starts_in_hours=(invite.start - ctx.now).total_seconds() / 3600,
        title=invite.summary,
        recurring=invite.recurring,
        focus_conflict=bool(hits),
        outside_working_hours=outside_hours(invite.start, invite.end, hours),
        allow_listed=bool(organizer) and policy.is_allow_listed(organizer),
        escalation=_escalation_state(invite, organizer, policy, ctx),
    )
    reasons = list(content.reasons)
    for hit in hits:
        reasons.append(f"overlaps focus block '{hit.label or 'focus time'}'")
    if facts.outside_working_hours:
        reasons.append(f"outside working hours ({hours.timezone})")
    if facts.escalation != "none" and policy.escalation is not None:
        used = ctx.ledger.count(organizer, invite.start)
        limit = policy.escalation.limit_per_week
        if facts.escalation == "within_limit":
            reasons.append(f"escalation {used + 1} of {limit} this week by {organizer or '?'}")
        else:
            reasons.append(f"escalation limit reached ({limit} per week) by {organizer or '?'}")

    rule = policy.first_match(facts)
    action = rule.action if rule else Action.NONE
    if rule is not None:
        reasons.append(f"rule {rule.id}: {rule.description or rule.describe()}")
        if rule.reason:
            reasons.append(rule.reason)
    else:
        reasons.append("no rule matched")
    if action is Action.DECLINE and facts.allow_listed:
        action = Action.FLAG
        reasons.append("organizer is on the allow-list: flagged instead of declined")

    escalated = facts.escalation == "within_limit" and action is not Action.DECLINE
    if escalated:
        ctx.ledger.record(organizer, invite.start)

    alternatives: list[Interval] = []
    message = None
    if action in _REPLYING:
        settings = policy.settings
        if hits:
            busy = ctx.busy
            if ctx.organizer_busy is not None and organizer:
                busy = [*busy, *ctx.organizer_busy(organizer)]
            alternatives = find_slots(
                duration=invite.duration,
                now=ctx.now,
                working_hours=hours,
                focus=ctx.focus,
                busy=busy,
                count=settings.alternatives_count,
                working_days=settings.alternatives_working_days,
                step_minutes=settings.alternatives_step_minutes,
            )
            if not alternatives:
                reasons.append("no free slot found in the next working days")
        template = policy.template_text(rule) if rule else None
        if template:
            parts = reply_parts(
                invite,
                ReplyFacts(
                    person_name=ctx.person_name or ctx.email,
                    content=content,
                    focus_hits=hits,
                    alternatives=alternatives,
                    display_tz=invite.timezone or hours.timezone,
                    escalation_tag=policy.escalation.tag if policy.escalation else None,
                ),
            )
            message = render(template, parts)
    return _decision(
        invite,
        policy,
        content,
        action,
        rule.id if rule else None,
        tuple(reasons),
        cost=cost,
        organizer=organizer,
        focus_conflict=bool(hits),
        message=message,
        alternatives=tuple(alternatives),
        escalation=escalated,
    )


def _decision(
    invite: Invite,
    policy: Policy,
    content: ContentReport,
    action: Action,
    rule: str | None,
    reasons: tuple[str, ...],
    *,
    cost: float,
    organizer: str,
    focus_conflict: bool = False,
    message: str | None = None,
    alternatives: tuple[Interval, ...] = (),
    escalation: bool = False,
    skipped: bool = False,
) -> Decision:
    return Decision(
        uid=invite.uid,
        recurrence_id=invite.recurrence_id,
        summary=invite.summary,
        start=invite.start,
        end=invite.end,
        action=action,
        rule=rule,
        reasons=reasons,
        has_agenda=content.has_agenda,
        has_preread=content.has_preread,
        focus_conflict=focus_conflict,
        cost=cost,
        currency=policy.settings.currency,
        message=message,
        alternatives=alternatives,
        escalation=escalation,
        skipped=skipped,
        source_id=invite.source_id,
        organizer=organizer,
    )
