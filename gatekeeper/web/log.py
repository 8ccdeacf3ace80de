"""The decision log pages: every decision, searchable, with its why, rule and outcome.

``GET /log`` lists the viewer's decisions, newest first, 50 a page, filtered by the GET
parameters ``q``, ``action``, ``from`` and ``until``; ``GET /log/<id>`` shows one in full.
The viewer is the signed-in account; outside production a visitor who is not signed in
sees the demo account (the sample week), so that ``make run`` shows something at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from gatekeeper import get_config, get_db
from gatekeeper.store.accounts import get_account, list_accounts
from gatekeeper.store.decisions import search_decisions
from gatekeeper.store.models import Account, DecisionRecord
from gatekeeper.web.auth import current_account_id

bp = Blueprint(
    "log",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/log",
)

PAGE_SIZE = 50
MAX_TEXT = 200
MAX_PAGE = 100_000
# Both ends stay clear of datetime's limits once shifted by a time zone and a day.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)
ACTION_LABELS = {
    "none": "let through",
    "flag": "flagged",
    "decline": "declined",
    "tentative": "tentative",
    "accept": "accepted",
}


@dataclass(frozen=True)
class Viewer:
    """Whose log is shown, and in which time zone."""

    account_id: int
    email: str
    name: str | None
    zone: tzinfo
    zone_name: str
    demo: bool


@dataclass(frozen=True)
class Search:
    """The validated search parameters of ``GET /log`` (with what was wrong, if anything)."""

    text: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    raw: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def filtered(self) -> bool:
        """Return True when any filter narrows the log."""
        return bool(self.text or self.action or self.since or self.until)

    def link_args(self, page: int) -> dict[str, str]:
        """Return the query parameters of this search at another page."""
        args = {
            "q": self.text,
            "action": self.action,
            "from": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        args = {name: value for name, value in args.items() if value}
        if page > 1:
            args["page"] = str(page)
        return args


def parse_search(args: Mapping[str, str]) -> Search:
    """Read ``q``, ``action``, ``from``, ``until`` and ``page``; collect every problem."""
    raw = {name: args.get(name, "") for name in ("q", "action", "from", "until", "page")}
    problems: list[str] = []
    text = " ".join(raw["q"].split())
    if len(text) > MAX_TEXT:
        problems.append(f"Search text: at most {MAX_TEXT} characters, got {len(text)}.")
    action = raw["action"].strip().lower()
    if action and action not in ACTION_LABELS:
        problems.append(
            f"Action: {raw['action']!r} is not one of {', '.join(ACTION_LABELS)} "
            "(or leave it empty for any)."
        )
    since = _day("From", raw["from"], problems)
    until = _day("Until", raw["until"], problems)
    if since and until and since > until:
        problems.append(f"From ({since}) is after until ({until}); swap them or clear one.")
    page = _page(raw["page"], problems)
    return Search(text, action, since, until, page, raw, tuple(problems))


def _day(label: str, value: str, problems: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(f"{label}: {value[:40]!r} is not a date; use the form 2026-11-23.")
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        problems.append(f"{label}: {day} is outside {FIRST_DAY} to {LAST_DAY}.")
        return None
    return day


def _page(value: str, problems: list[str]) -> int:
    value = value.strip()
    if not value:
        return 1
    if not value.isdigit() or len(value) > 6 or not 1 <= int(value) <= MAX_PAGE:
        problems.append(f"Page: {value[:40]!r} is not a page number (1 to {MAX_PAGE}).")
        return 1
    return int(value)


def find_decisions(
    session: Session, account_id: int, search: Search, zone: tzinfo, *, limit: int, offset: int
) -> list[DecisionRecord]:
    """Return one account's decisions matching ``search``, newest first.

    The days are whole days in ``zone``, both ends included.
    """
    return search_decisions(
        session,
        account_id,
        text=search.text,
        action=search.action or None,
        since=_midnight(search.since, zone) if search.since else None,
        until=_midnight(search.until + timedelta(days=1), zone) if search.until else None,
        limit=limit,
        offset=offset,
    )


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


@dataclass(frozen=True)
class Row:
    """One decision, ready to show: times in the viewer's zone, words instead of flags."""

    id: int
    decided: str
    event: str
    summary: str
    organizer: str
    action: str
    action_label: str
    rule: str | None
    mode: str
    executed: bool
    outcome: str | None
    focus_conflict: bool
    has_agenda: bool
    has_preread: bool
    escalation: bool
    cost: str
    reasons: list[str]
    message: str | None
    alternatives: list[str]
    recurrence: str | None


