"""Link classification: documents count as pre-reads; join, scheduling and help links don't."""

from __future__ import annotations

import pytest

from gatekeeper.screening.links import (
    DOC,
    FORM,
    HELP,
    JOIN,
    MAP,
    OTHER,
    SCHEDULING,
    SOCIAL,
    classify,
    find_links,
    unwrap,
)

DOCUMENTS = [
    ("https://docs.google.com/document/d/1AbC/edit", "Google Doc"),
    ("https://docs.google.com/a/acme.com/document/d/1AbC/edit", "Google Doc"),
    ("https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0", "Google Sheet"),
    ("https://docs.google.com/presentation/d/1AbC/edit", "Google Slides"),
    ("https://drive.google.com/file/d/1AbC/view?usp=sharing", "Google Drive file"),
    ("https://drive.google.com/open?id=1AbC", "Google Drive file"),
    ("https://drive.google.com/drive/folders/1AbC", "Google Drive folder"),
    ("https://drive.google.com/drive/u/0/folders/1AbC", "Google Drive folder"),
    ("https://www.notion.so/acme/Roadmap-5f1c2e", "Notion page"),
    ("https://acme.notion.site/Roadmap-5f1c2e", "Notion page"),
    ("https://acme.atlassian.net/wiki/spaces/ENG/pages/123/API", "Confluence page"),
    ("https://wiki.acme.com/confluence/display/ENG/Runbook", "Confluence page"),
    ("https://intranet.acme.com/display/SRE/Failover", "Confluence page"),
    ("https://wiki.acme.com/pages/viewpage.action?pageId=42", "Confluence page"),
    ("https://acme.atlassian.net/browse/PLAT-4412", "Jira issue"),
    ("https://quip.com/aB3cD4eF5gH6/Plan", "Quip doc"),
    ("https://paper.dropbox.com/doc/Plan--CAb1c2", "Dropbox Paper doc"),
    ("https://www.dropbox.com/scl/fi/abc123/plan.key?rlkey=x", "Dropbox file"),
    ("https://www.dropbox.com/s/abc123/notes.txt", "Dropbox file"),
    ("https://acme.sharepoint.com/:w:/s/Team/EbX3kQ1?e=abc", "Word document (SharePoint)"),
    ("https://acme.sharepoint.com/:x:/r/sites/Fin/Book.xlsx", "Excel workbook (SharePoint)"),
    ("https://acme.sharepoint.com/:p:/s/Sales/EbX3kQ1", "PowerPoint deck (SharePoint)"),
    ("https://acme.sharepoint.com/:b:/s/Legal/EbX3kQ1", "PDF (SharePoint)"),
    ("https://acme.sharepoint.com/sites/Team/Shared%20Documents/Plan.docx", "SharePoint document"),
    (
        "https://acme.sharepoint.com/sites/Team/_layouts/15/Doc.aspx?sourcedoc=x",
        "SharePoint document",
    ),
    ("https://acme-my.sharepoint.com/personal/ana/Documents/notes.one", "SharePoint document"),
    ("https://onedrive.live.com/edit.aspx?resid=ABC", "OneDrive file"),
    ("https://1drv.ms/w/s!AkP3q7rT2mVn", "OneDrive file"),
    ("https://example.com/reports/q3.pdf", "PDF"),
    ("https://files.example.com/deck.pptx?download=1", "PowerPoint deck"),
    ("https://files.example.com/model.xlsx", "Excel workbook"),
    ("https://files.example.com/pitch.key", "Keynote deck"),
    ("https://github.com/acme/api/pull/4821", "GitHub pull request"),
    ("https://github.com/acme/api/issues/77", "GitHub issue"),
    ("https://github.com/acme/rfcs/blob/main/0042-rust.md", "GitHub file"),
    ("https://gitlab.com/acme/platform/-/merge_requests/1287", "GitLab merge request"),
    ("https://git.acme.com/team/app/-/issues/12", "GitLab issue"),
    ("https://www.figma.com/file/Qw3Er5/Onboarding", "Figma file"),
    ("https://www.figma.com/design/Qw3Er5/Onboarding?node-id=1-2", "Figma file"),
    ("https://miro.com/app/board/uXjVKx9a2Bc=/", "Miro board"),
    ("https://coda.io/d/Launch_dA1b2C3", "Coda doc"),
    ("https://airtable.com/appX1y2Z3a4B5c6D7/shrQ8r9S0", "Airtable base"),
    ("https://www.loom.com/share/4f8d2a9c6b1e", "Loom video"),
    ("https://acme.app.box.com/s/9x8w7v6u5t", "Box file"),
    ("https://arxiv.org/abs/2310.06825", "arXiv paper"),
    ("https://teams.microsoft.com/l/file/ABC-123?tenantId=x", "file shared in Teams"),
]

