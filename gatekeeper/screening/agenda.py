"""Decide whether a description holds a real agenda, and collect the evidence either way."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from gatekeeper.screening import lexicon as lx
from gatekeeper.screening.boilerplate import is_boilerplate, is_numberish
from gatekeeper.screening.lines import (
    AGENDA,
    BLANK,
    BOILER,
    DECISION,
    GOAL,
    HEADING,
    ITEM,
    LOGISTICS,
    PEOPLE,
    PREREAD,
    TEXT,
    Line,
    words_of,
)

_BOUNDARY_L = r"(?<![\w])"
_BOUNDARY_R = r"(?![\w])"
_PLACEHOLDER = re.compile(
    _BOUNDARY_L + "(?:" + lx.trie_pattern(lx.PLACEHOLDERS) + ")" + _BOUNDARY_R
)
_PLACEHOLDER_ONLY = frozenset(
    {"na", "n/a", "none", "later", "soon", "offen", "noch offen", "pending", "follows",
     "to come", "wip", "in progress", "nothing yet", "not yet", "suivre", "forthcoming", "-",
     "?", "??", "...", "…", "x", "tbd"}
)  # fmt: skip
_FILLER = lx.words(
    """before after closer date shortly beforehand asap later soon advance ahead prior
    separately email mail invite invitation meeting call details detail more info
    information content contents shared sent vor der dem sitzung termin avant la réunion
    antes de reunión day days week"""
)
_GOAL = re.compile(_BOUNDARY_L + "(?:" + lx.trie_pattern(lx.GOAL_CUES) + ")")
_STRONG_CUES = lx.words(
    """decide decided deciding decision agree agreeing agreement approve approval sign-off
    signoff choose choosing pick select finalize finalise finalizing finalising prioritize
    prioritise go/no-go go-no-go entscheiden entscheidung festlegen freigeben freigabe
    priorisieren einigen verabschieden décider décision valider validation choisir prioriser
    arbitrer arbitrage approuver finaliser decidir decisión acordar aprobar elegir priorizar
    validar finalizar sign"""
)
_CUE_WORDS = lx.words(" ".join(lx.GOAL_CUES))
_QUESTION = re.compile(
    r"(?:should|shall|do|can|could) we\b|which\b|how (?:do|should|can|will|could) we\b"
    r"|what (?:should|do|is|are|will) (?:we|our)\b|whether\b|sollen wir|sollten wir"
    r"|wie (?:sollen|können) wir|welche[rsn]?\b|devons-nous|faut-il|doit-on|debemos"
    r"|deberíamos|cómo\b|qué\b|cuál"
)
_URL = re.compile(r"\(?<?(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PERSON_TAIL = re.compile(
    r"(?:\(|[-–—,]\s*)(?:organi[sz]er|optional|required|host|presenter|facultatif|opcional)\)?$"
)
_NON_WORD = re.compile(r"[\W_]+")


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "'"


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def is_placeholder(low: str) -> bool:
    """Return True when a lower-case text only says that content will come later."""
    text = low.strip(" .:;!?-–—()[]*_\"'…")
    if not text:
        return False
    if text in _PLACEHOLDER_ONLY:
        return True
    match = _PLACEHOLDER.search(text)
    if match is None:
        return False
    rest = text[: match.start()] + " " + text[match.end() :]
    return sum(1 for w in words_of(rest) if w not in _FILLER) <= 1


def is_person(text: str) -> bool:
    """Return True when a list item names a person (an attendee) rather than a topic."""
    if "@" in text and _EMAIL.search(text):
        return True
    low = text.lower()
    if _PERSON_TAIL.search(low):
        return True
    tokens = text.replace("(", " ").replace(")", " ").split()
    if not tokens or len(tokens) > 6 or tokens[0].lower().strip(",") not in lx.FIRST_NAMES:
        return False
    rest = [t.strip(",–—-:") for t in tokens[1:]]
    rest = [t for t in rest if t]
    return all(t[0].isupper() or t.lower() in lx.ROLE_WORDS for t in rest)


class _Finder:
    """One pass over the lines of one description."""

    def __init__(self, lines: Sequence[Line], summary: str, docs: Mapping[str, str]) -> None:
        self.lines = lines
        self.summary = _norm(summary)
        self.docs = docs
        self.evidence: list[str] = []
        self.notes: list[str] = []
        self.vague: str | None = None

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def substantive(self, low: str) -> bool:
        """Return True when a topic line says something concrete."""
        if "://" in low or "www." in low:
            low = _URL.sub(" ", low)
        if not low.strip() or is_placeholder(low) or is_boilerplate(low.strip()):
            return False
        if _norm(low) == self.summary:
            return False
        return bool(words_of(low)) and not is_person(low)

    def doc_in(self, line: Line) -> str | None:
        for url, label in self.docs.items():
            if url in line.text:
                return label
        return None

    # Headings ---------------------------------------------------------------------------

    def block(self, index: int) -> list[Line]:
        """Return the lines under the heading at ``index`` and mark them as its own."""
        lines = self.lines
        head = lines[index]
        out: list[Line] = []
        j = index + 1
        skipped = 0
        while j < len(lines) and len(out) < 30:
            line = lines[j]
            kind = line.kind
            if kind == HEADING:
                break
            if kind in (BLANK, BOILER):
                if not out and skipped < 3 and not head.body:
                    skipped += 1
                    j += 1
                    continue
                nxt = j + 1
                while nxt < len(lines) and lines[nxt].kind == BLANK:
                    nxt += 1
                if (
                    kind == BLANK
                    and nxt < len(lines)
                    and lines[nxt].kind == ITEM
                    and (not out or out[-1].kind == ITEM)
                ):
                    j = nxt
                    continue
                break
            if kind == TEXT and (head.body or (out and out[-1].kind == ITEM and skipped)):
                break
            line.owner = index
            out.append(line)
            j += 1
        return out

    def headings(self) -> None:
        for index, head in enumerate(self.lines):
            if head.kind != HEADING:
                continue
            block = self.block(index)
            if head.head in (AGENDA, DECISION):
                self.agenda_heading(head, block)
            elif head.head == GOAL:
                self.goal_heading(head, block)
            elif head.head == PREREAD and head.body and is_placeholder(head.body):
                self.note(f"{_quote(head.text)} is a placeholder, not a pre-read")

    def agenda_heading(self, head: Line, block: list[Line]) -> None:
        if head.qual and is_placeholder(head.qual):
            self.note(f"{_quote(head.text)} is a placeholder, not an agenda")
            return
        parts = ([head] if head.body else []) + block
        if head.body and is_placeholder(head.body) and not any(p.kind == ITEM for p in block):
            self.note(f"{_quote(head.text)} is a placeholder, not an agenda")
            return
        topics = [p for p in parts if self.substantive(p.body)]
        filled = [p for p in parts if p.body and not is_placeholder(p.body)]
        name = head.text.split(":")[0].strip(" *_#")
        if topics or len(filled) >= 2:
            count = max(len(topics), len(filled))
            if head.head == DECISION:
                self.evidence.append(f"{name.lower()}: {_quote((topics or filled)[0].text)}")
            else:
                noun = "topic" if count == 1 else "topics"
                self.evidence.append(f"{_quote(name)} heading with {count} {noun}")
            return
        label = self.doc_in(head) or next((d for p in block if (d := self.doc_in(p))), None)
        if label is not None:
            self.evidence.append(f"{_quote(name)} points to a linked {label}")
            return
        if parts:
            self.vague = self.vague or head.text
        elif head.head == AGENDA and not block:
            self.note(f"{_quote(head.text)} heading with nothing under it")

    def goal_heading(self, head: Line, block: list[Line]) -> None:
        text = " ".join([head.body, *(p.body for p in block)]).strip()
        if not text:
            return
        if is_placeholder(text):
            self.note(f"{_quote(head.text)} is a placeholder, not a goal")
            return
        found = words_of(_URL.sub(" ", text))
        plain = [w for w in found if w not in _CUE_WORDS]
        strong = _GOAL.search(text) is not None
        if len(plain) >= 2 or (strong and plain):
            shown = head.text if head.body else f"{head.text} {block[0].text}"
            self.evidence.append(f"goal stated: {_quote(shown)}")
        else:
            self.vague = self.vague or (head.text if head.body else block[0].text)

    # Lists ------------------------------------------------------------------------------

    def lists(self) -> None:
        run: list[Line] = []
        gap = 0
        for line in self.lines:
            if line.kind == ITEM and line.owner == -1:
                run.append(line)
                gap = 0
            elif line.kind == BLANK or (line.kind == TEXT and run and gap == 0):
                gap += line.kind == TEXT
            else:
                self.judge_run(run)
                run = []
                gap = 0
        self.judge_run(run)

    def judge_run(self, run: list[Line]) -> None:
        if not run:
            return
        topics = [item for item in run if self.topic(item)]
        if len(topics) >= 2 and any(words_of(_URL.sub(" ", t.body)) for t in topics):
            timed = sum(1 for t in topics if t.timed)
            numbered = sum(1 for t in topics if t.numbered)
            if timed * 2 >= len(topics):
                kind = "time-boxed items"
                self.evidence.append(f"{len(topics)} {kind} (e.g. {_quote(topics[0].text, 40)})")
                return
            kind = "numbered list" if numbered * 2 >= len(topics) else "bulleted list"
            self.evidence.append(f"{kind} of {len(topics)} topics")
            return
        people = sum(1 for item in run if is_person(item.text.lstrip("-*•·–—+ ")))
        if people >= 2 and people * 2 >= len(run):
            self.note(f"a list of {people} attendees is not an agenda")
        elif len(run) == 1 and topics:
            run[0].kind = TEXT  # a lone bullet reads like a sentence

    def topic(self, item: Line) -> bool:
        body = item.body
        if "://" in body or "www." in body:
            rest = _URL.sub(" ", body)
            if len(rest.split()) <= 3:
                return False  # a link with a name is material to read, not a topic
            body = rest
        if not body.strip() or is_placeholder(body) or is_numberish(body):
            return False
        if is_person(item.text.lstrip("-*•·–—+0123456789.) ")):
            return False
        return any(len(w) > 1 and w not in lx.STOPWORDS for w in body.split())

    # Prose ------------------------------------------------------------------------------

    def prose(self) -> None:
        paragraph: list[Line] = []
        for line in self.lines:
            owner = self.lines[line.owner].head if line.owner != -1 else ""
            usable = line.kind == TEXT or (line.kind == HEADING and line.head == PREREAD)
            if usable and owner not in (PEOPLE, LOGISTICS):
                paragraph.append(line)
                continue
            if paragraph and self.statement(paragraph):
                return
            paragraph = []
        if paragraph:
            self.statement(paragraph)

    def statement(self, paragraph: list[Line]) -> bool:
        text = " ".join(p.body for p in paragraph)
        cue = _GOAL.search(text)
        if cue is None:
            question = next((p for p in paragraph if p.body.endswith("?")), None)
            if (
                question is not None
                and _QUESTION.search(question.body)
                and len(words_of(question.body)) >= 2
            ):
                self.evidence.append(f"question to answer: {_quote(question.text)}")
                return True
            self.remember_vague(paragraph)
            return False
        if "://" in text or "www." in text:
            text = _URL.sub(" ", text)
        plain = [w for w in words_of(text) if w not in _CUE_WORDS]
        strong = cue.group().split()[0] in _STRONG_CUES
        if (strong and plain) or len(plain) >= 3:
            where = next((p for p in paragraph if _GOAL.search(p.body)), paragraph[0])
            self.evidence.append(f"purpose statement: {_quote(where.text)}")
            return True
        self.remember_vague(paragraph)
        return False

    def remember_vague(self, paragraph: list[Line]) -> None:
        if self.vague is not None:
            return
        for line in paragraph:
            tokens = _NON_WORD.sub(" ", line.low).split()
            if (
                tokens
                and not lx.GREETINGS.issuperset(tokens)
                and len(tokens) <= 8
                and (not words_of(line.low) or _norm(line.low) == self.summary)
            ):
                self.vague = line.text
                return

    # Result -----------------------------------------------------------------------------

    def run(self) -> None:
        self.headings()
        self.lists()
        if not self.evidence:
            self.prose()
        if self.evidence:
            return
        if self.vague is not None and not any("placeholder" in n for n in self.notes):
            if _norm(self.vague) == self.summary:
                self.note(f"{_quote(self.vague)} only repeats the title")
            else:
                self.note(f"{_quote(self.vague)} is too vague to be an agenda")
        kinds = {line.kind for line in self.lines}
        if kinds <= {BLANK}:
            self.note("the description is empty")
        elif kinds <= {BLANK, BOILER}:
            self.note("the description holds only joining details")


def find_agenda(
    lines: Sequence[Line], summary: str, docs: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """Return (evidence, notes) about the agenda in ``lines``; no evidence means none.

    ``docs`` maps document links found in the text to their labels, so that
    "Agenda: <link to a doc>" counts as an agenda kept in that document.
    """
    finder = _Finder(lines, summary, docs)
    finder.run()
    return finder.evidence, finder.notes
