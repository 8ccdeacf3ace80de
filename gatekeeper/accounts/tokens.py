"""Where sync jobs keep Google access tokens between runs: Redis, or this process.

With REDIS_URL set, jobs run in RQ work horses that share no memory, so the tokens go to
Redis, encrypted with the app's key ring (an access token is a secret too) and expiring
with the token. Without Redis, jobs run inline in the app's own process and a dictionary
does. Either way a lost or unreadable entry only costs one refresh.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from gatekeeper.calendars.google_tokens import AccessToken, AccessTokenCache
from gatekeeper.errors import ConfigError

if TYPE_CHECKING:
    from flask import Flask
    from redis import Redis

log = logging.getLogger(__name__)

EXTENSION_KEY = "gatekeeper.google_access_tokens"
KEY_PREFIX = "gatekeeper:google-access-token:"


class Cipher(Protocol):
    """Encrypts and decrypts secrets (gatekeeper.accounts.keyring.TokenKeyring)."""

    def encrypt(self, secret: str) -> bytes:
        """Return ``secret`` encrypted."""
        ...

    def decrypt(self, token: bytes) -> str:
        """Return the secret; raise ConfigError when no key opens it."""
        ...


class MemoryTokenCache:
    """Access tokens in this process (inline jobs, tests)."""

    def __init__(self) -> None:
        self._tokens: dict[str, AccessToken] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryTokenCache({len(self._tokens)} grants)"

    def get(self, grant: str) -> AccessToken | None:
        """Return the kept token of ``grant`` while it has not expired."""
        with self._lock:
            found = self._tokens.get(grant)
            if found is not None and found.expiry <= datetime.now(UTC):
                del self._tokens[grant]
                return None
            return found

    def put(self, grant: str, token: AccessToken) -> None:
        """Keep ``token`` for ``grant``."""
        with self._lock:
            self._tokens[grant] = token

    def drop(self, grant: str) -> None:
        """Forget the token of ``grant``."""
        with self._lock:
            self._tokens.pop(grant, None)


class RedisTokenCache:
    """Access tokens in Redis, encrypted, each key expiring with its token."""

    def __init__(self, connection: Redis, cipher: Cipher, prefix: str = KEY_PREFIX) -> None:
        self.connection = connection
        self.cipher = cipher
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"RedisTokenCache(prefix={self.prefix!r})"

    def get(self, grant: str) -> AccessToken | None:
        """Return the kept token of ``grant``; None when absent, unreadable or Redis is down."""
        from redis.exceptions import RedisError

        try:
            blob = self.connection.get(self.prefix + grant)
        except RedisError as exc:
            log.warning("access-token cache unavailable (%s); refreshing instead", exc)
            return None
        if blob is None:
            return None
        try:
            raw = blob.encode("latin-1") if isinstance(blob, str) else bytes(blob)
            data = json.loads(self.cipher.decrypt(raw))
            return AccessToken(str(data["token"]), datetime.fromtimestamp(data["expiry"], UTC))
        except (ConfigError, ValueError, KeyError, TypeError):
            # Written under a key no longer in the ring, or by other code: refresh instead.
            log.info("access-token cache: an unreadable entry was dropped")
            self.drop(grant)
            return None

    def put(self, grant: str, token: AccessToken) -> None:
        """Keep ``token`` for ``grant`` until it expires (nothing when already expired)."""
        from redis.exceptions import RedisError

        ttl_ms = int((token.expiry - datetime.now(UTC)).total_seconds() * 1000)
        if ttl_ms <= 0:
            return
        payload = json.dumps({"token": token.token, "expiry": token.expiry.timestamp()})
        try:
            self.connection.set(self.prefix + grant, self.cipher.encrypt(payload), px=ttl_ms)
        except RedisError as exc:
            log.warning("access-token cache unavailable (%s); token not kept", exc)

    def drop(self, grant: str) -> None:
        """Forget the token of ``grant``."""
        from redis.exceptions import RedisError

        try:
            self.connection.delete(self.prefix + grant)
        except RedisError as exc:
            log.warning("access-token cache unavailable (%s); entry not dropped", exc)


def token_cache_for(app: Flask) -> AccessTokenCache:
    """Return the app's access-token cache: Redis when REDIS_URL is set, else in-process."""
    found: AccessTokenCache | None = app.extensions.get(EXTENSION_KEY)
    if found is not None:
        return found
    from gatekeeper import get_config, get_queue
    from gatekeeper.accounts.google import keyring_for
    from gatekeeper.jobs.queue import RedisQueue

    queue = get_queue(app)
    cache: AccessTokenCache
    if isinstance(queue, RedisQueue):
        cache = RedisTokenCache(queue.connection, keyring_for(get_config(app)))
    else:
        cache = MemoryTokenCache()
    return app.extensions.setdefault(EXTENSION_KEY, cache)  # type: ignore[no-any-return]
