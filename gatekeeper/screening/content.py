"""Agenda and pre-read detection: what an invite says it is for, and what to read first."""

from __future__ import annotations

from functools import lru_cache

from gatekeeper.domain import Attachment, ContentReport, Invite
from gatekeeper.screening.agenda import find_agenda
from gatekeeper.screening.lines import split_lines
from gatekeeper.screening.links import DOC, JOIN, Link, classify, find_links
from gatekeeper.screening.preread import attachment_evidence, link_evidence
from gatekeeper.screening.text import to_plain_text


def analyze(invite: Invite) -> ContentReport:
    """Return whether ``invite`` has an agenda and a pre-read, with the evidence for each."""
    return _analyze(
        invite.summary,
        invite.description,
        invite.location,
        invite.attachments,
        invite.conference_urls,
    )


# The instances of a recurring series share their text, and a calendar is screened one
# series at a time: the last few hundred answers are kept (reports are immutable).
@lru_cache(maxsize=512)
def _analyze(
    summary: str,
    description: str,
    location: str,
    attachments: tuple[Attachment, ...],
    conference_urls: tuple[str, ...],
) -> ContentReport:
    text = to_plain_text(description) if description else ""
    links = find_links(text) if text else []
    if location or conference_urls:
        links = links + _other_links(location, conference_urls, {link.url for link in links})
    preread, link_notes = link_evidence(links, text)
    attached = attachment_evidence(attachments) if attachments else []
    preread = attached + preread

    if text and not text.isspace():
        docs = {link.raw: link.label for link in links if link.kind == DOC and link.raw}
        agenda, notes = find_agenda(split_lines(text), summary, docs, bool(attached))
    else:
        agenda, notes = [], ["the description is empty"]
    return ContentReport(
        has_agenda=bool(agenda),
        has_preread=bool(preread),
        agenda_evidence=tuple(agenda),
        preread_evidence=tuple(preread),
        notes=tuple(notes + link_notes),
    )


def _other_links(location: str, conference_urls: tuple[str, ...], known: set[str]) -> list[Link]:
    """Return the links in the location and the conference data, not tied to the text."""
    out: list[Link] = []
    if location:
        for link in find_links(location):
            if link.url not in known:
                known.add(link.url)
                out.append(link._replace(raw=""))
    for url in conference_urls:
        if url not in known:
            known.add(url)
            kind, label = classify(url)
            out.append(Link(url, JOIN if kind == DOC else kind, label))
    return out
