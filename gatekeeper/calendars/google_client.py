"""The google-api-python-client service for one account, with retries and error mapping."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import google_auth_httplib2  # type: ignore[import-untyped]
import httplib2  # type: ignore[import-untyped]
from googleapiclient.discovery import build

from gatekeeper.calendars.google_retry import RetryPolicy, call
from gatekeeper.calendars.google_tokens import (
    AccessTokenCache,
    SharedCredentials,
    grant_fingerprint,
)

GOOGLE_API_BASE_URL = "https://www.googleapis.com"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
# Read and answer events (list, patch, watch) and read colleagues' free/busy.
SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
)
_API_PATH = "/calendar/v3/"


def api_endpoint(base_url: str) -> str:
    """Return the client's api_endpoint for a base URL (requests go to <base>/calendar/v3/).

    The client's api_endpoint replaces the discovery document's rootUrl + servicePath
    (``https://www.googleapis.com/`` + ``calendar/v3/``) as a whole.
    """
    base = base_url.rstrip("/")
    if base.endswith(_API_PATH.rstrip("/")):
        return base + "/"
    return base + _API_PATH


def rfc3339(moment: datetime) -> str:
    """Return an aware datetime as the RFC 3339 UTC time Google's parameters take."""
    if moment.tzinfo is None:
        raise ValueError("times sent to Google must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class GoogleClient:
    """The Calendar API v3 service of one account; access tokens refresh at ``token_uri``.

    Not shared across threads: httplib2 connections are not thread-safe.
    """

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
        self.credentials = SharedCredentials(
            token=None,
            refresh_token=refresh_token,
            token_uri=token_uri or GOOGLE_TOKEN_URI,
            client_id=client_id,
            client_secret=client_secret,
            scopes=list(scopes) if scopes else None,
        )
        # Names the grant in an access-token cache; a new refresh token is a new name.
        self.grant = grant_fingerprint(
            token_uri or GOOGLE_TOKEN_URI, client_id, refresh_token, scopes
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
        return f"{type(self).__name__}(account={self.account!r}, calendar_id={self.calendar_id!r})"

    def share_access_tokens(self, cache: AccessTokenCache) -> bool:
        """Take this grant's access token from ``cache`` and keep refreshed ones there.

        Returns True when a kept token was taken (no refresh needed before the first
        call). A kept token Google no longer accepts (401) is refreshed and replaced; a
        refused grant is forgotten and raises GoogleAuthError as usual.
        """
        return bool(self.credentials.share(cache, self.grant, self.account))

    def _run(self, request_fn: Callable[[], Any], what: str, *, syncing: bool = False) -> Any:
        """Execute a client request built by ``request_fn`` with retries and error mapping."""
        return call(
            self.retry,
            lambda: request_fn().execute(),
            what=what,
            account=self.account,
            syncing=syncing,
        )

    # Building a collection object re-reads the discovery document's methods (~3 ms); the
    # objects are stateless request factories, so each is built once per adapter.

    @functools.cached_property
    def _events_api(self) -> Any:
        return self.service.events()

    @functools.cached_property
    def _calendars_api(self) -> Any:
        return self.service.calendars()

    @functools.cached_property
    def _channels_api(self) -> Any:
        return self.service.channels()

    @functools.cached_property
    def _freebusy_api(self) -> Any:
        return self.service.freebusy()

    def _events(self) -> Any:
        return self._events_api

    def get_event(self, event_id: str) -> dict[str, Any]:
        """Return one event (or instance) as this calendar sees it."""
        answer: dict[str, Any] = self._run(
            lambda: self._events().get(calendarId=self.calendar_id, eventId=event_id),
            f"reading event {event_id}",
        )
        return answer

    def time_zone(self) -> str:
        """Return the calendar's IANA time zone (read once)."""
        if self._time_zone is None:
            answer = self._run(
                lambda: self._calendars_api.get(calendarId=self.calendar_id),
                "reading the calendar",
            )
            self._time_zone = str(answer.get("timeZone") or "UTC")
        return self._time_zone
