"""What carrying out a decision means on the calendar, given what Gatekeeper did before.

Pure functions over plain values: the decided action, the account's mode, the answer
Gatekeeper itself last gave on the event (read back from the decision log's outcomes) and
the person's answer on the calendar now. Outcomes are short phrases whose head ("declined",
"decline withdrawn" ...) says which answer Gatekeeper left on the calendar, so the log alone
tells a later run what is ours.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gatekeeper.domain import Action, Attendee, Invite, Mode

NEEDS_ACTION = "needsAction"
_TARGETS = {Action.DECLINE: "declined", Action.TENTATIVE: "tentative", Action.ACCEPT: "accepted"}
_LABELS = {"declined": "declined", "tentative": "answered tentative", "accepted": "accepted"}
_WITHDRAWN = {"declined": "decline withdrawn", "tentative": "tentative withdrawn"}

# The head of an outcome -> the answer Gatekeeper left on the calendar.
ANSWER_HEADS = {
    "declined": "declined",
    "answered tentative": "tentative",
    "accepted": "accepted",
    "still declined": "declined",
    "still answered tentative": "tentative",
    "still accepted": "accepted",
    "decline withdrawn": NEEDS_ACTION,
    "tentative withdrawn": NEEDS_ACTION,
}
DRY_RUN_OUTCOME = "recorded only (dry-run)"
NOTHING_OUTCOME = "nothing to do"
SUPERSEDED_OUTCOME = "not carried out: a newer version of the event was screened since"


def outcome_head(outcome: str) -> str:
    """Return the leading phrase of an outcome ("declined" of "declined (already ...)")."""
    return outcome.split(" (", 1)[0].split(":", 1)[0].split(";", 1)[0].strip()


def answer_of(outcome: str | None) -> str | None:
    """Return the answer an outcome left on the calendar, or None when it answered nothing."""
    if not outcome:
        return None
    return ANSWER_HEADS.get(outcome_head(outcome))


@dataclass(frozen=True)
class Step:
    """What to do on the calendar for one decision, and the outcome to log once done."""

    outcome: str
    response: str | None = None  # the answer to send; None: send nothing
    comment: str | None = None  # the comment on the person's own attendee entry
    flag: bool = False  # mark the person's copy as flagged

    @property
    def acts(self) -> bool:
        """Return True when the calendar must be changed."""
        return self.response is not None or self.flag


def plan(
    action: Action,
    mode: Mode,
    message: str | None,
    *,
    ours: str | None,
    current: str | None,
) -> Step:
    """Return the step for a decision.

    ``ours`` is the answer Gatekeeper last left on the event (None: never answered it);
    ``current`` is the person's answer on the calendar now (None: not a guest).
    """
    if mode is Mode.DRY_RUN:
        return Step(DRY_RUN_OUTCOME)
    if mode is Mode.FLAG:
        if action in (Action.DECLINE, Action.TENTATIVE, Action.FLAG):
            return Step("flagged (flag mode: declines become flags)", flag=True)
        return Step(NOTHING_OUTCOME)
    target = _TARGETS.get(action)
    if target is None:
        if ours in _WITHDRAWN and current == ours:
            flagged = action is Action.FLAG
            outcome = _WITHDRAWN[ours] + ("; flagged" if flagged else "")
            return Step(outcome, response=NEEDS_ACTION, comment=None, flag=flagged)
        if action is Action.FLAG:
            return Step("flagged", flag=True)
        return Step(NOTHING_OUTCOME)
    label = _LABELS[target]
    if current is None:
        return Step("not carried out: you are no longer on the guest list")
    if current == target:
        if ours == target:
            return Step(f"still {label} (no second reply)")
        return Step(f"{label} (the answer was already on the calendar)")
    if ours is not None and current != ours:
        return Step(f"not carried out: you changed the answer to {current} yourself")
    if ours is None and current != NEEDS_ACTION:
        return Step(f"not carried out: you already answered {current}")
    return Step(label, response=target, comment=message)


def hands_off_reason(ours: str | None, current: str | None) -> str | None:
    """Return why an event is never touched again, or None.

    That is when the person changed the answer Gatekeeper gave: their word wins.
    """
    if ours is not None and current is not None and current != ours:
        return f"not acted on: you changed the answer Gatekeeper gave ({ours} → {current})"
    return None


def as_unanswered(invite: Invite, email: str) -> Invite:
    """Return the invite with ``email``'s answer reset, to screen it again after a change."""
    me = email.strip().lower()
    attendees = tuple(
        dataclasses.replace(person, response=NEEDS_ACTION) if person.email.lower() == me else person
        for person in invite.attendees
    )
    return dataclasses.replace(invite, attendees=attendees)


def person_name(invite: Invite, email: str) -> str | None:
    """Return the person's display name from their own attendee entry, if any."""
    entry: Attendee | None = invite.attendee(email)
    return entry.name if entry is not None else None
