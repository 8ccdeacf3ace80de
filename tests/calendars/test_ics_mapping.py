"""How a VEVENT becomes an Invite: people, attachments, times, types and zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from gatekeeper.calendars.ics import parse_ics

BERLIN = ZoneInfo("Europe/Berlin")


def test_outlook_request_people(ics):
    cal = ics("invite_request_outlook.ics")
    [event] = cal.events
    assert cal.method == "REQUEST"
    assert event.organizer is not None
    assert event.organizer.email == "jana.mueller@partner.example.org"
    assert event.organizer.name == "Müller, Jana"
    by_email = {a.email: a for a in event.attendees}
    assert by_email["pat@example.com"].response == "needsAction"
    assert by_email["pat@example.com"].name == "Pat Lee"
    assert by_email["sam@example.com"].optional is True
    assert by_email["sam@example.com"].response == "accepted"
    assert by_email["alex@example.com"].response == "declined"  # delegated away
    assert by_email["beamer2@partner.example.org"].resource is True
    assert by_email["elbe@partner.example.org"].resource is True
    assert by_email["elbe@partner.example.org"].response == "tentative"
    assert not any(a.organizer for a in event.attendees)  # the organizer is not a guest


def test_outlook_request_windows_zone_and_times(ics):
    [event] = ics("invite_request_outlook.ics").events
    assert event.timezone == "Europe/Berlin"  # "W. Europe Standard Time" mapped
    assert event.start == datetime(2026, 11, 24, 14, 0, tzinfo=BERLIN)
    assert event.end - event.start == timedelta(hours=1)
    assert event.sequence == 1
    assert event.transparent is False
    assert event.updated == datetime(2026, 11, 16, 9, 15, tzinfo=UTC)
    assert event.status == "confirmed"
    assert event.summary == "Quartalsplanung Q1"
    assert event.location == "Konferenzraum Elbe"


def test_outlook_html_description_kept_when_it_has_links_the_text_lacks(ics):
    [event] = ics("invite_request_outlook.ics").events
    assert event.description.startswith("Hallo zusammen,\n\nbitte vorab lesen.")
    assert 'href="https://partner.example.org/wiki/Q1-Plan"' in event.description


def test_outlook_attachments_and_conference(ics):
    [event] = ics("invite_request_outlook.ics").events
    linked, binary = event.attachments
    assert linked.url == "https://partner.example.org/files/q1-plan.pptx"
    assert linked.title == "Q1 Plan.pptx"
    assert linked.mime_type.endswith("presentationml.presentation")
    assert binary.url == "attachment:notes.txt"
    assert binary.mime_type == "text/plain"
    assert event.conference_urls[0].startswith("https://teams.microsoft.com/l/meetup-join/")
    assert event.conference_urls[1].startswith("conf:sip:")


def test_google_export_event_types_and_transparency(ics):
    cal = ics("google_export_week.ics")
    by_summary = {e.summary: e for e in cal.events}
    assert cal.timezone == "Europe/Berlin"
    assert cal.method == "PUBLISH"
    assert by_summary["Focus time"].event_type == "focusTime"
    assert by_summary["Out of office"].event_type == "outOfOffice"
    assert by_summary["Billing v2 design review"].event_type == "default"
    assert by_summary["Coffee chat"].transparent is True


def test_google_export_utc_times_and_attachment(ics):
    review = next(e for e in ics("google_export_week.ics").events if e.uid.startswith("5k2v"))
    assert review.start == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert review.timezone is None  # written in UTC: the organizer's zone is unknown
    assert review.conference_urls == ("https://meet.google.com/abc-defg-hij",)
    [doc] = review.attachments
    assert doc.url == "https://docs.google.com/document/d/1AbCdEfG/edit"
    assert doc.title == "Design doc: billing v2"
    assert review.location == ""
    assert "Agenda:\n- Options A/B\n- Rollout plan" in review.description
    chris = review.attendee("chris@example.com")
    assert chris is not None and chris.organizer and chris.response == "accepted"


def test_all_day_event_is_placed_in_the_calendar_zone(ics):
    ooo = next(e for e in ics("google_export_week.ics").events if e.summary == "Out of office")
    assert ooo.all_day is True
    assert ooo.start == datetime(2026, 11, 26, tzinfo=BERLIN)
    assert ooo.end == datetime(2026, 11, 27, tzinfo=BERLIN)


def _one(body: str, **kwargs: str):
    data = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n" + body.strip().replace("\n", "\r\n")
    data += "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    [event] = parse_ics(data, **kwargs).events
    return event


def test_missing_dtend_uses_duration():
    event = _one("UID:d\nDTSTART:20261123T090000Z\nDURATION:PT45M\nSUMMARY:x")
    assert event.end - event.start == timedelta(minutes=45)


def test_missing_dtend_and_duration_is_an_instant_or_one_day():
    instant = _one("UID:i\nDTSTART:20261123T090000Z")
    day = _one("UID:j\nDTSTART;VALUE=DATE:20261123")
    assert instant.end == instant.start
    assert day.all_day and day.end - day.start == timedelta(days=1)
    assert day.start.date() == date(2026, 11, 23)


def test_floating_time_uses_default_tz_over_utc():
    body = "UID:f\nDTSTART:20261123T090000\nDTEND:20261123T100000"
    assert _one(body).start == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert _one(body, default_tz="America/New_York").start == datetime(
        2026, 11, 23, 9, tzinfo=ZoneInfo("America/New_York")
    )


def test_organizer_listed_as_attendee_is_marked():
    event = _one(
        "UID:o\nDTSTART:20261123T090000Z\nORGANIZER:MAILTO:Boss@Example.COM\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.com\n"
        "ATTENDEE:mailto:pat@example.com"
    )
    assert event.organizer_email == "boss@example.com"
    boss, pat = event.attendees
    assert boss.organizer and not pat.organizer
    assert pat.response == "needsAction"  # PARTSTAT absent: RFC 5545 default


def test_google_event_type_property_wins_over_busy_status():
    event = _one(
        "UID:w\nDTSTART:20261123T090000Z\nX-GOOGLE-EVENT-TYPE:workingLocation\n"
        "X-MICROSOFT-CDO-BUSYSTATUS:OOF"
    )
    assert event.event_type == "workingLocation"


def test_unknown_google_event_type_is_a_meeting():
    assert _one("UID:u\nDTSTART:20261123T090000Z\nX-GOOGLE-EVENT-TYPE:spaceship").event_type == (
        "default"
    )


def test_html_only_description_is_used():
    event = _one(
        "UID:h\nDTSTART:20261123T090000Z\nX-ALT-DESC;FMTTYPE=text/html:<p>Agenda<br>1. a</p>"
    )
    assert event.description == "<p>Agenda<br>1. a</p>"


def test_html_description_without_new_links_is_dropped():
    event = _one(
        "UID:h2\nDTSTART:20261123T090000Z\nDESCRIPTION:See https://docs.example.com/a\n"
        'X-ALT-DESC;FMTTYPE=text/html:<a href="https://docs.example.com/a">doc</a>'
    )
    assert event.description == "See https://docs.example.com/a"


def test_cancel_method_cancels_the_events():
    data = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:CANCEL\nBEGIN:VEVENT\nUID:c\n"
        "DTSTART:20261123T090000Z\nSEQUENCE:3\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    [event] = parse_ics(data).events
    assert event.status == "cancelled"
    assert event.sequence == 3


def test_event_without_uid_gets_a_stable_one():
    first = _one("DTSTART:20261123T090000Z\nSUMMARY:Nameless")
    again = _one("DTSTART:20261123T090000Z\nSUMMARY:Nameless")
    assert first.uid.startswith("no-uid-")
    assert first.uid == again.uid


def test_vendor_prefixed_tzid_is_understood(ics):
    cal = ics("evolution_global_tzid.ics")
    [event] = cal.events
    assert event.start == datetime(2026, 11, 25, 14, 30, tzinfo=BERLIN)
    assert event.timezone == "Europe/Berlin"
    assert cal.timezone == "Europe/Berlin"
    assert event.organizer is not None and event.organizer.email == "kai@vendor.example.net"


def test_vendor_prefixed_tzid_without_vtimezone_is_guessed_quietly():
    event = _one(
        "UID:g\nDTSTART;TZID=/citadel.org/20190914_1/America/New_York:20261124T090000\n"
        "DURATION:PT1H"
    )
    assert event.start == datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("America/New_York"))
    assert event.timezone == "America/New_York"
