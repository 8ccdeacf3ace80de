"""Focus blocks defined in YAML, laid out day by day on their zone's wall clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from gatekeeper.domain import FocusBlockSpec
from gatekeeper.screening.focus import yaml_block_intervals

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = (0, 1, 2, 3, 4)
MORNING = FocusBlockSpec("Morning deep work", WEEKDAYS, time(9), time(11), "Europe/Berlin")
NY_MORNING = FocusBlockSpec("NY focus", WEEKDAYS, time(9), time(10), "America/New_York")


def _by_local_day(blocks, zone):
    return {b.start.astimezone(zone).date(): b for b in blocks}


def test_weekdays_only_in_a_plain_week():
    blocks = yaml_block_intervals(
        [MORNING],
        datetime(2026, 11, 23, tzinfo=BERLIN),
        datetime(2026, 11, 30, tzinfo=BERLIN),
    )
    assert [b.start.astimezone(BERLIN).date() for b in blocks] == [
        date(2026, 11, d) for d in (23, 24, 25, 26, 27)
    ]
    assert all(b.label == "Morning deep work" for b in blocks)
    assert all(b.start.tzinfo is UTC for b in blocks)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 27), 8),  # Friday before the European change (CET)
        (date(2026, 3, 30), 7),  # Monday after it (CEST)
        (date(2026, 10, 23), 7),
        (date(2026, 10, 26), 8),
    ],
)
def test_berlin_block_keeps_wall_clock_across_european_dst(day, utc_hour):
    blocks = _by_local_day(
        yaml_block_intervals(
            [MORNING], datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
        ),
        BERLIN,
    )
    block = blocks[day]
    assert block.start.astimezone(BERLIN).time() == time(9)
    assert block.end.astimezone(BERLIN).time() == time(11)
    assert block.start.hour == utc_hour
    assert block.duration.total_seconds() == 2 * 3600


@pytest.mark.parametrize(
    ("day", "berlin_hour"),
    [
        (date(2026, 3, 6), 15),  # both winter time
        (date(2026, 3, 9), 14),  # US summer time since 8 March, Europe not yet
        (date(2026, 3, 27), 14),
        (date(2026, 3, 30), 15),
        (date(2026, 10, 26), 14),  # Europe back to winter time on 25 October, US not yet
        (date(2026, 10, 30), 14),
        (date(2026, 11, 2), 15),  # US back to winter time on 1 November
    ],
)
def test_new_york_block_moves_against_berlin_in_the_odd_weeks(day, berlin_hour):
    blocks = _by_local_day(
        yaml_block_intervals(
            [NY_MORNING], datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
        ),
        NEW_YORK,
    )
    block = blocks[day]
    assert block.start.astimezone(NEW_YORK).time() == time(9)
    assert block.start.astimezone(BERLIN).hour == berlin_hour


def test_block_across_the_dst_night_has_its_real_length():
    night = FocusBlockSpec("Night writing", (6,), time(1), time(4), "Europe/Berlin")
    [block] = yaml_block_intervals(
        [night], datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)
    )
    assert block.duration.total_seconds() == 2 * 3600  # 02:00-03:00 does not exist that night


def test_block_past_midnight():
    late = FocusBlockSpec("Late", (4,), time(22), time(1), "Europe/Berlin")
    [block] = yaml_block_intervals(
        [late], datetime(2026, 11, 27, tzinfo=BERLIN), datetime(2026, 11, 28, tzinfo=BERLIN)
    )
    assert block.start.astimezone(BERLIN) == datetime(2026, 11, 27, 22, tzinfo=BERLIN)
    assert block.end.astimezone(BERLIN) == datetime(2026, 11, 28, 1, tzinfo=BERLIN)


def test_window_in_another_zone_keeps_blocks_that_overlap_it():
    # 07:00-08:30 UTC on Monday 23 Nov is 08:00-09:30 in Berlin: the block began at 09:00.
    blocks = yaml_block_intervals(
        [MORNING], datetime(2026, 11, 23, 7, tzinfo=UTC), datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    )
    assert [b.start for b in blocks] == [datetime(2026, 11, 23, 8, tzinfo=UTC)]
    assert (
        yaml_block_intervals(
            [MORNING], datetime(2026, 11, 23, 6, tzinfo=UTC), datetime(2026, 11, 23, 8, tzinfo=UTC)
        )
        == []
    )


def test_several_specs_sorted_together():
    blocks = yaml_block_intervals(
        [NY_MORNING, MORNING],
        datetime(2026, 11, 23, tzinfo=UTC),
        datetime(2026, 11, 24, tzinfo=UTC),
    )
    assert [b.label for b in blocks] == ["Morning deep work", "NY focus"]
