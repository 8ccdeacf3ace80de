"""Find what an invite gives to read beforehand: attachments and links to documents."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from gatekeeper.domain import Attachment
from gatekeeper.screening.links import DOC, FORM, JOIN, MAP, OTHER, SCHEDULING, SOCIAL, Link

# Words that announce material to read; they turn an ordinary web link into a pre-read.
_CUE = re.compile(
    r"pre-?\s?reads?\b|pre-?reading|prereq|please (?:read|review|have a look|take a look|look"
    r"|go through|skim|check out|see)|\bread (?:before|ahead|beforehand|prior|through|this"
    r"|the|up)|\breading\b|background|context|materials?\b|resources?\b|documents?\b|\bdocs?\b"
    r"|\bdeck\b|slides\b|proposal|\brfc\b|\bspec\b|specification|design|one-?pager|\bbrief\b"
    r"|\bmemo\b|write-?up|report|\bnotes\b|\bdraft\b|\bpaper\b|\bvorab\b|\blesen\b|unterlagen"
    r"|lektüre|dokument|à lire|\blire\b|lecture|lectura|\bleer\b|documento|\bmaterial\b"
    r"|antecedentes|contexte|contexto|hintergrund|\bwiki\b|\bticket\b|\bepic\b|\bpr\b"
)
_IGNORED_FILE = re.compile(
    r"^(?:image\d{3}|outlook-[\w-]+|~wrl\d+)\.(?:png|jpe?g|gif|bmp|tmp)$|\.(?:ics|vcs|vcf)$"
)
_NOTE_KINDS = {
    JOIN: "join link",
    SCHEDULING: "scheduling link",
    MAP: "map link",
    SOCIAL: "profile link",
    FORM: "form link (a questionnaire, not something to read)",
}


def _short(url: str, limit: int = 64) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def attachment_name(attachment: Attachment) -> str:
    """Return a short display name for an attachment."""
    if attachment.title:
        return attachment.title.strip()
    tail = attachment.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail or _short(attachment.url)


def attachment_evidence(attachments: Iterable[Attachment]) -> list[str]:
    """Return one piece of evidence per real attachment (inline signature images left out)."""
    out: list[str] = []
    for attachment in attachments:
        name = attachment_name(attachment)
        mime = (attachment.mime_type or "").lower()
        if mime in ("text/calendar", "text/vcard") or _IGNORED_FILE.search(name.lower()):
            continue
        out.append(f"attachment: {name}")
    return out


def _line_around(text: str, start: int) -> tuple[str, str]:
    """Return the line holding offset ``start`` and the nearest non-blank line above it."""
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    line = text[begin : end if end != -1 else len(text)]
    above = ""
    cursor = begin - 1
    hops = 0
    while cursor > 0 and hops < 6:
        prev_begin = text.rfind("\n", 0, cursor) + 1
        candidate = text[prev_begin:cursor].strip()
        cursor = prev_begin - 1
        if not candidate:
            continue
        hops += 1
        if "://" in candidate or candidate[:1] in "-*•·–—+" or candidate[:1].isdigit():
            if _CUE.search(candidate.lower().split("http", 1)[0]):
                above = candidate
                break
            continue  # another item of the same list: keep looking for its heading
        # Only a heading-like line ("Pre-read:", "Background reading") announces the link.
        if candidate.endswith(":") or len(candidate.split()) <= 6:
            above = candidate
        break
    return line, above


def link_evidence(links: Sequence[Link], text: str) -> tuple[list[str], list[str]]:
    """Return (evidence, notes) for the links found in ``text`` (and elsewhere, start -1)."""
    evidence: list[str] = []
    notes: list[str] = []
    for link in links:
        if link.kind == DOC:
            evidence.append(f"{link.label}: {_short(link.url)}")
        elif link.kind == OTHER and link.start >= 0:
            line, above = _line_around(text, link.start)
            own = line.lower().replace(link.url.lower(), " ")
            if _CUE.search(own) or (above and _CUE.search(above.lower())):
                evidence.append(f"linked document ({link.label}): {_short(link.url)}")
        elif link.kind in _NOTE_KINDS:
            note = f"ignored {link.label} {_NOTE_KINDS[link.kind]}"
            if link.kind == JOIN:
                note = f"ignored {link.label} join link"
            if note not in notes:
                notes.append(note)
    return evidence, notes
