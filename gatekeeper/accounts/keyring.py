"""Refresh tokens at rest: Fernet encryption under one or more keys, newest first.

GATEKEEPER_ENCRYPTION_KEY may hold several comma-separated Fernet keys. New secrets are
encrypted with the first; any of them decrypts. To rotate: put a new key in front, run
``python -m gatekeeper accounts rotate-keys`` (re-encrypts every stored token with it),
then drop the old key.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from gatekeeper.errors import ConfigError

SOURCE = "GATEKEEPER_ENCRYPTION_KEY"


def parse_keys(text: str | bytes, source: str = SOURCE) -> list[Fernet]:
    """Return one Fernet per comma-separated key; raise ConfigError naming a bad one."""
    raw = text.decode("ascii", "replace") if isinstance(text, bytes) else text
    parts = [part.strip() for part in raw.split(",")]
    keys = [part for part in parts if part]
    if not keys:
        raise ConfigError(f"{source} holds no key")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            where = f"key {position} of {len(keys)}" if len(keys) > 1 else "the key"
            raise ConfigError(
                f"{source}: {where} is not a valid Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return fernets


class TokenKeyring:
    """Encrypt with the newest key; decrypt with any key of the ring."""

    def __init__(self, keys: str | bytes | Sequence[Fernet], source: str = SOURCE) -> None:
        fernets = parse_keys(keys, source) if isinstance(keys, str | bytes) else list(keys)
        if not fernets:
            raise ConfigError(f"{source} holds no key")
        self.source = source
        self._newest = fernets[0]
        self._ring = MultiFernet(fernets)
        self.size = len(fernets)

    def __repr__(self) -> str:
        return f"TokenKeyring({self.size} key{'s' * (self.size != 1)})"

    def encrypt(self, secret: str) -> bytes:
        """Return ``secret`` encrypted with the newest key."""
        return self._ring.encrypt(secret.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        """Return the secret; raise ConfigError when no key of the ring opens it."""
        try:
            return self._ring.decrypt(bytes(token)).decode("utf-8")
        except InvalidToken:
            raise ConfigError(
                f"a stored token cannot be decrypted: {self.source} (or instance/encryption.key) "
                "holds none of the keys it was encrypted with"
            ) from None

    def is_current(self, token: bytes) -> bool:
        """Return True when the newest key already opens ``token``."""
        try:
            self._newest.decrypt(bytes(token))
        except InvalidToken:
            return False
        return True

    def rotate(self, token: bytes) -> bytes:
        """Return ``token`` re-encrypted with the newest key; ConfigError when unreadable."""
        try:
            return self._ring.rotate(bytes(token))
        except InvalidToken:
            raise ConfigError(
                f"a stored token cannot be re-encrypted: no key of {self.source} opens it"
            ) from None
