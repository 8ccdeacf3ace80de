"""Reply rendering: templates filled line by line, and times written for people."""

from __future__ import annotations

from datetime import UTC, datetime

from gatekeeper.screening.messages import format_when, render


def test_lines_of_only_empty_placeholders_are_left_out() -> None:
    template = "Hi {name},\n\n{focus}\n{missing}\n\nBye"
    assert render(template, {"name": "Ana", "focus": "", "missing": ""}) == "Hi Ana,\n\nBye"
    filled = render(template, {"name": "Ana", "focus": "", "missing": "No agenda."})
    assert filled == "Hi Ana,\n\nNo agenda.\n\nBye"


def test_a_line_with_words_stays_even_when_its_placeholder_is_empty() -> None:
    assert render("Tag: {tag}.\nEnd", {"tag": ""}) == "Tag: .\nEnd"
    # Punctuation alone is filler: the line goes with its empty placeholders.
    assert render("({a}, {b})\nEnd", {"a": "", "b": ""}) == "End"
    assert render("({a}, {b})\nEnd", {"a": "", "b": "x"}) == "(, x)\nEnd"


def test_unknown_placeholders_are_kept_as_written() -> None:
    assert render("Hello {nobody} and {name}", {"name": "Bo"}) == "Hello {nobody} and Bo"
    # A line of nothing but unknown placeholders counts as empty.
    assert render("A\n{nobody}\nB", {}) == "A\nB"


def test_blank_lines_never_pile_up_and_the_ends_are_trimmed() -> None:
    template = "\n\n  {greeting}\n\n\n{gone}\n\n\nBody   \n\n\n"
    assert render(template, {"greeting": "Hi", "gone": ""}) == "Hi\n\nBody"
    # A value of several lines is kept whole, but its own blank runs shrink too.
    assert render("{times}", {"times": "a\n\n\n\nb"}) == "a\n\nb"


def test_format_when_writes_english_names_in_the_given_zone() -> None:
    start = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    end = datetime(2026, 11, 24, 13, 30, tzinfo=UTC)
    assert format_when(start, end, "Europe/Berlin") == "Tue 24 Nov, 14:00–14:30 (Europe/Berlin)"
    assert format_when(start, end, "UTC", parens=False) == "Tue 24 Nov, 13:00–13:30 UTC time"


def test_format_when_names_both_days_when_the_meeting_crosses_midnight() -> None:
    # The night summer time begins in Berlin (01:00 UTC on 29 March): 23:30 CET to 03:30 CEST.
    start = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)
    end = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert format_when(start, end, "Europe/Berlin") == (
        "Sat 28 Mar, 23:30 – Sun 29 Mar, 03:30 (Europe/Berlin)"
    )
    new_york = format_when(start, end, "America/New_York")
    assert new_york == "Sat 28 Mar, 18:30–21:30 (America/New_York)"
