"""Accounts: connecting Google grants, disconnecting them, and the encryption of their tokens."""

from __future__ import annotations

from gatekeeper.accounts.keyring import TokenKeyring, parse_keys
from gatekeeper.accounts.service import (
    Connected,
    Rotation,
    connect_google,
    disconnect,
    rotate_tokens,
)

__all__ = [
    "Connected",
    "Rotation",
    "TokenKeyring",
    "connect_google",
    "disconnect",
    "parse_keys",
    "rotate_tokens",
]