NOT_DOCUMENTS = [
    ("https://us02web.zoom.us/j/81234567890?pwd=abc", JOIN),
    ("https://zoom.us/my/priya.raman", JOIN),
    ("https://us02web.zoom.us/u/kdQ2x7Rb3", HELP),
    ("https://zoom.us/test", HELP),
    ("https://meet.google.com/abc-defg-hij", JOIN),
    ("https://tel.meet/abc-defg-hij?pin=123", JOIN),
    ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0", JOIN),
    ("https://teams.microsoft.com/meetingOptions/?organizerId=1", HELP),
    ("https://teams.live.com/meet/9312345", JOIN),
    ("https://acme.webex.com/acme/j.php?MTID=m7f2b", JOIN),
    ("https://meet.goto.com/482736915", JOIN),
    ("https://global.gotomeeting.com/join/482736915", JOIN),
    ("https://whereby.com/acme-standup", JOIN),
    ("https://app.chime.aws/meetings/1234", JOIN),
    ("https://meet.jit.si/AcmeRetro", JOIN),
    ("https://calendly.com/sam/30min", SCHEDULING),
    ("https://cal.com/ana/intro", SCHEDULING),
    ("https://doodle.com/meeting/participate/id/e6Lk2N9b", SCHEDULING),
    ("https://savvycal.com/ana/chat", SCHEDULING),
    ("https://outlook.office.com/bookwithme/user/abc", SCHEDULING),
    ("https://calendar.google.com/calendar/appointments/AcZssZ2x", SCHEDULING),
    ("https://maps.google.com/?q=Alexanderplatz", MAP),
    ("https://www.google.com/maps/place/Berlin", MAP),
    ("https://goo.gl/maps/x7Qm2LrZ9", MAP),
    ("https://maps.app.goo.gl/x7Qm2LrZ9cVbN4pT8", MAP),
    ("https://maps.apple.com/?address=1+Infinite+Loop", MAP),
    ("https://www.linkedin.com/in/samortiz", SOCIAL),
    ("https://twitter.com/acme", SOCIAL),
    ("https://x.com/acme", SOCIAL),
    ("https://github.com/samortiz", SOCIAL),
    ("https://aka.ms/JoinTeamsMeeting", HELP),
    ("https://support.google.com/a/users/answer/9282720", HELP),
    ("https://www.microsoft.com/en-us/microsoft-teams/download-app", HELP),
    ("https://calendar.google.com/calendar/event?action=VIEW&eid=abc", HELP),
    ("https://forms.gle/Xk8pQ2rT5vN9mB3w7", FORM),
    ("https://docs.google.com/forms/d/e/1FAIpQLSd/viewform", FORM),
    ("https://forms.office.com/r/AbC123", FORM),
    ("https://acme.sharepoint.com/sites/Marketing", OTHER),
    ("https://github.com/acme/api", OTHER),
    ("https://www.fabrikam.com", OTHER),
]


@pytest.mark.parametrize(("url", "label"), DOCUMENTS)
def test_document_links_are_pre_reads(url: str, label: str) -> None:
    assert classify(url) == (DOC, label)


@pytest.mark.parametrize(("url", "kind"), NOT_DOCUMENTS)
def test_other_links_are_not_pre_reads(url: str, kind: str) -> None:
    assert classify(url)[0] == kind


def test_host_names_are_case_insensitive() -> None:
    assert classify("HTTPS://Docs.Google.COM/document/d/1AbC/edit")[0] == DOC


def test_google_redirect_wrapper_is_unwrapped() -> None:
    wrapped = (
        "https://www.google.com/url?q=https://docs.google.com/document/d/1Qm8/edit"
        "&sa=D&source=calendar&usd=2&usg=AOvVaw0f"
    )
    assert unwrap(wrapped) == "https://docs.google.com/document/d/1Qm8/edit"


def test_outlook_safe_links_wrapper_is_unwrapped() -> None:
    wrapped = (
        "https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fcontoso.sharepoint.com"
        "%2F%3Ax%3A%2Fs%2FFinance%2FEb7c&data=05%7C02&sdata=Zm9v&reserved=0"
    )
    assert unwrap(wrapped) == "https://contoso.sharepoint.com/:x:/s/Finance/Eb7c"


def test_proofpoint_wrappers_are_unwrapped() -> None:
    v3 = "https://urldefense.com/v3/__https://acme.atlassian.net/wiki/x__;!!AbC$"
    v2 = "https://urldefense.proofpoint.com/v2/url?u=https-3A__quip.com_aB3cD4eF5gH6&d=DwMFaQ"
    assert unwrap(v3) == "https://acme.atlassian.net/wiki/x"
    assert unwrap(v2) == "https://quip.com/aB3cD4eF5gH6"


def test_broken_wrapper_is_left_as_is() -> None:
    broken = "https://www.google.com/url?q=%"
    assert unwrap(broken) in (broken, "%")


def test_find_links_trims_punctuation_and_keeps_balanced_parentheses() -> None:
    text = (
        "See https://docs.google.com/document/d/1AbC/edit. Also (https://example.com/a_(b)) and "
        "<https://zoom.us/j/123456789>, https://en.wikipedia.org/wiki/Bus_(computing)!"
    )
    urls = [link.url for link in find_links(text)]
    assert urls == [
        "https://docs.google.com/document/d/1AbC/edit",
        "https://example.com/a_(b)",
        "https://zoom.us/j/123456789",
        "https://en.wikipedia.org/wiki/Bus_(computing)",
    ]


def test_find_links_reads_bare_www_addresses_once() -> None:
    links = find_links("Deck: www.acme.com/decks/q3.pdf, also https://www.acme.com/decks/q3.pdf")
    assert [(link.url, link.kind) for link in links] == [("https://www.acme.com/decks/q3.pdf", DOC)]


def test_find_links_reports_duplicates_once() -> None:
    text = "https://zoom.us/j/1234567890 https://zoom.us/j/1234567890"
    assert len(find_links(text)) == 1


def test_find_links_reads_an_upper_case_scheme() -> None:
    links = find_links("Deck: HTTPS://Docs.Google.com/presentation/d/1AbC/edit")
    assert [(link.kind, link.label) for link in links] == [(DOC, "Google Slides")]
