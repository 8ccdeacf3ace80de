"""Every periodic job, in one list; the worker registers them with RQ's scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from gatekeeper.jobs.queue import check_job_id


@dataclass(frozen=True)
class ScheduledJob:
    """A job run every ``interval``; ``job_id`` is deterministic so runs never pile up."""

    job_id: str
    func: str  # dotted path of a job function taking no arguments
    interval: timedelta

    def __post_init__(self) -> None:
        check_job_id(self.job_id)
        if self.interval.total_seconds() < 1:
            raise ValueError(f"{self.job_id}: interval must be at least one second")


# Periodic jobs join this list as the features that need them land.
SCHEDULE: list[ScheduledJob] = [
    # Channels last about a week and renew within a day of expiry: hourly leaves many tries.
    ScheduledJob(
        "renew-channels", "gatekeeper.channels.jobs.renew_channels_job", timedelta(hours=1)
    ),
    # Push notifications are not fully reliable: every account is synced on this backstop.
    ScheduledJob("sync-all", "gatekeeper.jobs.sync.sync_all_job", timedelta(minutes=15)),
    # YAML focus blocks follow rules edits within the hour.
    ScheduledJob(
        "focus-blocks-all", "gatekeeper.jobs.sync.focus_blocks_all_job", timedelta(hours=1)
    ),
]
