"""The key ring: newest key encrypts, any key decrypts, rotation, and clear errors."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from gatekeeper.accounts.keyring import TokenKeyring, parse_keys
from gatekeeper.errors import ConfigError


def key() -> str:
    return Fernet.generate_key().decode("ascii")


def test_newest_key_encrypts_and_older_keys_still_decrypt() -> None:
    old, new = key(), key()
    before = TokenKeyring(old).encrypt("1//refresh-token")
    ring = TokenKeyring(f"{new}, {old}")
    assert ring.size == 2
    assert ring.decrypt(before) == "1//refresh-token"
    after = ring.encrypt("1//refresh-token")
    assert TokenKeyring(new).decrypt(after) == "1//refresh-token"
    with pytest.raises(ConfigError):
        TokenKeyring(old).decrypt(after)


def test_rotate_moves_a_token_to_the_newest_key() -> None:
    old, new = key(), key()
    stored = TokenKeyring(old).encrypt("secret")
    ring = TokenKeyring(f"{new},{old}")
    assert not ring.is_current(stored)
    rotated = ring.rotate(stored)
    assert ring.is_current(rotated)
    assert TokenKeyring(new).decrypt(rotated) == "secret"


def test_unknown_key_is_a_config_error_without_the_secret() -> None:
    stored = TokenKeyring(key()).encrypt("very-secret-token")
    with pytest.raises(ConfigError, match="holds none of the keys") as caught:
        TokenKeyring(key()).decrypt(stored)
    assert "very-secret-token" not in str(caught.value)
    with pytest.raises(ConfigError, match="no key of GATEKEEPER_ENCRYPTION_KEY opens it"):
        TokenKeyring(key()).rotate(stored)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "holds no key"),
        (" , ", "holds no key"),
        ("not-a-key", "GATEKEEPER_ENCRYPTION_KEY: the key is not a valid Fernet key"),
        ("{good},short", "key 2 of 2 is not a valid Fernet key"),
    ],
)
def test_bad_key_lists_are_refused_with_the_position(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_keys(text.format(good=key()))


def test_repr_shows_no_key() -> None:
    secret = key()
    assert secret not in repr(TokenKeyring(secret))
    assert repr(TokenKeyring(f"{key()},{secret}")) == "TokenKeyring(2 keys)"
