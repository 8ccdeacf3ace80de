"""Carry out a planned step on the person's Google calendar and say how it went."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gatekeeper.calendars.google_errors import (
    RATE_LIMIT_REASONS,
    EventChanged,
    EventNotFound,
    GoogleAuthError,
    GoogleError,
    RespondRefused,
)
from gatekeeper.sync.plan import Step

if TYPE_CHECKING:
    from gatekeeper.calendars.google import GoogleCalendar

log = logging.getLogger(__name__)

FLAG_PROPERTY = "gatekeeper"
FLAG_VALUE = "flagged"


@dataclass
class Actor:
    """Answers invites and marks flags on one calendar, for one sync run."""

    calendar: GoogleCalendar
    email: str
    marks_refused: bool = False  # Google refused a flag mark once: log the rest only
    sent: list[tuple[str, str]] = field(default_factory=list)  # (event id, answer) sent

    def carry_out(
        self,
        event_id: str,
        step: Step,
        *,
        etag: str | None = None,
        event: Mapping[str, Any] | None = None,
    ) -> str:
        """Do ``step`` on event ``event_id``; return the outcome to log.

        With ``etag`` (the version that was screened) a changed event raises EventChanged
        and nothing is sent; ``event`` (the copy just read) spares reading it again.
        Refusals that retrying cannot fix become an outcome; failures
        that may pass (quota, 5xx, network) are raised for the job to be retried.
        """
        outcome = step.outcome
        if step.response is not None:
            try:
                self.calendar.respond(
                    event_id, self.email, step.response, step.comment, etag=etag, event=event
                )
            except RespondRefused as exc:
                return f"not carried out: {_detail(exc)}"
            except EventNotFound:
                return "not carried out: the event is no longer on the calendar"
            except GoogleError as exc:
                if not is_permanent(exc):
                    raise
                log.warning("%s: answer to event %s refused: %s", self.email, event_id, exc)
                return f"not carried out: {_detail(exc)}"
            self.sent.append((event_id, step.response))
            log.info("%s: answered %s to event %s", self.email, step.response, event_id)
        if step.flag:
            outcome += self._mark_flagged(event_id)
        return outcome

    def _mark_flagged(self, event_id: str) -> str:
        """Mark the person's own copy; return the note to append to the outcome."""
        if self.marks_refused:
            return " (logged only)"
        body = {"extendedProperties": {"private": {FLAG_PROPERTY: FLAG_VALUE}}}
        try:
            self.calendar.patch_event(event_id, body)
        except EventNotFound:
            return " (logged only: the event is no longer on the calendar)"
        except GoogleError as exc:
            if exc.status not in (400, 403) or exc.reason in RATE_LIMIT_REASONS:
                raise
            # Google documents private properties as per-copy, but a calendar may refuse
            # them on an invite someone else organizes; the decision log still has the flag.
            self.marks_refused = True
            log.info("%s: flag not marked on event %s: %s", self.email, event_id, exc)
            return " (logged only: the calendar refused the mark)"
        return " (marked on your calendar)"


def is_permanent(exc: GoogleError) -> bool:
    """Return True for a refusal that trying again cannot change (a 4xx but quota and auth).

    Such a refusal closes the decision with an outcome; anything else is raised, so the
    job is retried and the decision stays open for the next run.
    """
    if isinstance(exc, (EventChanged, GoogleAuthError)) or exc.status is None:
        return False
    if exc.status == 403 and exc.reason in RATE_LIMIT_REASONS:
        return False
    return 400 <= exc.status < 500 and exc.status not in (401, 408, 429)


def _detail(exc: Exception) -> str:
    """Return the part of an adapter message after 'Google Calendar of X: '."""
    text = str(exc)
    return text.split(": ", 1)[1] if text.startswith("Google Calendar of ") else text
