"""Unreadable .ics input: one clear InputError naming the file, the line and the reason."""

from __future__ import annotations

import os
import re

import pytest

from gatekeeper.calendars import ics_source
from gatekeeper.calendars.ics import parse_ics, read_ics
from gatekeeper.errors import InputError


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.ics"
    with pytest.raises(InputError, match=re.escape(f"{path}: no such file")):
        read_ics(path)


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_ics(tmp_path)


def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.ics"
    path.write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    path.chmod(0)
    if os.geteuid() != 0:
        with pytest.raises(InputError, match="permission denied"):
            read_ics(path)
        return
    # Root reads every file, so read it from a child process that drops to 'nobody'.
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 3
        try:
            os.setgid(65534)
            os.setuid(65534)
            read_ics(path)
            code = 2
        except InputError as exc:
            code = 0 if "permission denied" in str(exc) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_not_a_calendar(ics_path):
    path = ics_path("not_a_calendar.ics")
    with pytest.raises(InputError) as caught:
        read_ics(path)
    assert str(caught.value) == f"{path}: not an iCalendar file (expected BEGIN:VCALENDAR)"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.ics"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="not an iCalendar file"):
        read_ics(path)


def test_broken_line_is_located(ics_path):
    path = ics_path("broken_line.ics")
    with pytest.raises(InputError) as caught:
        read_ics(path)
    assert str(caught.value).startswith(f"{path}: line 9: cannot parse this line")


def test_broken_dtstart_is_located(ics_path):
    path = ics_path("broken_dtstart.ics")
    with pytest.raises(InputError) as caught:
        read_ics(path)
    assert str(caught.value).startswith(f"{path}: line 14: invalid DTSTART")


def test_unclosed_event_is_located(ics_path):
    path = ics_path("unclosed_event.ics")
    with pytest.raises(InputError) as caught:
        read_ics(path)
    assert str(caught.value) == (
        f"{path}: line 4: BEGIN:VEVENT is never closed (missing END:VEVENT)"
    )


def test_unknown_time_zone_is_located(ics_path):
    path = ics_path("unknown_tzid.ics")
    with pytest.raises(InputError) as caught:
        read_ics(path)
    assert str(caught.value) == (
        f"{path}: line 6: unknown time zone 'Mars/Olympus_Mons' in DTSTART"
    )


def test_end_before_start_is_located():
    data = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\n"
        "DTSTART:20261123T100000Z\nDTEND:20261123T090000Z\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    with pytest.raises(InputError, match=r"^<data>: line 6: the event ends before it starts"):
        parse_ics(data)


def test_event_without_start_is_located():
    data = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nSUMMARY:?\nEND:VEVENT\n"
    data += "END:VCALENDAR\n"
    with pytest.raises(InputError, match=r"^<data>: line 3: the event has no DTSTART"):
        parse_ics(data)


def test_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.ics"
    with path.open("wb") as handle:
        handle.write(b"BEGIN:VCALENDAR\r\n")
        handle.truncate(ics_source.MAX_ICS_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(InputError) as caught:
        read_ics(path)
    assert str(caught.value) == f"{path}: file too large (50.0 MiB; the limit is 50 MiB)"


def test_huge_data_is_refused():
    with pytest.raises(InputError, match=r"^feed: file too large"):
        parse_ics(b"BEGIN:VCALENDAR\r\n" + b" " * ics_source.MAX_ICS_BYTES, source="feed")


def test_bad_default_zone():
    with pytest.raises(InputError, match="unknown time zone 'Nowhere'"):
        parse_ics("BEGIN:VCALENDAR\nEND:VCALENDAR\n", default_tz="Nowhere")


def test_path_through_a_file(tmp_path):
    parent = tmp_path / "calendar.ics"
    parent.write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    reason = r"calendar\.ics/inner\.ics: cannot read \(Not a directory\)"
    with pytest.raises(InputError, match=reason):
        read_ics(parent / "inner.ics")


def test_broken_rrule_is_located():
    data = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:r\nDTSTART:20261123T090000Z\n"
        "RRULE:FREQ=FORTNIGHTLY;COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    with pytest.raises(InputError, match=r"^<data>: line 6: invalid RRULE"):
        parse_ics(data)


def test_unknown_calendar_zone_is_located():
    data = "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:Europe/Atlantis\nEND:VCALENDAR\n"
    with pytest.raises(InputError) as caught:
        parse_ics(data, source="feed.ics")
    assert str(caught.value) == (
        "feed.ics: line 3: unknown time zone 'Europe/Atlantis' in X-WR-TIMEZONE"
    )


def test_stray_end_is_located():
    data = "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VEVENT\nEND:VCALENDAR\n"
    with pytest.raises(InputError) as caught:
        parse_ics(data)
    assert str(caught.value) == "<data>: line 3: END:VEVENT does not close BEGIN:VCALENDAR (line 1)"


def test_broken_line_outside_events_is_located():
    data = "BEGIN:VCALENDAR\nVERSION:2.0\ngarbage here\nEND:VCALENDAR\n"
    with pytest.raises(InputError, match=r"^<data>: line 3: cannot parse this line"):
        parse_ics(data)


def test_broken_property_that_does_not_place_the_event_is_tolerated():
    data = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:s\nDTSTART:20261123T090000Z\n"
        "SEQUENCE:three\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    [event] = parse_ics(data).events
    assert event.sequence == 0
