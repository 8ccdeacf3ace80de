"""Errors answered in Google's JSON error shape."""

from __future__ import annotations

from typing import Any

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    410: "FAILED_PRECONDITION",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """An error answer: HTTP status, Google's reason, a message and optional headers."""

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        *,
        domain: str = "global",
        location: str | None = None,
        location_type: str = "parameter",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message
        self.domain = domain
        self.location = location
        self.location_type = location_type
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the JSON body Google sends with this error."""
        detail: dict[str, Any] = {
            "domain": self.domain,
            "reason": self.reason,
            "message": self.message,
        }
        if self.location:
            detail["locationType"] = self.location_type
            detail["location"] = self.location
        return {
            "error": {
                "errors": [detail],
                "code": self.status,
                "message": self.message,
                "status": _STATUS_NAMES.get(self.status, "UNKNOWN"),
            }
        }

    @classmethod
    def bad_request(cls, message: str, location: str | None = None) -> ApiError:
        """Return a 400 ``invalid`` error about ``location``."""
        return cls(400, "invalid", message, location=location)

    @classmethod
    def empty_range(cls, location: str) -> ApiError:
        """Return Google's 400 ``timeRangeEmpty`` for an end not after its start."""
        return cls(
            400,
            "timeRangeEmpty",
            "The specified time range is empty.",
            domain="calendar",
            location=location,
        )

    @classmethod
    def not_found(cls) -> ApiError:
        """Return Google's 404."""
        return cls(404, "notFound", "Not Found")

    @classmethod
    def unauthorized(cls) -> ApiError:
        """Return Google's 401 for a missing, unknown or expired access token."""
        return cls(
            401,
            "authError",
            "Invalid Credentials",
            location="Authorization",
            location_type="header",
            headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
        )

    @classmethod
    def non_organizer(cls, detail: str) -> ApiError:
        """Return the 403 an attendee gets for changing what only the organizer may change."""
        return cls(
            403,
            "forbiddenForNonOrganizer",
            f"Shared properties can only be changed by the organizer of the event. {detail}",
            domain="calendar",
        )

    @classmethod
    def forbidden(cls, message: str) -> ApiError:
        """Return a 403 ``forbidden``."""
        return cls(403, "forbidden", message)

    @classmethod
    def precondition_failed(cls) -> ApiError:
        """Return the 412 for an If-Match etag that no longer matches."""
        return cls(
            412,
            "conditionNotMet",
            "Precondition Failed",
            location="If-Match",
            location_type="header",
        )

    @classmethod
    def full_sync_required(cls) -> ApiError:
        """Return the 410 for a sync token that is no longer valid."""
        return cls(
            410,
            "fullSyncRequired",
            "Sync token is no longer valid, a full sync is required.",
        )
