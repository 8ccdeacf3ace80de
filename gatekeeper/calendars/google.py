"""Google Calendar adapter: google-api-python-client with static discovery and OAuth refresh.

One ``GoogleCalendar`` per account and per thread (httplib2 connections are not shared
across threads). Access tokens are refreshed at ``token_uri`` from the refresh token; no
token is ever logged or put in an error message.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import google_auth_httplib2  # type: ignore[import-untyped]
import httplib2  # type: ignore[import-untyped]
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build

from gatekeeper.calendars.google_errors import (
    EventChanged,
    EventNotFound,
    GoogleAuthError,
    GoogleError,
    RespondRefused,
    SyncTokenInvalid,
)
from gatekeeper.calendars.google_events import is_cancelled, to_invite
from gatekeeper.calendars.google_retry import RetryPolicy, call
from gatekeeper.domain import Interval, Invite
from gatekeeper.errors import CalendarError

__all__ = [
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
    "is_cancelled",
    "to_invite",
]

GOOGLE_API_BASE_URL = "https://www.googleapis.com"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
# Read and answer events (list, patch, watch) and read colleagues' free/busy.
SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
)
RESPONSES = frozenset({"needsAction", "accepted", "declined", "tentative"})
_API_PATH = "/calendar/v3/"
_RESPOND_TRIES = 3  # fetch-and-patch rounds when another answer lands in between


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


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times sent to Google must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def api_endpoint(base_url: str) -> str:
    """Return the client's api_endpoint for a base URL (requests go to <base>/calendar/v3/)."""
    base = base_url.rstrip("/")
    if base.endswith(_API_PATH.rstrip("/")):
        return base + "/"
    return base + _API_PATH


class GoogleCalendar:
    """One account's primary Google calendar."""

    def __init__(
        self,
        *,
        account: str,
        refresh_token: str,
        client_id: str,
        client_secret: str,
        api_base_url: str | None = None,
        token_uri: str | None = None,
        calendar_id: str = "primary",
        scopes: Sequence[str] | None = SCOPES,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.account = account.strip().lower()
        self.calendar_id = calendar_id
        self.retry = retry or RetryPolicy()
        self.credentials = Credentials(  # type: ignore[no-untyped-call]
            token=None,
            refresh_token=refresh_token,
            token_uri=token_uri or GOOGLE_TOKEN_URI,
            client_id=client_id,
            client_secret=client_secret,
            scopes=list(scopes) if scopes else None,
        )
        # Our own Http gives a timeout; the client's own default is 60 s per request.
        http = google_auth_httplib2.AuthorizedHttp(
            self.credentials, http=httplib2.Http(timeout=timeout)
        )
        self.service = build(
            "calendar",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": api_endpoint(api_base_url or GOOGLE_API_BASE_URL)},
        )
        self._time_zone: str | None = None

    def __repr__(self) -> str:
        return f"GoogleCalendar(account={self.account!r}, calendar_id={self.calendar_id!r})"

    def _run(self, request_fn: Callable[[], Any], what: str, *, syncing: bool = False) -> Any:
        """Execute a client request built by ``request_fn`` with retries and error mapping."""
        return call(
            self.retry,
            lambda: request_fn().execute(),
            what=what,
            account=self.account,
            syncing=syncing,
        )

    def _events(self) -> Any:
        return self.service.events()

    # -- reading ---------------------------------------------------------------------------

    def time_zone(self) -> str:
        """Return the calendar's IANA time zone (read once)."""
        if self._time_zone is None:
            answer = self._run(
                lambda: self.service.calendars().get(calendarId=self.calendar_id),
                "reading the calendar",
            )
            self._time_zone = str(answer.get("timeZone") or "UTC")
        return self._time_zone

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
            params["timeMin"] = _rfc3339(time_min)
        events: list[dict[str, Any]] = []
        page_token: str | None = None
        pages = 0
        while True:
            pages += 1
            page_params = dict(params, pageToken=page_token) if page_token else params
            answer = self._run(
                functools.partial(self._events().list, **page_params),
                f"listing events (page {pages})",
                syncing=bool(sync_token),
            )
            events.extend(answer.get("items") or [])
            if answer.get("timeZone"):
                self._time_zone = str(answer["timeZone"])
            page_token = answer.get("nextPageToken")
            if not page_token:
                break
        token = answer.get("nextSyncToken")
        if not token:
            raise CalendarError(
                f"Google Calendar of {self.account}: the last page of events carried no "
                "nextSyncToken"
            )
        return SyncResult(events, str(token), self._time_zone or "UTC", full=not sync_token)

    def get_event(self, event_id: str) -> dict[str, Any]:
        """Return one event (or instance) as this calendar sees it."""
        answer: dict[str, Any] = self._run(
            lambda: self._events().get(calendarId=self.calendar_id, eventId=event_id),
            f"reading event {event_id}",
        )
        return answer

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
                "timeMin": _rfc3339(time_min),
                "timeMax": _rfc3339(time_max),
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
            "timeMin": _rfc3339(start),
            "timeMax": _rfc3339(end),
            "items": [{"id": e} for e in wanted],
        }
        answer = self._run(lambda: self.service.freebusy().query(body=body), "reading free/busy")
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

    # -- answering invites -----------------------------------------------------------------

    def respond(
        self,
        event_id: str,
        email: str,
        response_status: str,
        comment: str | None = None,
        *,
        etag: str | None = None,
    ) -> dict[str, Any]:
        """Set ``email``'s own answer to an invite (or one instance); return the event.

        Only the person's own attendee entry changes (``comment`` None removes the comment);
        the whole attendees array is sent back as read, guarded by its etag. With ``etag``
        (the version that was screened) a changed event raises EventChanged instead.
        Answering as the organizer, or for someone not invited, raises RespondRefused.
        """
        if response_status not in RESPONSES:
            raise ValueError(f"unknown response status {response_status!r}")
        me = email.strip().lower()
        for attempt in range(1, _RESPOND_TRIES + 1):
            event = self.get_event(event_id)
            if etag is not None and event.get("etag") != etag:
                raise EventChanged(
                    f"Google Calendar of {self.account}: event {event_id} changed since it "
                    "was screened"
                )
            attendees = _with_own_answer(event, me, response_status, comment, self.account)
            request = self._events().patch(
                calendarId=self.calendar_id,
                eventId=event_id,
                body={"attendees": attendees},
                sendUpdates="all",
            )
            request.headers["If-Match"] = event["etag"]
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
                lambda: self.service.channels().stop(
                    body={"id": channel_id, "resourceId": resource_id}
                ),
                f"stopping channel {channel_id}",
            )
        except EventNotFound:
            return False
        return True


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


def _parse_time(raw: Any) -> datetime:
    text = str(raw).strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        raise CalendarError(f"Google free/busy answered an unreadable time {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
