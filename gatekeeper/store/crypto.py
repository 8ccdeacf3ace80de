"""Encryption of OAuth tokens at rest (Fernet, keyed by GATEKEEPER_ENCRYPTION_KEY)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from gatekeeper.errors import ConfigError


class TokenCipher:
    """Encrypt and decrypt secrets stored in the database."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def __repr__(self) -> str:
        return "TokenCipher(***)"

    def encrypt(self, secret: str) -> bytes:
        """Return the encrypted form of ``secret``."""
        return self._fernet.encrypt(secret.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        """Return the secret; a token made with another key is a configuration error."""
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise ConfigError(
                "a stored token cannot be decrypted: GATEKEEPER_ENCRYPTION_KEY (or "
                "instance/encryption.key) is not the key it was encrypted with"
            ) from None
