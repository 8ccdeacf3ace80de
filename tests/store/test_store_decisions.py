"""The decision log on SQLite and PostgreSQL: record, search, latest, escalations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from gatekeeper.domain import Action, Decision, Mode
from gatekeeper.store.decisions import (
    escalation_ledger,
    escalations_used,
    latest_decision_for,
    mark_executed,
    record_decision,
    search_decisions,
    week_bounds,
)
from gatekeeper.store.models import DecisionRecord

MakeDecision = Callable[..., Decision]
BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def record(session: Session, decision: Decision, **options: object) -> int:
    values: dict[str, object] = {
        "account_id": None,
        "mode": Mode.DRY_RUN,
        "executed": False,
        "outcome": "dry-run: not sent",
        "event_version": "1",
    }
    values.update(options)
    return record_decision(session, decision, **values)  # type: ignore[arg-type]


def test_record_round_trips_every_field(session: Session, make_decision: MakeDecision) -> None:
    decision = make_decision(
        recurrence_id=datetime(2024, 3, 5, 10, 0, tzinfo=BERLIN), escalation=True
    )
    row_id = record(session, decision, mode="enforce", executed=True, outcome="declined")
    session.commit()
    session.expunge_all()
    row = session.get(DecisionRecord, row_id)
    assert row is not None
    assert row.uid == "weekly-sync@example.com"
    assert row.calendar_event_id == "evt123"
    assert row.starts_at == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert row.starts_at.tzinfo == UTC and row.decided_at.tzinfo == UTC
    assert row.recurrence_id == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert row.ends_at - row.starts_at == timedelta(minutes=30)
    assert row.action == "decline" and row.rule == "no-agenda" and row.mode == "enforce"
    assert row.reasons == ["no agenda", "no pre-read"]
    assert row.organizer == "ana@example.com"
    assert row.executed and row.executed_at is not None and row.outcome == "declined"
    assert row.alternatives == [
        {"start": "2024-03-06T14:00:00+00:00", "end": "2024-03-06T14:30:00+00:00"}
    ]
    assert row.escalation and row.cost == 40.0 and row.currency == "EUR"
    assert row.message == "Hi Ana, could you add an agenda?"
    assert row.event_version == "1"


def test_mark_executed_records_the_outcome(session: Session, make_decision: MakeDecision) -> None:
    row_id = record(session, make_decision(), mode="enforce", executed=False, outcome=None)
    mark_executed(session, row_id, outcome="declined")
    session.commit()
    row = session.get(DecisionRecord, row_id)
    assert row is not None and row.executed and row.outcome == "declined"
    with pytest.raises(LookupError):
        mark_executed(session, row_id + 100, outcome="declined")


def test_naive_datetimes_are_refused(session: Session, make_decision: MakeDecision) -> None:
    naive = make_decision(start=datetime(2024, 3, 5, 10, 0))
    with pytest.raises(Exception, match="naive datetime"):
        record(session, naive)


def test_search_by_text_matches_summary_organizer_and_rule(
    session: Session, make_decision: MakeDecision
) -> None:
    record(session, make_decision(uid="a", summary="Budget review"), decided_at=T0)
    record(
        session,
        make_decision(uid="b", summary="Lunch", organizer="bob@example.com", rule="focus"),
        decided_at=T0 + timedelta(hours=1),
    )
    session.commit()
    assert [r.uid for r in search_decisions(session, None, text="BUDGET")] == ["a"]
    assert [r.uid for r in search_decisions(session, None, text="bob@")] == ["b"]
    assert [r.uid for r in search_decisions(session, None, text="focus")] == ["b"]
    assert [r.uid for r in search_decisions(session, None, text="decline")] == ["b", "a"]
    assert search_decisions(session, None, text="retro") == []


def test_search_text_wildcards_are_literal(session: Session, make_decision: MakeDecision) -> None:
    record(session, make_decision(uid="a", summary="Plan 100% done"))
    record(session, make_decision(uid="b", summary="Plan 1000 done"))
    record(session, make_decision(uid="c", summary="snake_case review"))
    record(session, make_decision(uid="d", summary="snakeXcase review"))
    session.commit()
    assert [r.uid for r in search_decisions(session, None, text="100%")] == ["a"]
    assert [r.uid for r in search_decisions(session, None, text="snake_case")] == ["c"]


def test_search_by_action_and_dates_newest_first(
    session: Session, make_decision: MakeDecision
) -> None:
    for hours, uid, action in ((0, "a", Action.DECLINE), (24, "b", Action.FLAG),
                               (48, "c", Action.DECLINE)):  # fmt: skip
        record(
            session, make_decision(uid=uid, action=action), decided_at=T0 + timedelta(hours=hours)
        )
    session.commit()
    assert [r.uid for r in search_decisions(session, None)] == ["c", "b", "a"]
    assert [r.uid for r in search_decisions(session, None, action="decline")] == ["c", "a"]
    assert [r.uid for r in search_decisions(session, None, action=Action.FLAG)] == ["b"]
    window = search_decisions(
        session, None, since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=48)
    )
    assert [r.uid for r in window] == ["b"]
    assert [r.uid for r in search_decisions(session, None, limit=1, offset=1)] == ["b"]
    with pytest.raises(ValueError):
        search_decisions(session, None, action="explode")


def test_search_is_per_account(session: Session, make_decision: MakeDecision) -> None:
    from gatekeeper.store.accounts import add_account

    ana = add_account(session, "ana@example.com", provider="demo")
    record(session, make_decision(uid="mine"), account_id=ana.id)
    record(session, make_decision(uid="cli-run"))
    session.commit()
    assert [r.uid for r in search_decisions(session, ana.id)] == ["mine"]
    assert [r.uid for r in search_decisions(session, None)] == ["cli-run"]


def test_latest_decision_for_event_and_instance(
    session: Session, make_decision: MakeDecision
) -> None:
    instance = datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
    record(session, make_decision(action=Action.DECLINE), decided_at=T0)
    newest = record(
        session, make_decision(action=Action.NONE, rule=None), decided_at=T0 + timedelta(minutes=5)
    )
    on_instance = record(
        session, make_decision(recurrence_id=instance), decided_at=T0 + timedelta(minutes=9)
    )
    session.commit()
    latest = latest_decision_for(session, None, "weekly-sync@example.com", None)
    assert latest is not None and latest.id == newest and latest.action == "none"
    # The same moment given in another zone finds the same instance.
    moved = latest_decision_for(session, None, "weekly-sync@example.com", instance.astimezone(UTC))
    assert moved is not None and moved.id == on_instance
    assert latest_decision_for(session, None, "other@example.com", None) is None
    assert latest_decision_for(session, 42, "weekly-sync@example.com", None) is None


def test_escalations_used_counts_meetings_per_organizer_per_week(
    session: Session, make_decision: MakeDecision
) -> None:
    monday = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # ISO week 2024-W10
    urgent = {"escalation": True, "organizer": "ana@example.com"}
    record(session, make_decision(uid="u1", start=monday, **urgent))
    record(session, make_decision(uid="u1", start=monday, **urgent))  # re-screened: once
    record(session, make_decision(uid="u2", start=monday + timedelta(days=6, hours=14), **urgent))
    record(session, make_decision(uid="u3", start=monday + timedelta(days=7), **urgent))  # W11
    record(session, make_decision(uid="u4", start=monday, escalation=True, organizer="bob@x.com"))
    record(session, make_decision(uid="u5", start=monday, organizer="ana@example.com"))
    session.commit()
    assert escalations_used(session, None, "Ana@Example.com", "2024-W10") == 2
    assert escalations_used(session, None, "ana@example.com", date(2024, 3, 13)) == 1
    assert escalations_used(session, None, "bob@x.com", "2024-w10") == 1
    assert escalations_used(session, None, "carol@x.com", "2024-W10") == 0
    ledger = escalation_ledger(
        session, None, monday - timedelta(days=7), monday + timedelta(days=14)
    )
    assert ledger.count("ana@example.com", monday) == 2
    assert ledger.count("ana@example.com", monday + timedelta(days=7)) == 1


def test_week_bounds_accepts_iso_weeks_and_days() -> None:
    start, end = week_bounds("2024-W01")
    assert start == datetime(2024, 1, 1, tzinfo=UTC) and end - start == timedelta(days=7)
    assert week_bounds(date(2024, 1, 7)) == (start, end)
    for bad in ("2024-53", "2024-W60", "W10"):
        with pytest.raises(ValueError, match="week must look like 2024-W07"):
            week_bounds(bad)
