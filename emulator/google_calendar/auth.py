"""The OAuth token endpoint: refresh tokens registered by tests, access tokens issued here."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from emulator.google_calendar.errors import ApiError


@dataclass
class Tokens:
    """Refresh and access tokens, and which user each one belongs to."""

    lifetime: timedelta = timedelta(hours=1)
    clients: dict[str, str] = field(default_factory=dict)  # empty: any client is accepted
    refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> email
    revoked: set[str] = field(default_factory=set)
    access: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def grant(self, form: Mapping[str, str], now: datetime) -> tuple[int, dict[str, Any]]:
        """Answer a token request: (status, JSON body) as Google's endpoint does."""
        if form.get("grant_type") != "refresh_token":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "Invalid grant_type: " + form.get("grant_type", ""),
            }
        if self.clients and self.clients.get(form.get("client_id", "")) != form.get(
            "client_secret"
        ):
            return 401, {
                "error": "invalid_client",
                "error_description": "The OAuth client was not found.",
            }
        token = form.get("refresh_token", "")
        if not token:
            return 400, {
                "error": "invalid_request",
                "error_description": "Missing required parameter: refresh_token",
            }
        with self.lock:
            email = self.refresh.get(token)
            if email is None or token in self.revoked:
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                }
            access = "ya29.emu-" + secrets.token_urlsafe(24)
            self.access[access] = (email, now + self.lifetime)
        body: dict[str, Any] = {
            "access_token": access,
            "expires_in": int(self.lifetime.total_seconds()),
            "token_type": "Bearer",
        }
        if form.get("scope"):
            body["scope"] = form["scope"]
        return 200, body

    def user_for(self, header: str | None, now: datetime) -> str:
        """Return the user a bearer ``Authorization`` header stands for, or raise 401."""
        if not header or not header.lower().startswith("bearer "):
            raise ApiError.unauthorized()
        with self.lock:
            found = self.access.get(header[7:].strip())
        if found is None or found[1] <= now:
            raise ApiError.unauthorized()
        return found[0]

    def expire(self, email: str | None = None) -> None:
        """Invalidate the access tokens of ``email`` (everyone's when None)."""
        with self.lock:
            for token, (owner, _) in list(self.access.items()):
                if email is None or owner == email:
                    del self.access[token]
