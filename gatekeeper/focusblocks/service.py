"""Make the YAML focus blocks real on a Google calendar, idempotently.

One run lists the events Gatekeeper made for blocks (found by a private extended
property), then creates the missing ones, patches those whose block changed in the YAML,
deletes those whose block is gone, and deletes duplicates (a create whose answer was lost
and retried). Running it again changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gatekeeper.calendars.google_errors import GoogleError
from gatekeeper.focusblocks.blocks import (
    DIGEST_PROPERTY,
    KEY_PROPERTY,
    MARKER_PROPERTY,
    MARKER_VALUE,
    FocusTimeSettings,
    block_digest,
    block_keys,
    event_body,
    patch_body,
    private_properties,
)
from gatekeeper.sync.lock import account_lock
from gatekeeper.sync.policies import policy_for, valid_zone
from gatekeeper.sync.report import SyncReport
from gatekeeper.sync.service import open_account

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.calendars.google import GoogleCalendar
    from gatekeeper.domain import FocusBlockSpec

log = logging.getLogger(__name__)


@dataclass
class FocusBlockReport:
    """What one run did, by block key."""

    account_id: int
    email: str = ""
    skipped: str | None = None
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    focus_time: bool | None = None  # None: nothing was created this run

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (a job's result)."""
        return asdict(self)

    def summary(self) -> str:
        """Return one line for people."""
        who = self.email or f"account {self.account_id}"
        if self.skipped:
            return f"{who}: focus blocks skipped ({self.skipped})"
        return (
            f"{who}: focus blocks {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.deleted)} deleted, {len(self.unchanged)} unchanged"
        )


def block_events(calendar: GoogleCalendar, owner: str) -> list[dict[str, Any]]:
    """Return the live events Gatekeeper made for blocks on the calendar, oldest first."""
    found = calendar.list_events(
        "listing focus blocks",
        privateExtendedProperty=f"{MARKER_PROPERTY}={MARKER_VALUE}",
        singleEvents=False,
    )
    mine = [
        event
        for event in found
        if event.get("status") != "cancelled"
        and private_properties(event).get(MARKER_PROPERTY) == MARKER_VALUE
        and str((event.get("organizer") or {}).get("email", "")).lower() == owner
    ]
    return sorted(mine, key=lambda event: (str(event.get("created", "")), str(event["id"])))


def sync_focus_blocks(
    app: Flask,
    account_id: int,
    *,
    settings: FocusTimeSettings | None = None,
    now: datetime | None = None,
) -> FocusBlockReport:
    """Bring the account's calendar in line with its YAML focus blocks; return what changed."""
    from gatekeeper import get_config, get_db

    opened = open_account(app, account_id)
    if isinstance(opened, SyncReport):
        return FocusBlockReport(account_id, opened.email, skipped=opened.skipped)
    info, calendar = opened
    zone = valid_zone(info.timezone, calendar.time_zone())
    policy = policy_for(get_config(app).rules_dir, zone)
    report = FocusBlockReport(account_id, info.email)
    with account_lock(get_db(app), account_id, name="focus-blocks"):
        _Reconciler(calendar, info.email, settings or FocusTimeSettings(), report).run(
            list(policy.focus_blocks), now or datetime.now(UTC)
        )
    log.info("%s", report.summary())
    return report


@dataclass
class _Reconciler:
    calendar: GoogleCalendar
    owner: str
    settings: FocusTimeSettings
    report: FocusBlockReport
    focus_time: bool = True  # until Google refuses a focusTime event

    def run(self, specs: list[FocusBlockSpec], now: datetime) -> None:
        wanted = dict(zip(block_keys(specs), specs, strict=True))
        existing: dict[str, dict[str, Any]] = {}
        for event in block_events(self.calendar, self.owner):
            key = private_properties(event).get(KEY_PROPERTY, "")
            if key in wanted and key not in existing:
                existing[key] = event
            else:
                self.calendar.delete_event(str(event["id"]))  # removed block, or a duplicate
                self.report.deleted.append(key or str(event["id"]))
        for key, spec in wanted.items():
            found = existing.get(key)
            digest = block_digest(spec, self.settings)
            if found is None:
                self._create(key, spec, now)
            elif private_properties(found).get(DIGEST_PROPERTY) != digest:
                body = event_body(key, spec, self.settings, now, focus_time=True)
                patch = patch_body(body, str(found.get("eventType") or "default"))
                self.calendar.patch_event(str(found["id"]), patch, etag=found.get("etag"))
                self.report.updated.append(key)
            else:
                self.report.unchanged.append(key)

    def _create(self, key: str, spec: FocusBlockSpec, now: datetime) -> None:
        if self.focus_time:
            body = event_body(key, spec, self.settings, now, focus_time=True)
            try:
                self.calendar.insert_event(body)
            except GoogleError as exc:
                # focusTime exists only on some Workspace calendars; elsewhere Google says 400.
                if exc.status != 400:
                    raise
                log.info("%s: focus time refused (%s); busy events instead", self.owner, exc)
                self.focus_time = False
            else:
                self.report.created.append(key)
                self.report.focus_time = True
                return
        self.calendar.insert_event(event_body(key, spec, self.settings, now, focus_time=False))
        self.report.created.append(key)
        self.report.focus_time = False
