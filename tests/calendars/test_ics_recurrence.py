"""Each recurrence feature of RFC 5545, expanded from a realistic fixture."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
AUTUMN = (datetime(2026, 9, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def _local_days(found, zone=BERLIN):
    return [i.start.astimezone(zone).date() for i in found]


def test_rrule_count_stops_after_four(ics):
    found = ics("recurrence_rules.ics").series_instances("count-4@example.com", *AUTUMN)
    assert _local_days(found) == [date(2026, 11, d) for d in (16, 23, 30)] + [date(2026, 12, 7)]


def test_rrule_until_includes_the_last_matching_start(ics):
    found = ics("recurrence_rules.ics").series_instances("until-27@example.com", *AUTUMN)
    # UNTIL 08:00Z is exactly 09:00 CET on the 27th: included.
    assert _local_days(found) == [date(2026, 11, d) for d in (23, 24, 25, 26, 27)]


def test_rrule_byday_weekdays(ics):
    cal = ics("recurrence_rules.ics")
    week = (datetime(2026, 11, 23, tzinfo=BERLIN), datetime(2026, 11, 30, tzinfo=BERLIN))
    found = cal.series_instances("byday-tue-thu@example.com", *week)
    assert [i.start for i in found] == [
        datetime(2026, 11, 24, 16, tzinfo=BERLIN),
        datetime(2026, 11, 26, 16, tzinfo=BERLIN),
    ]


def test_rrule_monthly_last_friday(ics):
    found = ics("recurrence_rules.ics").series_instances("monthly-last-fri@example.com", *AUTUMN)
    assert _local_days(found) == [
        date(2026, 9, 25),
        date(2026, 10, 30),
        date(2026, 11, 27),
        date(2026, 12, 25),
    ]
    assert {i.start.astimezone(BERLIN).time() for i in found} == {time(15, 0)}


def test_rdate_adds_occurrences_without_a_rule(ics):
    cal = ics("recurrence_rules.ics")
    master = next(e for e in cal.events if e.uid == "rdate-extra@example.com")
    assert master.recurring
    assert master.recurrence == ("RDATE;TZID=Europe/Berlin:20261126T113000,20261201T110000",)
    found = cal.series_instances("rdate-extra@example.com", *AUTUMN)
    assert [i.start for i in found] == [
        datetime(2026, 11, 24, 11, tzinfo=BERLIN),
        datetime(2026, 11, 26, 11, 30, tzinfo=BERLIN),
        datetime(2026, 12, 1, 11, tzinfo=BERLIN),
    ]
    assert all(i.duration == timedelta(minutes=30) for i in found)


def test_all_day_series_stays_all_day(ics):
    found = ics("recurrence_rules.ics", default_tz="Europe/Berlin").series_instances(
        "all-day-weekly@example.com", *AUTUMN
    )
    assert len(found) == 6
    assert all(i.all_day and i.transparent for i in found)
    assert found[0].start == datetime(2026, 11, 6, tzinfo=BERLIN)
    assert found[0].end == datetime(2026, 11, 7, tzinfo=BERLIN)
    assert found[0].recurrence_id == found[0].start


def test_all_day_series_near_window_edges(ics):
    # The window is in UTC, the dates are placed in New York: the day still counts once.
    cal = ics("recurrence_rules.ics", default_tz="America/New_York")
    found = cal.series_instances(
        "all-day-weekly@example.com",
        datetime(2026, 11, 6, 23, tzinfo=UTC),
        datetime(2026, 11, 7, 4, tzinfo=UTC),
    )
    assert [i.start for i in found] == [datetime(2026, 11, 6, tzinfo=NEW_YORK)]


def test_this_and_future_moves_every_later_occurrence(ics):
    found = ics("recurrence_rules.ics").series_instances("this-and-future@example.com", *AUTUMN)
    starts = [i.start.astimezone(BERLIN) for i in found]
    assert [s.hour for s in starts] == [17, 17, 16, 16, 16, 16]
    later = found[3]
    assert later.summary == "Weekly wrap-up (earlier from now on)"
    assert later.recurrence_id == datetime(2026, 11, 23, 17, tzinfo=BERLIN)


def test_override_without_its_master_is_an_instance(ics):
    cal = ics("single_instance_invite.ics")
    [event] = cal.events
    assert event.recurring and event.recurrence_id == datetime(2026, 11, 24, 11, tzinfo=NEW_YORK)
    [instance] = cal.instances(*AUTUMN)
    assert instance == event
    assert instance.timezone == "America/New_York"


def test_floating_series_keeps_wall_clock_across_dst(ics):
    cal = ics("floating_and_utc_series.ics")  # X-WR-TIMEZONE: Europe/Berlin
    found = cal.series_instances("floating-heads-down@example.com", *AUTUMN)
    assert {i.start.astimezone(BERLIN).time() for i in found} == {time(9, 0)}
    # Europe leaves summer time on 25 Oct: the same 09:00 is one hour later in UTC.
    assert found[0].start.astimezone(UTC).hour == 7
    assert found[1].start.astimezone(UTC).hour == 8


def test_floating_series_uses_default_tz_first(ics):
    cal = ics("floating_and_utc_series.ics", default_tz="America/New_York")
    found = cal.series_instances("floating-heads-down@example.com", *AUTUMN)
    assert found[0].start == datetime(2026, 10, 19, 9, tzinfo=NEW_YORK)


def test_utc_series_follows_the_calendar_zone(ics):
    found = ics("floating_and_utc_series.ics").series_instances("utc-sync@example.com", *AUTUMN)
    # Written as 07:00Z (09:00 summer time); X-WR-TIMEZONE keeps it at 09:00 in Berlin.
    assert {i.start.astimezone(BERLIN).time() for i in found} == {time(9, 0)}
    assert [i.start.astimezone(UTC).hour for i in found] == [7, 8, 8]


def test_utc_series_without_calendar_zone_stays_in_utc(ics_path):
    from gatekeeper.calendars.ics import parse_ics

    text = ics_path("floating_and_utc_series.ics").read_text()
    cal = parse_ics(text.replace("X-WR-TIMEZONE:Europe/Berlin\n", ""))
    found = cal.series_instances("utc-sync@example.com", *AUTUMN)
    assert [i.start.astimezone(UTC).hour for i in found] == [7, 7, 7]


def test_instances_merge_series_and_singles_sorted(ics):
    cal = ics("recurrence_rules.ics")
    week = (datetime(2026, 11, 23, tzinfo=BERLIN), datetime(2026, 11, 28, tzinfo=BERLIN))
    found = cal.instances(*week)
    assert [i.start for i in found] == sorted(i.start for i in found)
    summaries = {i.summary for i in found}
    assert {"Four weekly design crits", "Launch-week check-in", "Interview loop"} <= summaries
