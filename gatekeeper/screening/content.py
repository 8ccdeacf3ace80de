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
    extra: list[Link] = []
    if invite.location:
        extra.extend(Link(link.url, link.kind, link.label) for link in find_links(invite.location))
    known = {link.url for link in links} | {link.url for link in extra}
    for url in invite.conference_urls:
        if url not in known:
            kind, label = classify(url)
            extra.append(Link(url, kind if kind != DOC else JOIN, label))
    preread, link_notes = link_evidence([*links, *extra], text)
    preread = attachment_evidence(invite.attachments) + preread

    docs = {(link.raw or link.url): link.label for link in links if link.kind == DOC}
    if text.strip():
        agenda, notes = find_agenda(split_lines(text), invite.summary, docs)
    else:
        agenda, notes = [], ["the description is empty"]
    return ContentReport(
        has_agenda=bool(agenda),
        has_preread=bool(preread),
        agenda_evidence=tuple(agenda),
        preread_evidence=tuple(preread),
        notes=tuple(notes + link_notes),
    )
