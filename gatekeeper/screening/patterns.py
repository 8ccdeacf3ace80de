"""Address patterns for the allow-list and the ``organizer`` condition."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass

_ADDRESS_RE = re.compile(r"[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)*\Z")
_DOMAIN_RE = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+\Z")


@dataclass(frozen=True)
class AddressPatterns:
    """Addresses, @domains (subdomains included) and globs such as ``*@example.com``."""

    addresses: frozenset[str] = frozenset()
    domains: tuple[str, ...] = ()
    globs: tuple[str, ...] = ()

    @classmethod
    def of(cls, patterns: Sequence[str]) -> AddressPatterns:
        """Build from valid patterns (see ``pattern_problem``)."""
        cleaned = [pattern.strip().lower() for pattern in patterns]
        return cls(
            addresses=frozenset(p for p in cleaned if "*" not in p and not p.startswith("@")),
            domains=tuple(p[1:] for p in cleaned if p.startswith("@") and "*" not in p),
            globs=tuple(p for p in cleaned if "*" in p),
        )

    def match(self, email: str) -> bool:
        """Return True when ``email`` matches one of the patterns."""
        if not (self.addresses or self.domains or self.globs):
            return False
        email = email.strip().lower()
        if not email:
            return False
        if email in self.addresses:
            return True
        domain = email.rpartition("@")[2]
        for wanted in self.domains:
            if domain == wanted or domain.endswith("." + wanted):
                return True
        return any(fnmatch.fnmatchcase(email, glob) for glob in self.globs)


def pattern_problem(pattern: str) -> str | None:
    """Return why ``pattern`` is not an address, @domain or glob, or None when it is one."""
    text = pattern.strip().lower()
    if "*" in text or "?" in text:
        if "?" in text or "[" in text or "@" not in text:
            return f"'{pattern}' is not a valid glob; use * in an address, like *@example.com"
        return None
    if text.startswith("@"):
        if _DOMAIN_RE.match(text[1:]):
            return None
        return f"'{pattern}' is not a valid @domain, like @example.com"
    if _ADDRESS_RE.match(text):
        return None
    return f"'{pattern}' is not an address, an @domain or a glob like *@example.com"
