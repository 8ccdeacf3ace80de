"""Agenda and pre-read rules, one behaviour per test, with the evidence they give."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from gatekeeper.domain import Attachment, ContentReport, Invite
from gatekeeper.screening.content import analyze

MakeInvite = Callable[..., Invite]


def report_for(make_invite: MakeInvite, description: str, **fields: object) -> ContentReport:
    return analyze(make_invite(description, **fields))


@pytest.mark.parametrize(
    "description",
    [
        "Agenda: TBD",
        "Agenda: tbc",
        "agenda to follow",
        "Agenda will be shared later",
        "The agenda will be sent before the meeting.",
        "I'll send the agenda closer to the date",
        "Agenda folgt",
        "Tagesordnung: tbd",
        "Die Tagesordnung wird nachgereicht.",
        "ordre du jour à venir",
        "Ordre du jour : à définir",
        "orden del día: por definir",
        "Agenda: pendiente",
        "see title",
    ],
)
def test_placeholder_is_not_an_agenda(make_invite: MakeInvite, description: str) -> None:
    report = report_for(make_invite, description)
    assert not report.has_agenda
    assert any("placeholder" in note for note in report.notes), report.notes


@pytest.mark.parametrize(
    "description",
    ["Quick sync", "catch up", "Let's chat", "Discuss project", "Sync", "Touch base re: project"],
)
def test_vague_line_is_not_an_agenda(make_invite: MakeInvite, description: str) -> None:
    report = report_for(make_invite, description)
    assert not report.has_agenda
    assert report.notes and "vague" in report.notes[0]


@pytest.mark.parametrize(
    "heading",
    [
        "Agenda:", "AGENDA", "**Agenda**", "## Agenda", "Agenda for Thursday:",
        "Proposed agenda (draft):", "Topics to cover:", "Discussion points", "Tagesordnung:",
        "Themen", "Ordre du jour :", "Points à aborder :", "Orden del día:", "Temas:",
        "Puntos a tratar:",
    ],
)  # fmt: skip
def test_agenda_heading_with_topics(make_invite: MakeInvite, heading: str) -> None:
    report = report_for(make_invite, f"{heading}\n- Pricing tiers\n- Launch date")
    assert report.has_agenda
    assert "heading with 2 topics" in report.agenda_evidence[0]


def test_numbered_list_without_heading(make_invite: MakeInvite) -> None:
    report = report_for(make_invite, "1. Pricing tiers\n2. Launch date\n3. Hiring")
    assert report.agenda_evidence == ("numbered list of 3 topics",)


def test_bulleted_list_with_blank_lines_between_items(make_invite: MakeInvite) -> None:
    report = report_for(make_invite, "* Pricing tiers\n\n* Launch date\n\n* Hiring plan")
    assert report.agenda_evidence == ("bulleted list of 3 topics",)


@pytest.mark.parametrize(
    "lines",
    [
        "10:00–10:15 Intro\n10:15–10:45 Roadmap",
        "10:00 - 10:15: Intro\n10:15 - 10:45: Roadmap",
        "9.30-10.00 Welcome\n10.00-11.00 Workshop",
        "10am-10:15am Intro\n10:15am-11am Roadmap",
        "5 min - status\n20 min - demos",
        "(15') demo\n(10') questions",
        "[10 min] Roadmap\n[5 min] Wrap-up",
        "Intro (5 min)\nDemo (20 min)",
        "Demo – 15'\nQ&A – 10'",
        "9h30 : accueil\n10h00 : ateliers",
    ],
)
def test_time_boxed_lines(make_invite: MakeInvite, lines: str) -> None:
    report = report_for(make_invite, lines)
    assert report.has_agenda
    assert report.agenda_evidence[0].startswith("2 time-boxed items"), report.agenda_evidence


def test_decision_needed_line(make_invite: MakeInvite) -> None:
    report = report_for(make_invite, "Decision needed: pick vendor A or B for SSO")
    assert report.agenda_evidence == (
        "decision needed: 'Decision needed: pick vendor A or B for SSO'",
    )


def test_purpose_statement_with_a_concrete_goal(make_invite: MakeInvite) -> None:
    text = "We need to agree on the Q4 hiring plan so Finance can close the budget."
    report = report_for(make_invite, text)
    assert report.agenda_evidence[0].startswith("purpose statement: 'We need to agree")


def test_purpose_statement_wrapped_over_lines(make_invite: MakeInvite) -> None:
    text = (
        "In this session we will review the churn numbers and\n"
        "decide which two experiments run next."
    )
    assert report_for(make_invite, text).has_agenda


def test_question_with_a_choice(make_invite: MakeInvite) -> None:
    report = report_for(make_invite, "Should we move billing to Stripe before Q4?")
    assert report.agenda_evidence[0].startswith("question to answer:")


def test_scheduling_question_is_not_an_agenda(make_invite: MakeInvite) -> None:
    assert not report_for(make_invite, "Can we grab 15 minutes this week?").has_agenda


def test_dial_in_numbers_are_not_topics(make_invite: MakeInvite) -> None:
    text = "Dial-in:\n• +1 415 555 0100 (US)\n• +44 20 7946 0958 (UK)\n• +49 30 901820 (DE)"
    assert not report_for(make_invite, text).has_agenda


def test_attendee_list_is_not_an_agenda(make_invite: MakeInvite) -> None:
    text = "- Sarah Chen (PM)\n- Marco Rossi – Tech Lead\n- julia@example.com"
    report = report_for(make_invite, text)
    assert not report.has_agenda
    assert "a list of 3 attendees is not an agenda" in report.notes


def test_items_under_attendees_heading_are_not_topics(make_invite: MakeInvite) -> None:
    text = "Attendees:\n- Platform team\n- Data team\n- Security"
    assert not report_for(make_invite, text).has_agenda


def test_agenda_kept_in_a_linked_document(make_invite: MakeInvite) -> None:
    report = report_for(make_invite, "Agenda: https://docs.google.com/document/d/1AbC/edit")
    assert report.has_agenda and report.has_preread
    assert report.agenda_evidence == ("'Agenda' points to a linked Google Doc",)


def test_agenda_heading_pointing_at_a_join_link_is_not_an_agenda(make_invite: MakeInvite) -> None:
    assert not report_for(make_invite, "Agenda: https://zoom.us/j/81234567890").has_agenda


def test_title_repeated_in_the_description(make_invite: MakeInvite) -> None:
    report = report_for(make_invite, "Budget alignment", summary="Budget alignment")
    assert not report.has_agenda
    assert report.notes == ("'Budget alignment' only repeats the title",)


def test_empty_description_note(make_invite: MakeInvite) -> None:
    assert report_for(make_invite, "").notes == ("the description is empty",)
    assert report_for(make_invite, "<br>&nbsp;<br>").notes == ("the description is empty",)


def test_only_joining_details_note(make_invite: MakeInvite) -> None:
    text = "Join Zoom Meeting\nhttps://zoom.us/j/81234567890\nMeeting ID: 812 3456 7890"
    report = report_for(make_invite, text)
    assert report.notes == ("the description holds only joining details", "ignored Zoom join link")


def test_pre_read_evidence_names_the_document(make_invite: MakeInvite) -> None:
    url = "https://docs.google.com/document/d/1Qm8bZr0xT7uKc2V9sLfP3aYwE5nHgJ4dR6tUiO2pAsM/edit"
    report = report_for(make_invite, f"Pre-read: {url}")
    assert report.preread_evidence == (f"Google Doc: {url[:63]}…",)


def test_cue_turns_an_ordinary_link_into_a_pre_read(make_invite: MakeInvite) -> None:
    with_cue = report_for(make_invite, "Background reading: https://blog.example.com/why-queues")
    without = report_for(make_invite, "Our website: https://blog.example.com/why-queues")
    assert with_cue.has_preread and not without.has_preread


def test_cue_on_the_heading_above_a_list_of_links(make_invite: MakeInvite) -> None:
    text = "Please read before we meet:\n- https://a.example.com/one\n- https://b.example.com/two"
    report = report_for(make_invite, text)
    assert len(report.preread_evidence) == 2


def test_attachment_is_a_pre_read_but_inline_images_are_not(make_invite: MakeInvite) -> None:
    deck = Attachment("https://drive.google.com/file/d/1XyZ/view", "Plan.pdf", "application/pdf")
    logo = Attachment("cid:image001.png@01DA", "image001.png", "image/png")
    invite = make_invite("Quick sync", attachments=(deck, logo))
    assert analyze(invite).preread_evidence == ("attachment: Plan.pdf",)
    assert not analyze(make_invite("Quick sync", attachments=(logo,))).has_preread


def test_document_in_location_is_a_pre_read(make_invite: MakeInvite) -> None:
    invite = make_invite("", location="https://www.notion.so/acme/Plan-5f1c2e")
    assert analyze(invite).has_preread


def test_conference_links_are_never_pre_reads(make_invite: MakeInvite) -> None:
    invite = make_invite("", conference_urls=("https://meet.google.com/abc-defg-hij",))
    report = analyze(invite)
    assert not report.has_preread
    assert "ignored Google Meet join link" in report.notes


def test_form_link_is_not_a_pre_read(make_invite: MakeInvite) -> None:
    report = report_for(make_invite, "Fill this in first: https://forms.gle/Xk8pQ2rT5vN9mB3w7")
    assert not report.has_preread
    assert any("form link" in note for note in report.notes)


def test_reasons_list_the_evidence(make_invite: MakeInvite) -> None:
    text = "Agenda:\n1. Pricing\n2. Launch\nDeck: https://example.com/deck.pdf"
    assert analyze(make_invite(text)).reasons == [
        "agenda found: 'Agenda' heading with 2 topics",
        "pre-read found: PDF: https://example.com/deck.pdf",
    ]


def test_huge_description_stays_fast(make_invite: MakeInvite) -> None:
    text = "Agenda:\n- Budget\n- Hiring\n" + ("- x 123 meeting " * 20 + "\n") * 5000
    started = time.perf_counter()
    report = analyze(make_invite(text))
    assert time.perf_counter() - started < 1.0
    assert report.has_agenda


def test_many_links_stay_fast(make_invite: MakeInvite) -> None:
    text = " ".join(f"https://example{n}.com/page/{n}?q=(x)" for n in range(2000))
    started = time.perf_counter()
    analyze(make_invite(text))
    assert time.perf_counter() - started < 1.0


def test_any_text_is_analyzed_without_error(make_invite: MakeInvite) -> None:
    rng = random.Random(20261124)
    pieces = [
        "Agenda:", "- ", "1. ", "• ", "10:00-10:15 ", "(5') ", "TBD", "Decision needed: ",
        "https://", "http://[::1", "www.", "docs.google.com/document/d/x", "<a href='", "'>",
        "</a>", "<br>", "<li>", "<!--", "&nbsp;", "&#", "-::~:~::~", "_" * 20, "\n", "\r\n",
        "-- \n", "Join Zoom Meeting", "+1 646 558 8656", "Meeting ID: 123 456 7890", "İ", "ß",
        "\u200b", "\ud800", "🙂", "|", ":", "?", "Should we ", "décider ", "ç", "\t", " ",
    ]  # fmt: skip
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        title = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 4)))
        report = analyze(make_invite(text, summary=title, location=text[:50]))
        assert report.has_agenda == bool(report.agenda_evidence)
        assert report.has_preread == bool(report.preread_evidence)


def test_instances_of_a_series_share_one_analysis(make_invite: MakeInvite) -> None:
    first = make_invite("Agenda:\n1. Pricing\n2. Launch", uid="series", recurring=True)
    later = make_invite(
        "Agenda:\n1. Pricing\n2. Launch",
        uid="series",
        recurring=True,
        start=first.start + timedelta(days=7),
        end=first.end + timedelta(days=7),
    )
    assert analyze(later) is analyze(first)
    renamed = make_invite("Agenda:\n1. Pricing\n2. Launch", summary="Pricing")
    assert analyze(renamed) == analyze(first)  # equal answer, computed for its own title
