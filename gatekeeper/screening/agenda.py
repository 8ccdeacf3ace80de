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
    is_noise,
    words_of,
)
from gatekeeper.screening.wording import (
    AGENDA_WORD,
    ATTACHED,
    OUTDATED,
    asks_question,
    assigns_topic,
    goal_words,
    is_link_label,
    is_person,
    is_placeholder,
    is_practical,
    norm,
    promises_later,
    quote,
    sentences,
    states_goal,
    strip_links,
)

# Headings whose inline text reads as prose ("Context: we must decide ...").
_PROSE_HEADS = (PREREAD, LOGISTICS)
# A line that introduces steps for joining the call ("To join by phone:").
_JOIN_INTRO = re.compile(
    r"\bto join\b|\bjoin(?:ing)? (?:by|via|from|with|instructions)\b|\bdial(?:-in| in)?\b"
    r"|\bcall in\b|einwahl|einwählen|\brejoindre (?:par|avec|depuis)|\bparticiper par"
    r"|\bunirse (?:por|desde|con)|\bmarcar\b"
)


class _Finder:
    """One pass over the lines of one description."""

    def __init__(
        self, lines: Sequence[Line], summary: str, docs: Mapping[str, str], attached: bool
    ) -> None:
        self.lines = lines
        self.title = summary
        self._summary: str | None = None
        self.docs = docs
        self.attached = attached
        self.evidence: list[str] = []
        self.notes: list[str] = []
        self.vague: str | None = None
        self.prose_seen = False

    def note(self, text: str) -> None:
        """Add a note once."""
        if text not in self.notes:
            self.notes.append(text)

    def substantive(self, low: str) -> bool:
        """Return True when a topic line (not a placeholder) says something concrete."""
        low = strip_links(low)
        if not words_of(low) or self.same_as_title(low):
            return False
        return not is_person(low) and not is_boilerplate(low.strip())

    def same_as_title(self, text: str) -> bool:
        """Return True when ``text`` only restates the invite's title."""
        if self._summary is None:
            self._summary = norm(self.title)
        summary = self._summary
        mine = norm(text)
        if not mine or not summary:
            return False
        if mine == summary:
            return True
        shorter, longer = sorted((mine, summary), key=len)
        return len(shorter) >= 8 and shorter in longer and len(shorter) * 10 >= len(longer) * 7

    def doc_in(self, line: Line) -> str | None:
        """Return the label of the first document link on ``line``, if any."""
        for url, label in self.docs.items():
            if url in line.text:
                return label
        return None

    # Headings ---------------------------------------------------------------------------

    def block(self, index: int) -> list[Line]:
        """Return the lines under the heading at ``index`` and mark them as its own.

        A heading with inline text ("Agenda: budget") owns only the list items right under
        it; a bare heading owns what follows, across blank lines while a list goes on.
        """
        lines = self.lines
        count = len(lines)
        inline = bool(lines[index].body)
        out: list[Line] = []
        j = index + 1
        while j < count and len(out) < 30:
            line = lines[j]
            kind = line.kind
            if kind == ITEM or (kind == TEXT and not inline and not is_noise(line)):
                line.owner = index
                out.append(line)
                j += 1
                continue
            if kind == HEADING or (kind == TEXT and inline) or inline:
                break
            # A blank or join-details line under a bare heading: skip it before the first
            # line of content, and between items of a list.
            following = j + 1
            while following < count and lines[following].kind in (BLANK, BOILER):
                following += 1
            if out and (following == count or out[-1].kind != ITEM):
                break
            if out and lines[following].kind != ITEM:
                break
            if not out and following - index > 4:
                break
            j = following
        return out

    def heading(self, index: int) -> None:
        """Judge the heading at ``index`` with the block of lines under it."""
        head = self.lines[index]
        block = self.block(index)
        if head.low.startswith("topic") and self.beside_logistics(index):
            return  # Zoom's "Topic: <title>" next to "Time: ...": the invite's header
        if head.head in (AGENDA, DECISION):
            self.agenda_heading(head, block)
        elif head.head == GOAL:
            self.goal_heading(head, block)
        elif head.head == PEOPLE:
            self.people_heading(head, block)
        elif head.head == PREREAD and head.body and is_placeholder(head.body):
            self.note(f"{quote(head.text)} is a placeholder, not a pre-read")

    def beside_logistics(self, index: int) -> bool:
        """Return True when the nearest line above or below is "Time:", "When:" and the like."""
        for step in (-1, 1):
            j = index + step
            while 0 <= j < len(self.lines) and self.lines[j].kind == BLANK:
                j += step
            if 0 <= j < len(self.lines) and self.lines[j].head == LOGISTICS:
                return True
        return False

    def agenda_heading(self, head: Line, block: list[Line]) -> None:
        """Judge an agenda or decision heading: placeholder, topics, a linked doc, or vague."""
        said = head.qual or head.body
        if OUTDATED.search(head.low):
            self.note(f"{quote(head.text)} marks an earlier agenda, not this meeting's")
            return
        if said and ATTACHED.search(said):
            self.agenda_elsewhere(head.text, said)
            return  # the agenda is in an attachment (or said to be, with none there)
        if head.qual and is_placeholder(head.qual):
            self.note(f"{quote(head.text)} is a placeholder, not an agenda")
            return
        parts = ([head] if head.body else []) + block
        items = [part for part in block if part.kind == ITEM]
        if len(items) >= 2 and sum(1 for item in items if is_practical(item.body)) * 2 >= len(
            items
        ):
            self.note(f"{quote(head.text)} lists practical details, not topics")
            return
        # Two filled lines under an agenda heading make a list (if one of them says
        # something: "Catch up / Next steps / AOB" does not); one alone must say something.
        filled: list[Line] = []
        for part in parts:
            if not part.body:
                continue
            if not is_placeholder(part.body):
                filled.append(part)
                if len(filled) == 2:
                    break
            elif part is head and not any(p.kind == ITEM for p in block):
                self.note(f"{quote(head.text)} is a placeholder, not an agenda")
                return
        if len(filled) == 2 and any(words_of(strip_links(p.body)) for p in parts if p.body):
            topics = filled
        else:
            topics = [p for p in filled if self.substantive(p.body)]
        name = head.text.split(":")[0].strip(" *_#")
        if topics:
            count = sum(1 for part in parts if part.body) if len(filled) == 2 else 1
            if head.head == DECISION:
                self.evidence.append(f"{name.lower()}: {quote((topics or filled)[0].text)}")
            else:
                noun = "topic" if count == 1 else "topics"
                self.evidence.append(f"{quote(name)} heading with {count} {noun}")
            return
        label = self.doc_in(head) or next((d for p in block if (d := self.doc_in(p))), None)
        if label is not None:
            self.evidence.append(f"{quote(name)} points to a linked {label}")
            return
        if parts:
            self.vague = self.vague or head.text
        elif head.head == AGENDA and not block:
            self.note(f"{quote(head.text)} heading with nothing under it")

    def people_heading(self, head: Line, block: list[Line]) -> None:
        """Judge a people heading: who takes which topic ("Presenters:", "Who covers what:")."""
        topics = [line for line in block if line.kind == ITEM and assigns_topic(line.text)]
        if len(topics) >= 2:
            name = head.text.split(":")[0].strip(" *_#")
            self.evidence.append(
                f"{quote(name)} heading with {len(topics)} topics and who takes each"
            )

    def goal_heading(self, head: Line, block: list[Line]) -> None:
        """Judge a goal heading ("Purpose:", "Ziel:"): a concrete goal, or vague."""
        text = " ".join([head.body, *(p.body for p in block)]).strip()
        if not text:
            return
        if is_placeholder(text):
            self.note(f"{quote(head.text)} is a placeholder, not a goal")
            return
        if goal_words(strip_links(text)):
            shown = head.text if head.body else f"{head.text} {block[0].text}"
            self.evidence.append(f"goal stated: {quote(shown)}")
        else:
            self.vague = self.vague or (head.text if head.body else block[0].text)

    # Lists ------------------------------------------------------------------------------

    def structure(self) -> None:
        """Look at headings and lists in one pass, stopping at the first evidence."""
        run: list[Line] = []  # consecutive list items not under a heading
        gap = 0  # prose lines inside the current run
        intro: Line | None = None  # the line that introduces the run ("Infos zum Essen:")
        for index, line in enumerate(self.lines):
            kind = line.kind
            if kind == ITEM:
                if line.owner == -1:
                    if not run:
                        intro = self.intro(index)
                    run.append(line)
                    gap = 0
            elif kind == BLANK or (kind == TEXT and run and gap == 0):
                gap += kind == TEXT
            else:
                self.judge_run(run, intro)
                run = []
                gap = 0
                if kind == HEADING:
                    self.heading(index)
                if self.evidence:
                    return
        self.judge_run(run, intro)

    def intro(self, index: int) -> Line | None:
        """Return the line ending in a colon just above the item at ``index``, if any."""
        j = index - 1
        while j >= 0 and self.lines[j].kind == BLANK and index - j <= 2:
            j -= 1
        if j >= 0 and self.lines[j].kind == TEXT and self.lines[j].low.endswith(":"):
            return self.lines[j]
        return None

    def judge_run(self, run: list[Line], intro: Line | None = None) -> None:
        """Judge a run of list items: topics, attendees, or a lone bullet to read as prose."""
        if not run or self.evidence:
            return
        if intro is not None:
            if OUTDATED.search(intro.low):
                self.note(f"{quote(intro.text)} marks an earlier agenda, not this meeting's")
                return
            if is_practical(intro.low):
                self.note(f"{quote(intro.text)} introduces practical details, not topics")
                return
            if _JOIN_INTRO.search(intro.low) is not None:
                self.note(f"{quote(intro.text)} introduces joining steps, not topics")
                return
        people = sum(1 for item in run if is_person(item.text.lstrip("-*•·–—+ ")))
        if people >= 2 and people * 2 >= len(run):
            self.note(f"a list of {people} attendees is not an agenda")
            return
        if len(run) >= 2 and sum(1 for item in run if is_practical(item.body)) * 2 >= len(run):
            self.note("the list is mostly practical details, not topics")
            return
        topics = [item for item in run if self.topic(item)]
        if len(topics) >= 2 and any(words_of(strip_links(t.body)) for t in topics):
            timed = sum(1 for t in topics if t.timed)
            numbered = sum(1 for t in topics if t.numbered)
            if timed * 2 >= len(topics):
                kind = "time-boxed items"
                self.evidence.append(f"{len(topics)} {kind} (e.g. {quote(topics[0].text, 40)})")
                return
            kind = "numbered list" if numbered * 2 >= len(topics) else "bulleted list"
            self.evidence.append(f"{kind} of {len(topics)} topics")
            return
        if len(run) == 1 and topics:
            run[0].kind = TEXT  # a lone bullet reads like a sentence

    def topic(self, item: Line) -> bool:
        """Return True when a list item names a topic (not a link, person, date, detail)."""
        body = item.body
        if "://" in body or "www." in body:
            if is_link_label(body):
                return False  # a link with a name is material to read, not a topic
            body = strip_links(body)
        words = body.split()
        if not words or (len(body) <= 60 and is_placeholder(body)):
            return False
        if (body[0].isdigit() or body[0] in "+(") and is_numberish(body):
            return False
        if len(words) <= 8 and is_person(item.text.lstrip("-*•·–—+0123456789.) ")):
            return False
        if is_practical(body):
            return False  # "Room: 4B", "Host: Ana", "Lunch provided": details, not topics
        colon = body.find(":")
        if 0 < colon <= 30 and is_numberish(body[colon + 1 :].strip()):
            return False  # "UK toll: +44 20 7946 0852": a dial-in number with its label
        for word in words:
            word = word.strip(".,:;!?()[]{}\"'*")
            if (
                len(word) > 1
                and not word.isdigit()
                and word not in lx.STOPWORDS
                and word not in lx.DATE_WORDS
            ):
                return True
        return False

    # Prose ------------------------------------------------------------------------------

    def prose(self) -> None:
        """Look, paragraph by paragraph, for a sentence that states a goal."""
        lines = self.lines
        paragraph: list[Line] = []
        for index, line in enumerate(lines):
            kind = line.kind
            if kind == HEADING and line.head == LOGISTICS and self.beside_logistics(index):
                continue  # a header ("Subject: ..." under "From:", "Sent:"), not prose
            if (kind == TEXT or (kind == HEADING and line.head in _PROSE_HEADS)) and (
                line.owner == -1 or lines[line.owner].head not in (PEOPLE, LOGISTICS)
            ):
                if "://" in line.low and (
                    is_link_label(line.low) or (kind == HEADING and line.head == PREREAD)
                ):
                    continue  # "Deck: <link>" names material; it neither adds nor breaks
                paragraph.append(line)
                continue
            if paragraph:
                if self.statement(paragraph):
                    return
                paragraph = []
        if paragraph:
            self.statement(paragraph)

    def statement(self, paragraph: list[Line]) -> bool:
        """Record the first sentence of ``paragraph`` that states a goal or a real question."""
        first = paragraph[0].text
        if len(first.split()) <= 4 and is_person(first):
            return False  # a signature: the sender's name, then title, company, links
        for sentence in sentences(paragraph):
            low = sentence.lower()
            if AGENDA_WORD.search(low) and (
                self.agenda_elsewhere(sentence, low)
                or (low.rstrip().endswith(":") and self.agenda_below(sentence, paragraph[-1]))
            ):
                return True
            if is_link_label(low):
                continue
            if promises_later(low):
                self.note(f"{quote(sentence)} promises the content for later")
                continue
            plain = strip_links(low)
            goal = states_goal(plain, said=low) and not is_boilerplate(plain.strip())
            if (goal or asks_question(plain)) and not self.same_as_title(sentence):
                kind = "purpose statement" if goal else "question to answer"
                self.evidence.append(f"{kind}: {quote(sentence)}")
                return True
        self.remember_vague(paragraph)
        return False

    def agenda_elsewhere(self, text: str, low: str) -> bool:
        """Record an agenda said to be in a linked document or in an attachment."""
        label = next((label for url, label in self.docs.items() if url in text), None)
        if label is not None:
            self.evidence.append(f"agenda in a linked {label}: {quote(text)}")
            return True
        if ATTACHED.search(low):
            if self.attached:
                self.evidence.append(f"agenda in the attachment: {quote(text)}")
                return True
            self.note(f"{quote(text)} but nothing is attached")
        return False

    def agenda_below(self, sentence: str, last: Line) -> bool:
        """Record an agenda said to be in the document linked on the line after ``last``.

        "Agenda + notes live in Coda, add your items:" with the link on the next line.
        """
        lines = self.lines
        index = next((i for i, line in enumerate(lines) if line is last), len(lines))
        for line in lines[index + 1 : index + 3]:
            if line.kind == BLANK:
                continue
            label = self.doc_in(line)
            if label is not None:
                self.evidence.append(f"agenda in a linked {label}: {quote(sentence)}")
                return True
            break
        return False

    def remember_vague(self, paragraph: list[Line]) -> None:
        """Note placeholders in ``paragraph`` and keep its first short line as the vague one."""
        for line in paragraph:
            if is_placeholder(line.body):
                self.note(f"{quote(line.text)} is a placeholder, not an agenda")
                continue
            if self.vague is not None or is_noise(line):
                continue
            tokens = norm(line.low).split()
            if tokens and not lx.GREETINGS.issuperset(tokens) and len(tokens) <= 8:
                self.vague = line.text
        self.prose_seen = True

    # Result -----------------------------------------------------------------------------

    def run(self) -> None:
        """Find the evidence, or the notes that say why there is none."""
        self.structure()
        if not self.evidence:
            self.prose()
        if self.evidence:
            return
        if any("placeholder" in n for n in self.notes):
            return
        if self.vague is not None:
            if self.same_as_title(self.vague):
                self.note(f"{quote(self.vague)} only repeats the title")
            else:
                self.note(f"{quote(self.vague)} is too vague to be an agenda")
            return
        if all(line.kind == BLANK for line in self.lines):
            self.note("the description is empty")
        elif all(is_noise(line) for line in self.lines):
            self.note("the description holds only joining details")
        elif not self.notes or self.prose_seen:
            self.note("the description names no topics, goal or decision")


def find_agenda(
    lines: Sequence[Line], summary: str, docs: Mapping[str, str], attached: bool = False
) -> tuple[list[str], list[str]]:
    """Return (evidence, notes) about the agenda in ``lines``; no evidence means none.

    ``docs`` maps document links found in the text to their labels, and ``attached``
    says whether the invite has a real attachment, so that an agenda kept in a linked
    document or an attached file counts.
    """
    finder = _Finder(lines, summary, docs, attached)
    finder.run()
    return finder.evidence, finder.notes
