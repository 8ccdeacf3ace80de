"""Google Calendar adapter: google-api-python-client with static discovery and OAuth refresh.

One ``GoogleCalendar`` per account and per thread (httplib2 connections are not shared
across threads). Access tokens are refreshed at ``token_uri`` from the refresh token, or
taken from an access-token cache shared between adapters (``share_access_tokens``); no
token is ever logged or put in an error message.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from gatekeeper.calendars.google_client import (
    GOOGLE_API_BASE_URL,
    GOOGLE_TOKEN_URI,
    SCOPES,
    api_endpoint,
    rfc3339,
)
from gatekeeper.calendars.google_errors import (
    EventChanged,
    EventNotFound,
    GoogleAuthError,
    GoogleError,
    RespondRefused,
    SyncTokenInvalid,
)
from gatekeeper.calendars.google_events import is_cancelled, to_invite
from gatekeeper.calendars.google_retry import RetryPolicy
from gatekeeper.calendars.google_writes import RESPONSES, CalendarWrites
from gatekeeper.domain import Interval, Invite
from gatekeeper.errors import CalendarError

__all__ = [
    "GOOGLE_API_BASE_URL",
    "GOOGLE_TOKEN_URI",
    "RESPONSES",
    "SCOPES",
    "ChannelInfo",
    "EventChanged",
    "EventNotFound",
    "GoogleAuthError",
    "GoogleCalendar",
    "GoogleError",
    "RespondRefused",
    "RetryPolicy",
    "SyncResult",
    "SyncTokenInvalid",
    "api_endpoint",
    "is_cancelled",
    "to_invite",
]


@dataclass(frozen=True)
class SyncResult:
    """One complete events.list run: every page's items and the token for the next run."""

    events: list[dict[str, Any]]
    next_sync_token: str
    time_zone: str  # the calendar's zone (all-day dates are read in it)
    full: bool  # True for a full sync (no sync token was given)

    def invites(self, owner_email: str) -> list[Invite]:
        """Return the events that are not cancelled, as Invites."""
        return [
            to_invite(event, owner_email, calendar_zone=self.time_zone)
            for event in self.events
            if not is_cancelled(event)
        ]

    @property
    def cancelled_ids(self) -> list[str]:
        """Return the ids of the cancelled (or deleted) events in this run."""
        return [str(event["id"]) for event in self.events if is_cancelled(event)]


@dataclass(frozen=True)
class ChannelInfo:
    """A notification channel as Google confirmed it."""

    id: str
    resource_id: str
    resource_uri: str
    token: str | None
    expiration: datetime | None


