"""Changes Gatekeeper makes: answering invites, and the account's own events (focus blocks)."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from gatekeeper.calendars.google_client import GoogleClient
from gatekeeper.calendars.google_errors import (
    EventChanged,
    EventNotFound,
    GoogleError,
    RespondRefused,
)
from gatekeeper.calendars.google_retry import call

RESPONSES = frozenset({"needsAction", "accepted", "declined", "tentative"})
_RESPOND_TRIES = 3  # fetch-and-patch rounds when another answer lands in between


class CalendarWrites(GoogleClient):
    """Answers to invites and the account's own events."""

    # -- answering invites -----------------------------------------------------------------

    def respond(
        self,
        event_id: str,
        email: str,
        response_status: str,
        comment: str | None = None,
        *,
        etag: str | None = None,
        event: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Set ``email``'s own answer to an invite (or one instance); return the event.

        Only the person's own attendee entry changes (``comment`` None removes the comment);
        the whole attendees array is sent back as read, guarded by its etag. With ``etag``
        (the version that was screened) a changed event raises EventChanged instead.
        ``event`` is the event as the caller just read it: it saves the read before the
        first try (its etag still guards the write). Answering as the organizer, or for
        someone not invited, raises RespondRefused.
        """
        if response_status not in RESPONSES:
            raise ValueError(f"unknown response status {response_status!r}")
        me = email.strip().lower()
        known = _complete_copy(event, event_id)
        for attempt in range(1, _RESPOND_TRIES + 1):
            current = known if known is not None else self.get_event(event_id)
            known = None  # a retry means the copy we had is stale: read it again
            if etag is not None and current.get("etag") != etag:
                raise EventChanged(
                    f"Google Calendar of {self.account}: event {event_id} changed since it "
                    "was screened"
                )
            attendees = _with_own_answer(current, me, response_status, comment, self.account)
            request = self._events().patch(
                calendarId=self.calendar_id,
                eventId=event_id,
                body={"attendees": attendees},
                sendUpdates="all",
            )
            request.headers["If-Match"] = current["etag"]
            try:
                answer: dict[str, Any] = call(
                    self.retry,
                    request.execute,
                    what=f"answering {response_status} to event {event_id}",
                    account=self.account,
                )
                return answer
            except EventChanged:
                if etag is not None or attempt == _RESPOND_TRIES:
                    raise
        raise AssertionError("unreachable")  # the loop returns or raises

    # -- own events (focus blocks) ---------------------------------------------------------

    def insert_event(
        self, body: Mapping[str, Any], *, send_updates: str = "none"
    ) -> dict[str, Any]:
        """Create an event on this calendar; return it."""
        answer: dict[str, Any] = self._run(
            lambda: self._events().insert(
                calendarId=self.calendar_id, body=dict(body), sendUpdates=send_updates
            ),
            "creating an event",
        )
        return answer

    def patch_event(
        self,
        event_id: str,
        body: Mapping[str, Any],
        *,
        etag: str | None = None,
        send_updates: str = "none",
    ) -> dict[str, Any]:
        """Patch one of the account's own events (arrays in ``body`` replace whole arrays)."""

        def request() -> Any:
            built = self._events().patch(
                calendarId=self.calendar_id,
                eventId=event_id,
                body=dict(body),
                sendUpdates=send_updates,
            )
            if etag:
                built.headers["If-Match"] = etag
            return built

        answer: dict[str, Any] = self._run(request, f"changing event {event_id}")
        return answer

    def delete_event(self, event_id: str, *, send_updates: str = "none") -> None:
        """Delete one of the account's own events; an event already gone is fine."""
        try:
            self._run(
                lambda: self._events().delete(
                    calendarId=self.calendar_id, eventId=event_id, sendUpdates=send_updates
                ),
                f"deleting event {event_id}",
            )
        except EventNotFound:
            return

    def insert_focus_block(
        self,
        summary: str,
        start: datetime,
        end: datetime,
        *,
        time_zone: str,
        recurrence: Sequence[str] = (),
        description: str = "",
        decline_message: str | None = None,
    ) -> dict[str, Any]:
        """Create a focus block: a Google focusTime event, or a busy event where refused."""
        body: dict[str, Any] = {
            "summary": summary,
            "description": description,
            "start": {"dateTime": start.isoformat(), "timeZone": time_zone},
            "end": {"dateTime": end.isoformat(), "timeZone": time_zone},
            "transparency": "opaque",
        }
        if recurrence:
            body["recurrence"] = list(recurrence)
        focus = copy.deepcopy(body)
        focus["eventType"] = "focusTime"
        focus["focusTimeProperties"] = {
            "autoDeclineMode": "declineOnlyNewConflictingInvitations",
            "chatStatus": "doNotDisturb",
            **({"declineMessage": decline_message} if decline_message else {}),
        }
        try:
            return self.insert_event(focus)
        except GoogleError as exc:
            # Focus time exists only for some Workspace accounts; Google answers 400.
            if exc.status != 400:
                raise
        return self.insert_event(body)


def _complete_copy(event: Mapping[str, Any] | None, event_id: str) -> Mapping[str, Any] | None:
    """Return a caller's copy of the event when an answer can be built on it, else None.

    A copy without an etag cannot guard the write, and one whose attendees were left out
    (``attendeesOmitted``) would drop guests: both are read again instead.
    """
    if event is None:
        return None
    if str(event.get("id", "")) != event_id:
        raise ValueError(f"the event given is {event.get('id')!r}, not {event_id!r}")
    if not event.get("etag") or event.get("attendeesOmitted"):
        return None
    return event


def _with_own_answer(
    event: Mapping[str, Any], me: str, response: str, comment: str | None, account: str
) -> list[dict[str, Any]]:
    """Return the event's attendees with only ``me``'s entry answered."""
    event_id = event.get("id", "?")
    organizer = str((event.get("organizer") or {}).get("email", "")).strip().lower()
    if organizer == me:
        raise RespondRefused(
            f"Google Calendar of {account}: {me} organizes event {event_id}; Gatekeeper never "
            "answers as the organizer"
        )
    attendees = [copy.deepcopy(dict(a)) for a in event.get("attendees") or []]
    mine = [a for a in attendees if str(a.get("email", "")).strip().lower() == me]
    if not mine:
        raise RespondRefused(
            f"Google Calendar of {account}: {me} is not among the attendees of event {event_id}"
        )
    if mine[0].get("organizer"):
        raise RespondRefused(
            f"Google Calendar of {account}: {me} organizes event {event_id}; Gatekeeper never "
            "answers as the organizer"
        )
    mine[0]["responseStatus"] = response
    if comment is None:
        mine[0].pop("comment", None)
    else:
        mine[0]["comment"] = comment
    return attendees
