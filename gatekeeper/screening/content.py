"""Agenda and pre-read detection: what an invite says it is for, and what to read first."""

from __future__ import annotations

from gatekeeper.domain import ContentReport, Invite
from gatekeeper.screening.agenda import find_agenda
from gatekeeper.screening.lines import split_lines
from gatekeeper.screening.links import DOC, JOIN, Link, classify, find_links
from gatekeeper.screening.preread import attachment_evidence, link_evidence
from gatekeeper.screening.text import to_plain_text


def analyze(invite: Invite) -> ContentReport:
    """Return whether ``invite`` has an agenda and a pre-read, with the evidence for each."""
    text = to_plain_text(invite.description) if invite.description else ""
    links = find_links(text) if text else []
    if invite.location or invite.conference_urls:
        links = links + _other_links(invite, {link.url for link in links})
    preread, link_notes = link_evidence(links, text)
    attached = attachment_evidence(invite.attachments) if invite.attachments else []
    preread = attached + preread

    if text and not text.isspace():
        docs = {link.raw: link.label for link in links if link.kind == DOC and link.raw}
        agenda, notes = find_agenda(split_lines(text), invite.summary, docs, bool(attached))
    else:
        agenda, notes = [], ["the description is empty"]
    return ContentReport(
        has_agenda=bool(agenda),
        has_preread=bool(preread),
        agenda_evidence=tuple(agenda),
        preread_evidence=tuple(preread),
        notes=tuple(notes + link_notes),
    )


def _other_links(invite: Invite, known: set[str]) -> list[Link]:
    """Return the links in the location and the conference data, not tied to the text."""
    out: list[Link] = []
    if invite.location:
        for link in find_links(invite.location):
            if link.url not in known:
                known.add(link.url)
                out.append(link._replace(raw=""))
    for url in invite.conference_urls:
        if url not in known:
            known.add(url)
            kind, label = classify(url)
            out.append(Link(url, JOIN if kind == DOC else kind, label))
    return out
