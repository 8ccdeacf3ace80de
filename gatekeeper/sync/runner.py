"""One sync run of one account: list what changed, screen it, log it, then answer.

Every decision is written to the decision log before anything is sent, and a decision
still without an outcome is carried out by the next run (after checking the calendar),
so a run killed at any point neither loses an answer nor sends one twice. The sync token
is saved last: a run that dies is simply done again from the same token.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gatekeeper.calendars.google_errors import (
    EventChanged,
    EventNotFound,
    GoogleError,
    SyncTokenInvalid,
)
from gatekeeper.calendars.google_events import is_cancelled
from gatekeeper.domain import Action, Decision, Mode
from gatekeeper.screening.calendar import screen_calendar
from gatekeeper.screening.engine import Context, skip_reason
from gatekeeper.store.decisions import escalation_ledger, mark_executed, record_decision
from gatekeeper.store.sync_states import clear_sync_token, save_sync_token, stored_sync_token
from gatekeeper.sync.acting import Actor, is_permanent
from gatekeeper.sync.history import (
    EventHistory,
    EventKey,
    PendingDecision,
    event_history,
    newest_record_id,
    pending_decisions,
)
from gatekeeper.sync.plan import (
    NEEDS_ACTION,
    SUPERSEDED_OUTCOME,
    Step,
    as_unanswered,
    hands_off_reason,
    plan,
)
from gatekeeper.sync.policies import policy_for, valid_zone
from gatekeeper.sync.report import SyncReport
from gatekeeper.sync.versions import event_version, own_response
from gatekeeper.sync.view import GoogleView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from gatekeeper.calendars.google import GoogleCalendar, SyncResult
    from gatekeeper.store.database import Database

log = logging.getLogger(__name__)

# Alternatives look at most five working days ahead: two calendar weeks always cover them.
_ALTERNATIVES_WINDOW = timedelta(days=14)

# A full sync lists from a day back, so meetings under way are seen too.
FULL_SYNC_LOOKBACK = timedelta(days=1)
# Escalations are counted per week of the meeting; this covers any week a run can touch.
_LEDGER_BEFORE = timedelta(days=8)
_LEDGER_AFTER = timedelta(days=400)


@dataclass(frozen=True)
class AccountInfo:
    """What a run needs to know about the account (read once, outside any session)."""

    id: int
    email: str
    mode: Mode
    timezone: str | None = None
    display_name: str | None = None


@dataclass(frozen=True)
class _Planned:
    record_id: int
    event_id: str
    step: Step
    event: dict[str, Any]  # the copy listed by this run; its etag is the screened version

    @property
    def etag(self) -> str | None:
        """Return the etag of the screened copy."""
        return str(self.event["etag"]) if self.event.get("etag") else None


class SyncRun:
    """Sync one account's primary calendar once."""

    def __init__(
        self,
        database: Database,
        account: AccountInfo,
        calendar: GoogleCalendar,
        rules_dir: Path,
        now: datetime,
    ) -> None:
        self.database = database
        self.account = account
        self.calendar = calendar
        self.rules_dir = rules_dir
        self.now = now
        self.me = account.email.strip().lower()
        self.actor = Actor(calendar, self.me)
        self.report = SyncReport(account.id, self.me)

    def run(self, *, full: bool = False) -> SyncReport:
        """List, screen, log and answer; save the sync token only once all is done."""
        self.settle_pending()
        result = self._list(full)
        self.report.full = result.full
        self.report.changed = len(result.events)
        self._carry_out(self._screen(result))
        self.settle_pending()  # answers that met a concurrent change of their event
        with self.database.session() as session:
            save_sync_token(session, self.account.id, result.next_sync_token, full=result.full)
        return self.report

    # -- listing -----------------------------------------------------------------------

    def _list(self, full: bool) -> SyncResult:
        with self.database.session() as session:
            token = None if full else stored_sync_token(session, self.account.id)
        since = self.now - FULL_SYNC_LOOKBACK
        try:
            return self.calendar.list_changes(token, time_min=None if token else since)
        except SyncTokenInvalid:
            log.info("%s: sync token no longer valid; full sync", self.me)
            with self.database.session() as session:
                clear_sync_token(session, self.account.id)
            self.report.resynced = True
            return self.calendar.list_changes(None, time_min=since)

    # -- screening and logging ---------------------------------------------------------

    def _screen(self, result: SyncResult) -> list[_Planned]:
        view = GoogleView(self.calendar, self.me, result.time_zone, result.events)
        zone = valid_zone(self.account.timezone, result.time_zone)
        policy = policy_for(self.rules_dir, zone)
        histories: dict[EventKey, EventHistory] = {}
        rechecked: set[EventKey] = set()
        with self.database.session() as session:
            fresh = []
            for invite in view.events:
                raw = view.raw[str(invite.source_id)]
                key = (invite.uid, invite.recurrence_id)
                history = histories[key] = event_history(session, self.account.id, *key)
                if history.seen(event_version(raw)):
                    continue  # this version was screened already: a duplicate or our own write
                current = own_response(raw, self.me)
                if history.ours not in (None, NEEDS_ACTION) and current == history.ours:
                    # The organizer changed an invite Gatekeeper answered: judge it afresh.
                    invite = as_unanswered(invite, self.me)
                    rechecked.add(key)
                fresh.append(invite)
            view.events = fresh
            if not fresh:
                return []
            ledger = escalation_ledger(
                session,
                self.account.id,
                self.now - _LEDGER_BEFORE,
                self.now + _LEDGER_AFTER,
                {invite.uid for invite in fresh},
            )
        ctx = Context(
            person_email=self.me,
            now=self.now,
            person_name=view.person_name() or self.account.display_name,
            timezone=zone,
            ledger=ledger,
            organizer_busy=lambda organizer: view.organizer_busy(
                organizer, self.now, self.now + _ALTERNATIVES_WINDOW
            ),
        )
        decisions = screen_calendar(view, policy, ctx)
        self.report.screened = len(decisions)
        planned: list[_Planned] = []
        with self.database.session() as session:
            for decision in decisions:
                item = self._record(session, view, ctx, decision, histories, rechecked)
                if item is not None:
                    planned.append(item)
        return planned

    def _record(
        self,
        session: Session,
        view: GoogleView,
        ctx: Context,
        decision: Decision,
        histories: dict[EventKey, EventHistory],
        rechecked: set[EventKey],
    ) -> _Planned | None:
        """Log one decision; return what must be carried out for it, if anything."""
        source = decision.source_id or ""
        raw = view.raw.get(source)
        if raw is None:
            log.warning("%s: decision on unknown event %r not logged", self.me, source)
            return None
        key = (decision.uid, decision.recurrence_id)
        history = histories.get(key) or event_history(session, self.account.id, *key)
        version = event_version(raw)
        if history.seen(version):
            return None
        current = own_response(raw, self.me)
        hands_off = hands_off_reason(history.ours, current)
        if hands_off is not None:
            decision = dataclasses.replace(
                decision,
                action=Action.NONE,
                message=None,
                alternatives=(),
                reasons=(*decision.reasons, hands_off),
            )
        elif history.latest_version is None:
            invite = view.invite(source)
            if invite is not None and skip_reason(invite, ctx) is not None:
                return None  # never acted on and never logged: not worth a log entry
        if key in rechecked:
            decision = dataclasses.replace(
                decision,
                reasons=(
                    *decision.reasons,
                    f"screened again: the organizer changed the invite Gatekeeper had "
                    f"answered ({history.ours})",
                ),
            )
        step = plan(
            decision.action, self.account.mode, decision.message, ours=history.ours, current=current
        )
        record_id = record_decision(
            session,
            decision,
            account_id=self.account.id,
            mode=self.account.mode,
            executed=False,
            outcome=None if step.acts else step.outcome,
            event_version=version,
        )
        self.report.recorded += 1
        if not step.acts:
            return None
        return _Planned(record_id, source, step, raw)

    # -- carrying out ------------------------------------------------------------------

    def _carry_out(self, planned: list[_Planned]) -> None:
        for item in planned:
            try:
                outcome = self._act(item.event_id, item.step, item.etag, item.event)
            except EventChanged:
                # Left without an outcome: settle_pending reads the event again.
                log.info("%s: event %s changed before the answer; re-read", self.me, item.event_id)
                continue
            with self.database.session() as session:
                mark_executed(session, item.record_id, outcome=outcome)

    def _act(
        self, event_id: str, step: Step, etag: str | None, event: dict[str, Any] | None
    ) -> str:
        sent = len(self.actor.sent)
        outcome = self.actor.carry_out(event_id, step, etag=etag, event=event)
        self.report.answered += len(self.actor.sent) - sent
        if step.flag:
            self.report.flagged += 1
        return outcome

    def settle_pending(self) -> None:
        """Carry out (or close) every logged decision that has no outcome yet."""
        with self.database.session() as session:
            pending = pending_decisions(session, self.account.id)
        for item in pending:
            outcome = self._settle(item)
            if outcome is None:
                continue
            with self.database.session() as session:
                mark_executed(session, item.id, outcome=outcome)
            self.report.resumed += 1

    def _settle(self, item: PendingDecision) -> str | None:
        """Return the outcome of one pending decision (None: leave it for the next run)."""
        with self.database.session() as session:
            newest = newest_record_id(session, self.account.id, item.uid, item.recurrence_id)
            history = event_history(
                session, self.account.id, item.uid, item.recurrence_id, before_id=item.id
            )
        if newest != item.id:
            return SUPERSEDED_OUTCOME
        if item.mode is not self.account.mode:
            return f"not carried out: the account's mode is now {self.account.mode.value}"
        if not item.event_id:
            return "not carried out: the decision names no calendar event"
        try:
            event = self.calendar.get_event(item.event_id)
        except EventNotFound:
            return "not carried out: the event is no longer on the calendar"
        except GoogleError as exc:
            if not is_permanent(exc):
                raise
            return f"not carried out: reading the event was refused ({exc})"
        if is_cancelled(event):
            return "not carried out: the event was cancelled"
        current = own_response(event, self.me)
        step = plan(item.action, item.mode, item.message, ours=history.ours, current=current)
        if event_version(event) != item.event_version and step.acts:
            return "not carried out: the event changed after it was screened"
        if not step.acts:
            return step.outcome
        try:
            return self._act(item.event_id, step, str(event.get("etag") or "") or None, event)
        except EventChanged:
            return None
