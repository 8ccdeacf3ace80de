"""Re-check: an organizer's change to a declined invite is screened again, and may undo it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.sync.support import AGENDA, ZONE, Person, answers, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


def _moved(start_hour: int, days: int = 2) -> dict[str, dict[str, str]]:
    start = weekday_at(days, start_hour)
    end = start + timedelta(hours=1)
    return {
        "start": {"dateTime": start.isoformat(), "timeZone": ZONE},
        "end": {"dateTime": end.isoformat(), "timeZone": ZONE},
    }


def test_adding_an_agenda_withdraws_the_decline(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.sync()
    assert ann.mine(event_id)["responseStatus"] == "declined"
    ann.state.update_invite(event_id, description=AGENDA)
    report = ann.sync()
    assert report.answered == 1
    mine = ann.mine(event_id)
    assert mine["responseStatus"] == "needsAction" and "comment" not in mine
    first, second = ann.records()
    assert (first.action, first.outcome) == ("decline", "declined")
    assert second.outcome == "decline withdrawn" and second.action == "none"
    assert second.has_agenda
    assert any("screened again" in reason for reason in second.reasons)
    assert len(answers(ann.state, event_id)) == 2  # the decline, then the withdrawal
    # Nothing more happens on the next syncs.
    ann.sync()
    assert len(answers(ann.state, event_id)) == 2 and len(ann.records()) == 2


def test_moving_out_of_the_focus_block_withdraws_the_decline(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    ann.focus(weekday_at(2, 9), minutes=180)  # 09:00-12:00 deep work
    event_id = ann.invite("Planning", weekday_at(2, 10), description=AGENDA)
    ann.sync()
    (declined,) = ann.records()
    assert declined.action == "decline" and declined.focus_conflict
    assert declined.alternatives  # other times are offered
    assert ann.mine(event_id)["responseStatus"] == "declined"
    ann.state.update_invite(event_id, **_moved(14))
    ann.sync()
    assert ann.mine(event_id)["responseStatus"] == "needsAction"
    assert ann.records()[-1].outcome == "decline withdrawn"


def test_a_change_that_still_fails_sends_no_second_reply(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.sync()
    ann.state.update_invite(event_id, summary="Budget chat (renamed)")
    report = ann.sync()
    assert report.answered == 0
    assert len(answers(ann.state, event_id)) == 1
    assert ann.mine(event_id)["responseStatus"] == "declined"
    assert ann.records()[-1].outcome == "still declined (no second reply)"


def test_an_answer_the_person_changed_is_never_touched_again(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.sync()
    ann.state.respond_as(ann.email, event_id, "accepted")
    ann.sync()
    ann.state.update_invite(event_id, summary="Budget chat, moved room")
    ann.sync()
    assert ann.mine(event_id)["responseStatus"] == "accepted"
    assert len(answers(ann.state, event_id)) == 1
    last = ann.records()[-1]
    assert last.action == "none"


def test_resetting_the_answer_by_hand_is_respected_too(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.sync()
    ann.state.respond_as(ann.email, event_id, "needsAction")
    ann.state.update_invite(event_id, summary="Budget chat v2")  # still no agenda
    ann.sync()
    assert ann.mine(event_id)["responseStatus"] == "needsAction"
    assert len(answers(ann.state, event_id)) == 1
    last = ann.records()[-1]
    assert last.action == "none"
    assert "you changed the answer Gatekeeper gave (declined → needsAction)" in last.reasons[-1]


def test_a_withdrawn_invite_that_loses_its_agenda_is_declined_again(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.sync()
    ann.state.update_invite(event_id, description=AGENDA)
    ann.sync()
    ann.state.update_invite(event_id, description="")
    ann.sync()
    assert ann.mine(event_id)["responseStatus"] == "declined"
    outcomes = [r.outcome for r in ann.records()]
    assert outcomes == ["declined", "decline withdrawn", "declined"]
