"""Focus blocks found in a person's calendar, and what collides with them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatekeeper.calendars.ics import IcsCalendar, read_ics
from gatekeeper.domain import Attendee, FocusBlockSpec, Interval, Invite
from gatekeeper.screening.focus import (
    DEFAULT_TITLES,
    conflicts,
    focus_intervals,
    is_focus_event,
    merge,
    title_matches,
)

BERLIN = ZoneInfo("Europe/Berlin")
PAT = "pat@example.com"
WEEK = (datetime(2026, 11, 23, tzinfo=BERLIN), datetime(2026, 11, 30, tzinfo=BERLIN))
ICS = Path(__file__).resolve().parents[1] / "data" / "ics"


@pytest.fixture(scope="module")
def pat_week() -> IcsCalendar:
    """Pat's calendar for the week of Monday 23 November 2026 (Europe/Berlin)."""
    return read_ics(ICS / "pat_week_2026_11_23.ics")


@pytest.fixture
def week_focus(pat_week: IcsCalendar) -> list[Interval]:
    return focus_intervals(pat_week.instances(*WEEK), PAT, DEFAULT_TITLES, [], *WEEK)


def _berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def _own(summary: str, **changes: object) -> Invite:
    values: dict[str, object] = {
        "uid": "own",
        "summary": summary,
        "start": _berlin(23, 9),
        "end": _berlin(23, 11),
        "organizer": Attendee(PAT, "Pat Lee", organizer=True),
    }
    values.update(changes)
    return Invite(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "title",
    [
        "Focus",
        "Focus time 🎧",
        "DEEP WORK",
        "Heads-down: roadmap",
        "[Focus]",
        "focus-time",
        "Maker time (no Slack)",
        "🚫 No meetings",
    ],
)
def test_focus_titles_match_tolerantly(title):
    assert title_matches(title, DEFAULT_TITLES)


@pytest.mark.parametrize("title", ["Unfocused sync", "Deepwork", "Work on deep links", "Heads up"])
def test_other_titles_do_not_match(title):
    assert not title_matches(title, DEFAULT_TITLES)


def test_titles_are_configurable():
    assert title_matches("Schreibzeit: Konzept", ["Schreibzeit"])
    assert not title_matches("Focus", ["Schreibzeit"])
    assert not title_matches("Focus", [])


def test_found_in_the_calendar_week(week_focus):
    assert [
        (b.start.astimezone(BERLIN), b.end.astimezone(BERLIN), b.label) for b in week_focus
    ] == [
        (_berlin(23, 9), _berlin(23, 11), "Deep work 🎧"),
        (_berlin(24, 9), _berlin(24, 11), "Deep work 🎧"),
        (_berlin(24, 14), _berlin(24, 16), "Quiet hours"),  # Google focusTime, any title
        # 25 Nov: excluded by EXDATE; 26 Nov: moved to the afternoon
        (_berlin(26, 13), _berlin(26, 15), "Deep work 🎧"),
        (_berlin(27, 9), _berlin(27, 11), "Deep work 🎧"),
        (_berlin(27, 13), _berlin(27, 15), "[Focus] Heads-down: roadmap"),  # a room is no guest
    ]
    assert all(b.start.tzinfo is UTC for b in week_focus)


def test_calendar_events_that_are_not_focus(pat_week):
    by_uid = {e.uid: e for e in pat_week.events}
    assert not is_focus_event(by_uid["deep-work-cancelled@google.com"], PAT, DEFAULT_TITLES)
    assert not is_focus_event(by_uid["focus-time-with-sam@google.com"], PAT, DEFAULT_TITLES)
    assert not is_focus_event(by_uid["focus-group@google.com"], PAT, DEFAULT_TITLES)


def test_someone_elses_event_is_not_the_persons_focus():
    invite = _own("Focus", organizer=Attendee("robin@example.com", organizer=True))
    assert not is_focus_event(invite, PAT, DEFAULT_TITLES)


def test_event_without_organizer_or_guests_is_own():
    assert is_focus_event(_own("Deep work", organizer=None), PAT, DEFAULT_TITLES)


def test_declined_focus_time_is_not_focus():
    declined = Attendee(PAT, response="declined")
    focus_time = _own("Busy", event_type="focusTime", attendees=(declined,))
    assert not is_focus_event(focus_time, PAT, DEFAULT_TITLES)
    assert is_focus_event(_own("Busy", event_type="focusTime"), PAT, DEFAULT_TITLES)


def test_all_day_and_out_of_office_are_not_focus():
    assert not is_focus_event(_own("Focus day", all_day=True), PAT, DEFAULT_TITLES)
    assert not is_focus_event(_own("No meetings", event_type="outOfOffice"), PAT, DEFAULT_TITLES)


def test_person_email_is_case_insensitive():
    invite = _own("Focus", organizer=Attendee("Pat@Example.com", organizer=True))
    assert is_focus_event(invite, "PAT@example.COM", DEFAULT_TITLES)


def test_yaml_blocks_and_events_merge_with_both_labels(pat_week):
    spec = FocusBlockSpec(
        "Morning block", (0, 1, 2, 3, 4), time(8, 0), time(10, 0), "Europe/Berlin"
    )
    found = focus_intervals(pat_week.instances(*WEEK), PAT, DEFAULT_TITLES, [spec], *WEEK)
    monday = found[0]
    assert (monday.start, monday.end) == (_berlin(23, 8), _berlin(23, 11))
    assert monday.label == "Morning block + Deep work 🎧"
    wednesday = next(b for b in found if b.start.astimezone(BERLIN).day == 25)
    assert wednesday.label == "Morning block"  # the calendar block is excluded that day


def test_focus_intervals_keep_only_the_window(pat_week):
    window = (_berlin(24, 10), _berlin(24, 15))
    found = focus_intervals(pat_week.instances(*window), PAT, DEFAULT_TITLES, [], *window)
    assert [b.label for b in found] == ["Deep work 🎧", "Quiet hours"]


def test_conflicts_find_each_overlapping_block(week_focus):
    billing = Interval(_berlin(24, 9, 30), _berlin(24, 10, 30))
    assert [b.label for b in conflicts(billing, week_focus)] == ["Deep work 🎧"]
    long_day = Interval(_berlin(24, 10), _berlin(24, 15))
    assert [b.label for b in conflicts(long_day, week_focus)] == ["Deep work 🎧", "Quiet hours"]


def test_conflicts_half_open_edges(week_focus):
    assert conflicts(Interval(_berlin(23, 11), _berlin(23, 12)), week_focus) == []
    assert conflicts(Interval(_berlin(23, 8), _berlin(23, 9)), week_focus) == []
    assert len(conflicts(Interval(_berlin(23, 10, 59), _berlin(23, 12)), week_focus)) == 1


def test_conflicts_match_a_linear_scan(week_focus):
    start = _berlin(23, 0)
    for step in range(0, 7 * 24 * 4):
        probe = Interval(
            start + timedelta(minutes=15 * step), start + timedelta(minutes=15 * step + 50)
        )
        assert conflicts(probe, week_focus) == [b for b in week_focus if b.overlaps(probe)]


def test_merge_joins_touching_and_overlapping():
    a = Interval(_berlin(23, 9), _berlin(23, 10), "a")
    b = Interval(_berlin(23, 10), _berlin(23, 11), "b")
    c = Interval(_berlin(23, 10, 30), _berlin(23, 10, 45), "a")
    d = Interval(_berlin(23, 12), _berlin(23, 13), "d")
    assert merge([d, c, b, a]) == [
        Interval(_berlin(23, 9), _berlin(23, 11), "a + b"),
        d,
    ]
