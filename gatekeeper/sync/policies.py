"""The policy a sync run screens with: the rules directory's, in the person's time zone."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gatekeeper.errors import ConfigError, RulesError
from gatekeeper.screening.policy import DEFAULT_RULES_DIR, Policy, load_policy

_SUFFIXES = (".yaml", ".yml")

Stamp = tuple[tuple[str, int, int], ...]


def _stamp(directory: Path) -> Stamp:
    """Return (name, mtime, size) of each rules file, so an edited file is read again."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return ()
    found = []
    for entry in entries:
        if entry.name.endswith(_SUFFIXES) and entry.is_file():
            info = entry.stat()
            found.append((entry.name, info.st_mtime_ns, info.st_size))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _load(directory: str, stamp: Stamp) -> Policy:
    try:
        return load_policy(directory)
    except RulesError as exc:
        raise ConfigError(
            f"GATEKEEPER_RULES_DIR={directory}: the rules are invalid "
            f"(check them with `python -m gatekeeper rules check {directory}`):\n{exc}"
        ) from None


def base_policy(rules_dir: Path) -> Policy:
    """Return the policy of ``rules_dir`` (the shipped one for the default directory)."""
    resolved = rules_dir.resolve()
    if resolved == DEFAULT_RULES_DIR.resolve():
        return Policy.default()
    return _load(str(resolved), _stamp(resolved))


def valid_zone(*candidates: str | None) -> str:
    """Return the first candidate that names a known IANA time zone (else UTC)."""
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def policy_for(rules_dir: Path, timezone: str) -> Policy:
    """Return the policy for a person in ``timezone``."""
    return base_policy(rules_dir).with_timezone(timezone)
