"""What one sync run did, for logs, the command line and tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class SyncReport:
    """Counts of one account's sync run; ``skipped`` says why nothing was done."""

    account_id: int
    email: str = ""
    skipped: str | None = None
    full: bool = False  # every event was listed (first sync, --full, or after a 410)
    resynced: bool = False  # Google refused the stored sync token (410)
    changed: int = 0  # events listed as changed (cancelled ones included)
    screened: int = 0  # decisions made on new versions of events
    recorded: int = 0  # decisions written to the decision log
    answered: int = 0  # answers sent (decline, tentative, accept, withdrawal)
    flagged: int = 0
    resumed: int = 0  # decisions left over by an interrupted run, settled now

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (a job's result)."""
        return asdict(self)

    def summary(self) -> str:
        """Return one line for people."""
        who = self.email or f"account {self.account_id}"
        if self.skipped:
            return f"{who}: skipped ({self.skipped})"
        kind = "full sync" + (" after the sync token expired" if self.resynced else "")
        parts = [
            kind if self.full else "incremental sync",
            f"{self.changed} changed",
            f"{self.recorded} logged",
            f"{self.answered} answered",
            f"{self.flagged} flagged",
        ]
        if self.resumed:
            parts.append(f"{self.resumed} resumed")
        return f"{who}: " + ", ".join(parts)
