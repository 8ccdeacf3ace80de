"""Turning descriptions (plain text or HTML) into text, and cutting join details out of it."""

from __future__ import annotations

import re
import time

from gatekeeper.screening.boilerplate import is_boilerplate
from gatekeeper.screening.lexicon import trie_pattern
from gatekeeper.screening.lines import BLANK, BOILER, split_lines
from gatekeeper.screening.text import MAX_CHARS, html_to_text, is_html, to_plain_text


def kept(text: str) -> list[str]:
    """Return the lines left once join details are taken out."""
    return [line.text for line in split_lines(text) if line.kind not in (BLANK, BOILER)]


def test_plain_text_is_left_alone() -> None:
    text = "Agenda:\n- Budget < 10k?\n- Q&A"
    assert not is_html(text)
    assert to_plain_text(text) == text


def test_outlook_angle_bracket_links_are_not_html() -> None:
    assert not is_html("Join<https://teams.microsoft.com/l/meetup-join/19>")


def test_google_html_renders_lines_bullets_and_entities() -> None:
    html = (
        "<b>Agenda</b><br><ol><li>Q3&nbsp;recap</li><li>Let&#39;s decide &amp; move</li></ol>"
        "<p>Thanks</p>"
    )
    lines = [line for line in to_plain_text(html).split("\n") if line.strip()]
    assert lines == ["Agenda", "• Q3 recap", "• Let's decide & move", "Thanks"]


def test_link_targets_stay_on_the_line_of_their_label() -> None:
    html = 'Pre-read: <a href="https://docs.google.com/document/d/1AbC/edit">Q3 plan</a><br>next'
    assert to_plain_text(html).split("\n")[0] == (
        "Pre-read: Q3 plan (https://docs.google.com/document/d/1AbC/edit)"
    )


def test_a_link_shown_as_its_own_address_is_not_repeated() -> None:
    html = '<a href="https://example.com/x">https://example.com/x</a>'
    assert to_plain_text(html) == "https://example.com/x"


def test_mailto_links_keep_only_their_text() -> None:
    assert html_to_text('<a href="mailto:ana@example.com">Ana</a>') == "Ana"


def test_script_style_and_comments_are_invisible() -> None:
    html = "<style>p{color:red}</style><!-- agenda --><script>var x='Agenda';</script><p>Hi</p>"
    assert to_plain_text(html).strip() == "Hi"


def test_raw_newlines_inside_html_are_spaces() -> None:
    html = "<p>Discuss the\nQ3 budget</p>"
    assert to_plain_text(html).strip() == "Discuss the Q3 budget"


def test_crlf_and_non_breaking_spaces_are_normalized() -> None:
    assert to_plain_text("Agenda:\r\n-\xa0Budget\r\n") == "Agenda:\n- Budget\n"


def test_description_is_capped() -> None:
    assert len(to_plain_text("x" * (MAX_CHARS * 3))) == MAX_CHARS


def test_unclosed_tags_and_comments_do_not_hang() -> None:
    nasty = "<a href='x' " * 5000 + "<!--" + "<b>" * 5000
    started = time.perf_counter()
    to_plain_text(nasty)
    assert time.perf_counter() - started < 1.0


def test_google_meet_block_is_cut_between_its_separators() -> None:
    text = (
        "Agenda: budget\n\n-::~:~::~:~:~:~::~:~::-\nJoin with Google Meet: https://meet.google.com/x\n"
        "Totally unknown line inside the block\n-::~:~::~:~:~:~::~:~::-\nAfter"
    )
    assert kept(text) == ["Agenda: budget", "After"]


def test_teams_block_is_cut_between_its_rules() -> None:
    rule = "_" * 80
    text = (
        f"Topics:\n- A\n{rule}\nMicrosoft Teams meeting\nSome words\n{'_' * 32}\nMore\n{rule}\nBye"
    )
    assert kept(text) == ["Topics:", "- A", "Bye"]


