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
    r"|\bwatch\b|ansehen|regarder|\bvideo\b|dashboard|analysis|\bthread\b"
)
# A shared folder to put files into is a destination, not something to read.
_UPLOAD = re.compile(
    r"\b(?:upload|uploads|uploaded|uploading|drop (?:your|the|them)|put (?:your|the) (?:files"
    r"|photos|slides)|hochladen|ablegen|téléverser|déposer|deposit|subir|suban|sube)\b"
)
# Words that announce several links as material to read, on the first of them.
_ANNOUNCE = re.compile(
    r"pre-?\s?reads?|pre-?reading|\breading\b|materials?\b|documents?\b|\bdocs\b|background"
    r"|resources\b|unterlagen|\bvorab\b|lektüre|à lire|lecture|lectura|documentación"
    r"|documentos|antecedentes"
)
# A link used in the meeting itself, and words that still ask for a look before it.
_LIVE = re.compile(
    r"\b(?:live(?! (?:in|on|at|under|here|there)\b)|during the (?:session|meeting|call|workshop)"
    r"|in the (?:session|meeting)"
    r"|(?:blank|empty) (?:board|template|doc|document|canvas|page|sheet|folder)"
    r"|(?:we'?ll|we will) (?:fill in|pull up|open|build|create|use)"
    r"|en direct|pendant la (?:réunion|séance)|während (?:der|des) (?:sitzung|termins|meetings)"
    r"|live im|durante la (?:reunión|sesión)|en vivo|observer?|observation room|livestream"
    r"|live stream)\b"
)
# "No need to open it beforehand": the words about before say the opposite.
_NO_NEED = re.compile(
    r"\bno need to\b|\bdon'?t need to\b|\bnot necessary\b|\bpas besoin\b|\bnicht nötig\b"
    r"|\bno hace falta\b|\bno es necesario\b"
)
_BEFORE = re.compile(
    r"\b(?:before|beforehand|ahead|prior|in advance|pre-?reads?|pre-?work|vorab|vorher"
    r"|im voraus|avant|à l'avance|antes|con antelación)\b"
)
_IGNORED_FILE = re.compile(
    r"^(?:image\d{3}|outlook-[\w-]+|~wrl\d+)\.(?:png|jpe?g|gif|bmp|tmp)$|\.(?:ics|vcs|vcf)$"
)
_NEAR = 160  # characters around a link that may announce it
_MAX_CHECKED = 25  # ordinary links looked at per invite; beyond that it is a link dump
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


def _around(text: str, start: int, end: int) -> str:
    """Return the words beside a link on its own line (a bounded window either side)."""
    window = max(0, start - _NEAR)
    newline = text.rfind("\n", window, start)
    begin = newline + 1 if newline != -1 else window
    stop = text.find("\n", end, end + _NEAR)
    return text[begin:start] + " " + text[end : stop if stop != -1 else end + _NEAR]


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the words around a link on its line, and the nearest heading-like line above.

    Both are bounded (a link's neighbourhood, a few lines up), so a description made of
    thousands of links costs no more per link than a short one.
    """
    window = max(0, start - _NEAR)
    newline = text.rfind("\n", window, start)
    begin = newline + 1 if newline != -1 else window
    own = _around(text, start, end)
    if newline == -1 and window > 0:
        return own, ""  # the link sits deep inside a long line: nothing above counts
    above = ""
    cursor = begin - 1
    for _ in range(6):
        if cursor <= 0:
            break
        newline = text.rfind("\n", max(0, cursor - _NEAR), cursor)
        if newline == -1 and cursor > _NEAR:
            break  # a long line above: prose, not a heading
        prev_begin = newline + 1
        candidate = text[prev_begin:cursor].strip()
        cursor = prev_begin - 1
        if not candidate:
            continue
        if "://" in candidate or candidate[:1] in "-*•·–—+" or candidate[:1].isdigit():
            # Another item of a list: its own words speak for its own link, unless they
            # announce material in general ("Pre-reads: <link>" above more links).
            if _ANNOUNCE.search(candidate.lower().split("http", 1)[0]):
                above = candidate
                break
            continue  # another item of the same list: keep looking for its heading
        # Only a heading-like line ("Pre-read:", "Background reading") announces the link.
        if candidate.endswith(":") or len(candidate.split()) <= 6:
            above = candidate
        break
    return own, above


def _not_to_read(link: Link, text: str) -> str | None:
    """Return why the words around a link say it is not material to read beforehand.

    A shared folder to put files into is a destination; a board or dashboard opened live
    in the meeting is a tool of the meeting. Either way, unless the words also ask people
    to look at it before.
    """
    start = text.find(link.raw)
    if start == -1:
        return None
    own = _around(text, start, start + len(link.raw)).lower()
    why = None
    if link.label.endswith("folder") and _UPLOAD.search(own) and _CUE.search(own) is None:
        why = "a place to upload files, not to read"
    elif _LIVE.search(own) is not None:
        why = "opened during the meeting, not read before it"
    if why is None or _BEFORE.search(own) is None or _NO_NEED.search(own) is not None:
        return why
    return None


def link_evidence(links: Sequence[Link], text: str) -> tuple[list[str], list[str]]:
    """Return (evidence, notes) for ``links``; those found in ``text`` carry their raw form."""
    evidence: list[str] = []
    notes: list[str] = []
    checked = 0
    for link in links:
        kind = link.kind
        if kind == DOC:
            why = _not_to_read(link, text) if link.raw else None
            if why is not None:
                notes.append(f"ignored {link.label}: {why}")
                continue
            evidence.append(f"{link.label}: {_short(link.url)}")
        elif kind == OTHER and checked < _MAX_CHECKED:
            start = text.find(link.raw) if link.raw else -1
            if start == -1:
                continue
            checked += 1
            own, above = _context(text, start, start + len(link.raw))
            if _CUE.search(own.lower()) or (above and _CUE.search(above.lower())):
                why = _not_to_read(link, text)
                if why is not None:
                    notes.append(f"ignored {link.label} link: {why}")
                    continue
                evidence.append(f"linked document ({link.label}): {_short(link.url)}")
        elif kind in _NOTE_KINDS:
            if kind == JOIN:
                note = f"ignored {link.label} join link"
            else:
                note = f"ignored {link.label} {_NOTE_KINDS[kind]}"
            if note not in notes:
                notes.append(note)
    return evidence, notes
