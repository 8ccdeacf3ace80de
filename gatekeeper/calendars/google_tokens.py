"""Access tokens shared between the adapters of one grant, so a job need not refresh again.

A refresh is a round trip to Google's token endpoint. An access token lives about an hour,
so adapters built for successive jobs (in other processes too) can use the one the last
refresh gave, kept in an ``AccessTokenCache``: Google answers 401 when a kept token is no
longer good, the client refreshes and retries once, and the new token replaces the old.
Tokens are secrets: they are never logged and never part of a ``repr``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials

log = logging.getLogger(__name__)

# google-auth refreshes a token this close to its expiry (REFRESH_THRESHOLD is 3 min 45 s);
# a kept token with less time left than this is not worth handing out.
FRESH_FOR_AT_LEAST = timedelta(minutes=5)


@dataclass(frozen=True)
class AccessToken:
    """An OAuth access token and the moment it expires (aware, UTC)."""

    token: str = field(repr=False)
    expiry: datetime

    def fresh(self, now: datetime | None = None) -> bool:
        """Return True when the token is good for at least FRESH_FOR_AT_LEAST more."""
        return self.expiry - (now or datetime.now(UTC)) >= FRESH_FOR_AT_LEAST


class AccessTokenCache(Protocol):
    """Where the access tokens of grants are kept between adapters (and processes).

    ``grant`` is an opaque fingerprint of one grant (see ``grant_fingerprint``). A cache
    that cannot be reached behaves as an empty one: it never fails the caller.
    """

    def get(self, grant: str) -> AccessToken | None:
        """Return the kept token of ``grant``, if any."""
        ...

    def put(self, grant: str, token: AccessToken) -> None:
        """Keep ``token`` for ``grant`` until it expires."""
        ...

    def drop(self, grant: str) -> None:
        """Forget the token of ``grant`` (its grant was refused)."""
        ...


def grant_fingerprint(
    token_uri: str, client_id: str, refresh_token: str, scopes: Sequence[str] | None
) -> str:
    """Return a stable, non-reversible name for one grant: a new grant gets a new name."""
    material = "\0".join([token_uri, client_id, refresh_token, *sorted(scopes or ())])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class SharedCredentials(Credentials):
    """User credentials that take a kept access token and keep every refreshed one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self._cache: AccessTokenCache | None = None
        self._grant = ""

    def share(self, cache: AccessTokenCache, grant: str, account: str) -> bool:
        """Keep this grant's tokens in ``cache``; return True when a kept token was taken."""
        self._cache, self._grant = cache, grant
        kept = cache.get(grant)
        if kept is None or not kept.fresh():
            return False
        self.token = kept.token
        # google-auth compares expiry with a naive UTC "now".
        self.expiry = kept.expiry.astimezone(UTC).replace(tzinfo=None)
        log.debug("Google account %s: using a kept access token", account)
        return True

    def refresh(self, request: Any) -> None:
        """Refresh at the token endpoint; keep the new token, or forget a refused grant's."""
        try:
            super().refresh(request)  # type: ignore[no-untyped-call]
        except RefreshError as exc:
            if self._cache is not None and not getattr(exc, "retryable", False):
                self._cache.drop(self._grant)
            raise
        if self._cache is not None and self.token and self.expiry is not None:
            expiry = self.expiry.replace(tzinfo=UTC)
            self._cache.put(self._grant, AccessToken(self.token, expiry))