def test_a_rule_without_teams_under_it_is_only_a_rule() -> None:
    assert kept("Intro\n" + "_" * 40 + "\nAgenda:\n- A") == ["Intro", "Agenda:", "- A"]


def test_calendar_footer_and_signature_are_cut() -> None:
    assert kept("Goal: agree\n-- \nSam\nAcme") == ["Goal: agree"]
    assert kept("Goal: agree\n\nInvitation from Google Calendar: https://x\nmore") == [
        "Goal: agree"
    ]


def test_zoom_lines_are_dropped_and_human_lines_kept() -> None:
    text = (
        "Join Zoom Meeting\nhttps://zoom.us/j/81234567890?pwd=abc\n\nMeeting ID: 812 3456 7890\n"
        "Passcode: 482913\n---\nOne tap mobile\n+16694449171,,81234567890# US\n"
        "Dial by your location\n• +1 669 444 9171 US\n• 162.255.37.11 (US West)\n"
        "• 81234567890@zoomcrc.com\nAgenda:\n10:15-10:45 options\n- Budget"
    )
    assert kept(text) == [
        "Agenda:",
        "10:15-10:45 options",
        "- Budget",
    ]


def test_boilerplate_lines_in_several_languages() -> None:
    for line in (
        "click here to join the meeting",
        "besprechungs-id: 312 448 905 117",
        "code secret : hw7aqz",
        "código de acceso: tb5xwq",
        "+49 69 3807 9883 deutschland",
        "meeting id 812 3456 7890",
        "download teams | join on the web",
    ):
        assert is_boilerplate(line), line
    for line in ("budget for q4", "decide the launch date", "2024-03-05 board review"):
        assert not is_boilerplate(line), line


def test_long_lines_of_digits_and_words_stay_linear() -> None:
    text = ("meeting 1 2 3 4 5 6 7 8 9 " * 400 + "zzz\n") * 5
    started = time.perf_counter()
    split_lines(text)
    assert time.perf_counter() - started < 1.0


def test_trie_pattern_matches_every_phrase_and_prefers_the_longest() -> None:
    phrases = ["to", "to follow", "tbd", "tba", "t.b.d.", "à venir", "(x)"]
    pattern = re.compile(trie_pattern(phrases))
    for phrase in phrases:
        assert pattern.fullmatch(phrase), phrase
    match = pattern.match("to follow soon")
    assert match is not None and match.group() == "to follow"
    assert pattern.fullmatch("tb") is None


def test_rtf_bodies_become_their_text() -> None:
    rtf = r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Topics:\par\tab - Pricing\par\tab - Hiring\par}"
    assert to_plain_text(rtf).split("\n")[:3] == ["Topics:", " - Pricing", " - Hiring"]


def test_a_broken_rtf_body_is_read_as_it_is() -> None:
    broken = "{\\rtf1 Agenda: pricing {unclosed"
    assert "pricing" in to_plain_text(broken)


def test_inline_tags_keep_the_writers_own_line_breaks() -> None:
    text = "Hi all,\n\nAgenda:\n1. <b>Pricing</b><br>\n2. Hiring\n<a href='https://x.example'>x</a>"
    assert html_to_text(text).split("\n")[:5] == [
        "Hi all,",
        "",
        "Agenda:",
        "1. Pricing",
        "2. Hiring",
    ]
    # Block tags: raw newlines are only spaces.
    assert html_to_text("<p>one\ntwo</p>").strip() == "one two"


def test_a_forwarded_message_after_a_signature_is_read() -> None:
    text = (
        "Moving this to a call.\n-- \nMartina\nHead of Infra\n\n"
        "-------- Forwarded Message --------\nSubject: Outages\n\nTo cover:\n"
        "1. Timeline of the outages\n2. Decision: replace the access points\n"
    )
    assert "2. Decision: replace the access points" in kept(text)
    assert "Head of Infra" not in kept(text)