def decision_row(record: DecisionRecord, zone: tzinfo) -> Row:
    """Return the display form of a logged decision."""
    return Row(
        id=record.id,
        decided=f"{record.decided_at.astimezone(zone):%Y-%m-%d %H:%M}",
        event=_span(record.starts_at, record.ends_at, zone),
        summary=record.summary or "(no title)",
        organizer=record.organizer,
        action=record.action,
        action_label=ACTION_LABELS.get(record.action, record.action),
        rule=record.rule,
        mode=record.mode,
        executed=record.executed,
        outcome=record.outcome,
        focus_conflict=record.focus_conflict,
        has_agenda=record.has_agenda,
        has_preread=record.has_preread,
        escalation=record.escalation,
        cost=f"{record.cost:,.2f} {record.currency}",
        reasons=[str(reason) for reason in record.reasons or []],
        message=record.message,
        alternatives=[_slot(slot, zone) for slot in record.alternatives or []],
        recurrence=(
            f"{record.recurrence_id.astimezone(zone):%a %d %b %Y %H:%M}"
            if record.recurrence_id
            else None
        ),
    )


def _span(start: datetime, end: datetime, zone: tzinfo) -> str:
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.date() == end.date():
        return f"{start:%a %d %b %Y, %H:%M}–{end:%H:%M}"
    return f"{start:%a %d %b %Y %H:%M} – {end:%a %d %b %Y %H:%M}"


def _slot(slot: Any, zone: tzinfo) -> str:
    """Return an offered slot as text; a slot stored in an unexpected shape is shown as is."""
    try:
        start = datetime.fromisoformat(slot["start"])
        end = datetime.fromisoformat(slot["end"])
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("naive time")
    except (KeyError, TypeError, ValueError):
        return str(slot)
    return _span(start, end, zone)


def _zone(*names: str | None) -> tuple[tzinfo, str]:
    for name in names:
        if not name:
            continue
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return UTC, "UTC"


def _as_viewer(account: Account, *, demo: bool) -> Viewer:
    settings = account.settings
    zone, zone_name = _zone(settings.timezone if settings else None, account.timezone)
    return Viewer(account.id, account.email, account.display_name, zone, zone_name, demo)


def _viewer(session: Session) -> Viewer | None:
    """Return the signed-in account, else (outside production) the demo account, else None."""
    account_id = current_account_id()
    account = get_account(session, account_id) if account_id is not None else None
    if account is not None:
        return _as_viewer(account, demo=False)
    if get_config().production:
        return None
    demo = list_accounts(session, provider="demo")
    return _as_viewer(demo[0], demo=True) if demo else None


def _to_signin() -> ResponseReturnValue:
    return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))


@bp.get("/log")
def index() -> ResponseReturnValue:
    """List the viewer's decisions, newest first, with the search form."""
    search = parse_search(request.args)
    with get_db().session() as session:
        viewer = _viewer(session)
        if viewer is None and get_config().production:
            return _to_signin()
        rows: list[Any] = []
        older = False
        if viewer is not None and not search.problems:
            found = find_decisions(
                session,
                viewer.account_id,
                search,
                viewer.zone,
                limit=PAGE_SIZE + 1,
                offset=(search.page - 1) * PAGE_SIZE,
            )
            older = len(found) > PAGE_SIZE
            rows = [decision_row(record, viewer.zone) for record in found[:PAGE_SIZE]]
    page = render_template(
        "log/index.html",
        viewer=viewer,
        search=search,
        rows=rows,
        first=(search.page - 1) * PAGE_SIZE + 1,
        older=older,
        action_labels=ACTION_LABELS,
    )
    return page, 400 if search.problems else 200


@bp.get("/log/<int:decision_id>")
def detail(decision_id: int) -> ResponseReturnValue:
    """Show one of the viewer's decisions in full; anyone else's is not found."""
    with get_db().session() as session:
        viewer = _viewer(session)
        if viewer is None and get_config().production:
            return _to_signin()
        record = session.get(DecisionRecord, decision_id) if decision_id < 2**31 else None
        if viewer is None or record is None or record.account_id != viewer.account_id:
            return render_template("log/missing.html", decision_id=decision_id), 404
        row = decision_row(record, viewer.zone)
    return render_template("log/detail.html", viewer=viewer, row=row)
