"""The small tree of errors Gatekeeper raises; each says what went wrong and where."""

from __future__ import annotations

from dataclasses import dataclass


class GatekeeperError(Exception):
    """Base of every error Gatekeeper raises on purpose."""


class ConfigError(GatekeeperError):
    """The environment or settings are invalid."""


class InputError(GatekeeperError):
    """A file or payload given to Gatekeeper cannot be read (e.g. a broken .ics)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a rules file, located by file and line."""

    file: str
    line: int
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        # Line 0 means the problem is with the file or directory as a whole.
        where = f"{self.file}:{self.line}" if self.line > 0 else self.file
        return f"{where}: {self.message}"


class RulesError(GatekeeperError):
    """The YAML rules are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class CalendarError(GatekeeperError):
    """A calendar provider refused or failed a request."""


class AuthError(CalendarError):
    """The account's grant was revoked or expired; the account must reconnect."""
