"""Google Calendar failures as Gatekeeper errors that say what failed and where."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any

import httplib2  # type: ignore[import-untyped]
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError

from gatekeeper.errors import AuthError, CalendarError

RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class GoogleError(CalendarError):
    """A Google Calendar call failed; ``status`` and ``reason`` say how (None: no answer)."""

    def __init__(self, message: str, *, status: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class GoogleAuthError(GoogleError, AuthError):
    """Google refused the account's credentials: the account must reconnect."""


class SyncTokenInvalid(GoogleError):
    """The stored sync token is no longer valid (410): a full sync is needed."""


class EventChanged(GoogleError):
    """The event changed since it was read (412 or a different etag): screen it again."""


class EventNotFound(GoogleError):
    """The event does not exist on this calendar (404) or was deleted (410)."""


class RespondRefused(GoogleError):
    """Gatekeeper will not answer this invite for the person (organizer, or not invited)."""


@dataclass(frozen=True)
class Failure:
    """What one failed call tells us: status, Google's reason and message, Retry-After."""

    status: int | None  # None: no HTTP answer (connection refused, timeout)
    reason: str
    message: str
    retry_after: str | None = None

    @property
    def transient(self) -> bool:
        """Return whether trying again later may succeed."""
        if self.status is None:
            return True
        if self.status == 403:
            return self.reason in RATE_LIMIT_REASONS
        return self.status in RETRYABLE_STATUSES


def _google_detail(content: bytes) -> tuple[str, str]:
    """Return (reason, message) from a Google JSON error body."""
    try:
        data: Any = json.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return "", content[:200].decode("utf-8", "replace").strip()
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return (
            str(error or ""),
            str(data.get("error_description", "")) if isinstance(data, dict) else "",
        )
    details = error.get("errors") or []
    reason = details[0].get("reason", "") if details and isinstance(details[0], dict) else ""
    return str(reason or error.get("status", "")), str(error.get("message", ""))


def failure_of(exc: BaseException) -> Failure | None:
    """Return the failure an exception stands for, or None when it is not a Google one."""
    if isinstance(exc, HttpError):
        reason, message = _google_detail(exc.content)
        headers = exc.resp if exc.resp is not None else {}
        retry_after = headers.get("retry-after") if hasattr(headers, "get") else None
        return Failure(int(exc.resp.status), reason, message or str(exc.reason), retry_after)
    if isinstance(exc, RefreshError):
        retryable = bool(getattr(exc, "retryable", False))
        return Failure(503 if retryable else 401, "refreshError", _refresh_message(exc))
    if isinstance(exc, (TransportError, httplib2.HttpLib2Error, socket.timeout, OSError)):
        return Failure(None, type(exc).__name__, str(exc) or type(exc).__name__)
    return None


def _refresh_message(exc: RefreshError) -> str:
    """Return the token endpoint's answer without anything secret in it."""
    args = exc.args
    if len(args) > 1 and isinstance(args[1], dict):
        code = args[1].get("error", "")
        text = args[1].get("error_description", "")
        return f"{code}: {text}".strip(": ")
    return str(args[0]) if args else "token refresh failed"


def as_calendar_error(
    failure: Failure, what: str, account: str, *, syncing: bool = False
) -> GoogleError:
    """Return the Gatekeeper error for a failure of ``what`` on ``account``'s calendar.

    With ``syncing`` (a list with a sync token), any 410 means the token is no longer valid.
    """
    where = f"Google Calendar of {account}"
    status = "no answer" if failure.status is None else f"HTTP {failure.status}"
    detail = f"{status} {failure.reason}: {failure.message}".replace(" : ", ": ").strip()
    if failure.reason == "refreshError" and failure.status == 401:
        return GoogleAuthError(
            f"{where}: the grant was revoked or expired while {what} ({failure.message}); "
            "the account must be reconnected",
            status=failure.status,
            reason=failure.reason,
        )
    if failure.status == 401:
        return GoogleAuthError(
            f"{where}: credentials rejected while {what} ({detail}); "
            "the account must be reconnected",
            status=failure.status,
            reason=failure.reason,
        )
    if failure.status == 410 and (syncing or failure.reason == "fullSyncRequired"):
        return SyncTokenInvalid(
            f"{where}: sync token no longer valid while {what} ({detail})",
            status=failure.status,
            reason=failure.reason,
        )
    if failure.status == 412:
        return EventChanged(
            f"{where}: the event changed while {what} ({detail})",
            status=failure.status,
            reason=failure.reason,
        )
    if failure.status in (404, 410):
        return EventNotFound(
            f"{where}: not found while {what} ({detail})",
            status=failure.status,
            reason=failure.reason,
        )
    return GoogleError(
        f"{where}: {what} failed ({detail})", status=failure.status, reason=failure.reason
    )