class GoogleCalendar(CalendarWrites):
    """One account's primary Google calendar: sync, instances, free/busy, answers, channels."""

    # -- reading ---------------------------------------------------------------------------

    def list_changes(
        self,
        sync_token: str | None,
        *,
        time_min: datetime | None = None,
        single_events: bool = False,
        page_size: int = 250,
    ) -> SyncResult:
        """Return every event changed since ``sync_token`` (all events when None), all pages.

        A full sync starts at ``time_min`` when given. Raises SyncTokenInvalid when Google
        answers 410: drop the token and run a full sync.
        """
        params: dict[str, Any] = {
            "calendarId": self.calendar_id,
            "maxResults": page_size,
            "singleEvents": single_events,
        }
        if sync_token:
            params["syncToken"] = sync_token
        elif time_min is not None:
            params["timeMin"] = rfc3339(time_min)
        events, last = self._list_pages(params, "listing events", syncing=bool(sync_token))
        token = last.get("nextSyncToken")
        if not token:
            raise CalendarError(
                f"Google Calendar of {self.account}: the last page of events carried no "
                "nextSyncToken"
            )
        return SyncResult(events, str(token), self._time_zone or "UTC", full=not sync_token)

    def list_events(
        self, what: str = "listing events", *, page_size: int = 2500, **query: Any
    ) -> list[dict[str, Any]]:
        """Return the items of one events.list query, all pages.

        ``query`` takes Google's parameter names (``timeMin``, ``singleEvents``,
        ``privateExtendedProperty`` ...); ``what`` names the listing in errors.
        """
        params = {"calendarId": self.calendar_id, "maxResults": page_size, **query}
        return self._list_pages(params, what)[0]

    def list_window(
        self, start: datetime, end: datetime, *, page_size: int = 2500
    ) -> list[dict[str, Any]]:
        """Return every occurrence overlapping [start, end) (series expanded), all pages."""
        return self.list_events(
            "listing events in a window",
            page_size=page_size,
            timeMin=rfc3339(start),
            timeMax=rfc3339(end),
            singleEvents=True,
        )

    def _list_pages(
        self, params: dict[str, Any], what: str, *, syncing: bool = False
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Run events.list over every page; return the items and the last page's answer."""
        events: list[dict[str, Any]] = []
        page_token: str | None = None
        pages = 0
        while True:
            pages += 1
            page_params = dict(params, pageToken=page_token) if page_token else params
            answer: dict[str, Any] = self._run(
                functools.partial(self._events().list, **page_params),
                f"{what} (page {pages})",
                syncing=syncing,
            )
            events.extend(answer.get("items") or [])
            if answer.get("timeZone"):
                self._time_zone = str(answer["timeZone"])
            page_token = answer.get("nextPageToken")
            if not page_token:
                return events, answer

    def instances(
        self, event_id: str, time_min: datetime, time_max: datetime
    ) -> list[dict[str, Any]]:
        """Return the occurrences of series ``event_id`` within [time_min, time_max)."""
        found: list[dict[str, Any]] = []
        page_token: str | None = None
        while True:
            params: dict[str, Any] = {
                "calendarId": self.calendar_id,
                "eventId": event_id,
                "timeMin": rfc3339(time_min),
                "timeMax": rfc3339(time_max),
            }
            if page_token:
                params["pageToken"] = page_token
            answer = self._run(
                functools.partial(self._events().instances, **params),
                f"listing the instances of {event_id}",
            )
            found.extend(answer.get("items") or [])
            page_token = answer.get("nextPageToken")
            if not page_token:
                return found

    def free_busy(
        self, emails: Iterable[str], start: datetime, end: datetime
    ) -> dict[str, tuple[Interval, ...] | None]:
        """Return each person's busy times in [start, end); None when Google will not say."""
        wanted = [e.strip().lower() for e in emails]
        body = {
            "timeMin": rfc3339(start),
            "timeMax": rfc3339(end),
            "items": [{"id": e} for e in wanted],
        }
        answer = self._run(lambda: self._freebusy_api.query(body=body), "reading free/busy")
        calendars: Mapping[str, Any] = answer.get("calendars") or {}
        out: dict[str, tuple[Interval, ...] | None] = {}
        for email in wanted:
            entry = calendars.get(email)
            if not isinstance(entry, Mapping) or entry.get("errors"):
                out[email] = None
                continue
            out[email] = tuple(
                Interval(_parse_time(span["start"]), _parse_time(span["end"]), "busy")
                for span in entry.get("busy") or []
            )
        return out

    # -- push notifications ----------------------------------------------------------------

    def watch(
        self, channel_id: str, token: str | None, address: str, ttl: timedelta
    ) -> ChannelInfo:
        """Ask Google to POST change notifications for this calendar's events to ``address``."""
        body: dict[str, Any] = {
            "id": channel_id,
            "type": "web_hook",
            "address": address,
            "params": {"ttl": str(int(ttl.total_seconds()))},
        }
        if token is not None:
            body["token"] = token
        answer = self._run(
            lambda: self._events().watch(calendarId=self.calendar_id, body=body),
            f"watching events (channel {channel_id})",
        )
        expiration = answer.get("expiration")
        return ChannelInfo(
            id=str(answer.get("id", channel_id)),
            resource_id=str(answer["resourceId"]),
            resource_uri=str(answer.get("resourceUri", "")),
            token=answer.get("token"),
            expiration=datetime.fromtimestamp(int(expiration) / 1000, UTC) if expiration else None,
        )

    def stop_channel(self, channel_id: str, resource_id: str) -> bool:
        """Stop a channel; return False when Google no longer knew it (expired or stopped)."""
        try:
            self._run(
                lambda: self._channels_api.stop(body={"id": channel_id, "resourceId": resource_id}),
                f"stopping channel {channel_id}",
            )
        except EventNotFound:
            return False
        return True


def _parse_time(raw: Any) -> datetime:
    text = str(raw).strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        raise CalendarError(f"Google free/busy answered an unreadable time {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
