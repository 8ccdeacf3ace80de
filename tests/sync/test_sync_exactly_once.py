"""Duplicates, retries, 410 resyncs and interrupted runs never send a second reply."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from emulator.testing import FakeTime
from gatekeeper.calendars.google_errors import GoogleError
from tests.sync.support import Person, answers, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


def test_repeated_syncs_answer_once(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    reports = [ann.sync() for _ in range(4)]
    assert [r.answered for r in reports] == [1, 0, 0, 0]
    # Our own answer comes back as a change of the event: seen, not screened again.
    assert reports[1].changed == 1 and reports[1].recorded == 0
    assert len(answers(ann.state, event_id)) == 1
    assert len(ann.records()) == 1


def test_410_forces_a_full_resync_without_a_second_reply(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    first = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.sync()
    ann.state.invalidate_sync_tokens(ann.email)
    second = ann.invite("Another chat", weekday_at(2, 15), description="")
    report = ann.sync()
    assert report.resynced and report.full
    assert report.answered == 1  # only the new invite
    assert len(answers(ann.state, first)) == 1
    assert len(answers(ann.state, second)) == 1
    listed = ann.state.requests_to("GET", "/events")
    assert any(r.status == 410 for r in listed)
    assert ann.sync().resynced is False  # the new token is stored and works


@pytest.mark.parametrize(
    ("status", "reason", "method"),
    [
        (429, "rateLimitExceeded", "GET"),
        (403, "rateLimitExceeded", "GET"),
        (403, "userRateLimitExceeded", "PATCH"),
        (503, "backendError", "PATCH"),
        (500, "backendError", "GET"),
    ],
)
def test_rate_limits_and_server_errors_are_survived(
    person: Callable[..., Person], fake_time: FakeTime, status: int, reason: str, method: str
) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.inject(status, method=method, path="*/events*", times=2, reason=reason)
    report = ann.sync()
    assert report.answered == 1
    assert len(answers(ann.state, event_id)) == 1
    assert len(fake_time.sleeps) == 2  # backed off twice, then went through
    assert ann.mine(event_id)["responseStatus"] == "declined"


def test_retry_after_is_respected(person: Callable[..., Person], fake_time: FakeTime) -> None:
    ann = person("enforce")
    ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.inject(429, method="GET", path="*/events", retry_after=7)
    ann.sync()
    assert fake_time.sleeps and fake_time.sleeps[0] >= 7


def test_a_run_that_fails_before_answering_is_finished_by_the_next_one(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    # Every PATCH fails for longer than the adapter retries: the run gives up mid-way.
    ann.state.inject(503, method="PATCH", path="*/events/*", times=50)
    with pytest.raises(GoogleError):
        ann.sync()
    (record,) = ann.records()
    assert record.action == "decline" and record.outcome is None  # logged, not carried out
    ann.state.faults.clear()
    report = ann.sync()
    assert report.resumed == 1 and report.answered == 1
    assert len(answers(ann.state, event_id)) == 1
    # Resuming reads the event once and answers on that copy.
    assert len(ann.state.requests_to("GET", f"/events/{event_id}")) == 1
    (record,) = ann.records()
    assert record.outcome == "declined" and record.executed


def test_an_answer_sent_but_not_logged_is_not_sent_again(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.inject(503, method="PATCH", path="*/events/*", times=50)
    with pytest.raises(GoogleError):
        ann.sync()
    ann.state.faults.clear()
    # The answer got through after all (as when a worker dies right after the PATCH).
    (record,) = ann.records()
    ann.state.respond_as(ann.email, event_id, "declined", record.message)
    report = ann.sync()
    assert report.answered == 0 and report.resumed == 1
    assert answers(ann.state, event_id) == []  # the emulator's own change is no PATCH
    (record,) = ann.records()
    assert record.outcome == "declined (the answer was already on the calendar)"


def test_the_person_answering_before_a_pending_decline_wins(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    event_id = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.inject(503, method="PATCH", path="*/events/*", times=50)
    with pytest.raises(GoogleError):
        ann.sync()
    ann.state.faults.clear()
    ann.state.respond_as(ann.email, event_id, "accepted")
    ann.sync()
    assert answers(ann.state, event_id) == []
    assert ann.mine(event_id)["responseStatus"] == "accepted"
    (record,) = ann.records()
    assert record.outcome == "not carried out: you already answered accepted"


def test_a_refused_answer_is_logged_and_does_not_block_later_syncs(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    refused = ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.state.inject(400, method="PATCH", path=f"*/events/{refused}", times=5, reason="invalid")
    report = ann.sync()
    assert report.answered == 0
    (record,) = ann.records()
    assert record.executed and record.outcome.startswith("not carried out: answering declined")
    assert "HTTP 400 invalid" in record.outcome
    later = ann.invite("Another chat", weekday_at(2, 15), description="")
    assert ann.sync().answered == 1
    assert ann.mine(later)["responseStatus"] == "declined"
    assert ann.mine(refused)["responseStatus"] == "needsAction"
