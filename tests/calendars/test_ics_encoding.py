"""Text encodings seen in the wild: UTF-8 (with or without BOM), UTF-16, Windows-1252."""

from __future__ import annotations

from gatekeeper.calendars.ics import parse_ics

EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:enc@example.com\r\n"
    "DTSTART:20261124T100000Z\r\nSUMMARY:Café – Planung für 2027\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_windows_1252_outlook_export_keeps_accents(ics):
    [event] = ics("windows1252_outlook.ics").events
    assert event.summary == "Café mit dem Vertrieb – Q1"
    assert event.organizer is not None and event.organizer.name == "Jürgen Müller"
    assert event.description == "Tagesordnung: Preise für 2027"


def test_utf8_with_bom():
    [event] = parse_ics(b"\xef\xbb\xbf" + EVENT.encode("utf-8")).events
    assert event.summary == "Café – Planung für 2027"


def test_utf16_with_bom():
    [event] = parse_ics(EVENT.encode("utf-16")).events
    assert event.summary == "Café – Planung für 2027"


def test_text_input_is_accepted_as_is():
    [event] = parse_ics(EVENT).events
    assert event.summary == "Café – Planung für 2027"


def test_lf_only_line_endings_and_folding():
    text = EVENT.replace("\r\n", "\n").replace("SUMMARY:Café", "SUMMARY:Caf\n é")
    [event] = parse_ics(text).events
    assert event.summary == "Café – Planung für 2027"
