"""Split description text into classified lines: headings, list items, time boxes, prose."""

from __future__ import annotations

import re

from gatekeeper.screening import lexicon as lx
from gatekeeper.screening.boilerplate import is_boilerplate, is_rule, strip_blocks

BLANK, BOILER, HEADING, ITEM, TEXT = range(5)

# Heading kinds: what the lines under a heading are about.
AGENDA, GOAL, DECISION, PREREAD, PEOPLE, LOGISTICS = (
    "agenda", "goal", "decision", "preread", "people", "logistics",
)  # fmt: skip

_KIND_OF: dict[str, str] = {}
for _kind, _names in (
    (LOGISTICS, lx.LOGISTICS_HEADINGS),
    (PEOPLE, lx.PEOPLE_HEADINGS),
    (PREREAD, lx.PREREAD_HEADINGS),
    (GOAL, lx.GOAL_HEADINGS),
    (DECISION, lx.DECISION_HEADINGS),
    (AGENDA, lx.AGENDA_HEADINGS),
):
    for _name in _names:
        _KIND_OF[_name] = _kind  # later kinds win: "agenda" beats any other reading

# Headings that stand alone on a line even with a qualifier ("Agenda for Tuesday").
_STRONG = frozenset(
    {"agenda", "tagesordnung", "ordre du jour", "orden del día", "topics", "talking points",
     "discussion points", "proposed agenda", "meeting agenda"}
)  # fmt: skip
_HEADING = re.compile(
    r"[#*_>\s]*(?:(?:proposed|draft|meeting|today'?s|tentative|our|the|rough|updated|final"
    r"|short|brief|high-level|quick|key|main|vorläufige|geplante|kurze|unsere|notre|nuestra"
    r"|nuestro|la|le|el|die|das|les|los|las|l')\s*)?"
    r"(?P<kw>" + lx.trie_pattern(_KIND_OF) + r")"
    r"(?P<qual>\s+[^:：\n]{1,40}?)?\s*(?:\([^)\n]{0,40}\))?\s*[*_]*\s*"
    r"(?P<sep>[:：]|\s[-–—]\s|$)[*_\s]*(?P<rest>.*)$"
)
_MARKER = re.compile(
    r"(?:(?P<num>\d{1,2}[.)](?!\d)|\(\d{1,2}\)|[a-h][.)](?=\s)|[ivx]{1,4}[.)](?=\s)"
    r"|\d{1,2}\s[-–—](?=\s)|top\s?\d{1,2}:?)"
    r"|[-*•·◦▪▫‣⁃–—+►▶▸▹➤➢→✓✔✅☐☑□■●○◆◇§»>]|\[[ x]\]|[\U0001F300-\U0001FAFF])\s*"
)
_BULLET_START = frozenset("-*•·◦▪▫‣⁃–—+►▶▸▹➤➢→✓✔✅☐☑□■●○◆◇§»>[(")
_UNIT = r"(?:min(?:ute)?s?\.?|mins?\.?|mn|m|'|’|′|h|hrs?|hours?|minuten|minutos|minutes)(?![a-z])"
_CLOCK = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|h|uhr)?"
_TIMEBOX = re.compile(
    rf"(?:\(?(?P<range>{_CLOCK}\s*(?:-|–|—|to|bis|à|a)\s*{_CLOCK})\)?"
    rf"|(?P<start>\d{{1,2}}[:.h]\d{{2}}\s*(?:am|pm|uhr|h)?)(?=[\s:|)–—-])"
    rf"|[\[(]?\d{{1,3}}\s*{_UNIT}[\])]?)"
    r"\s*[:\-–—|)/]?\s*(?P<topic>[^\s].*)"
)
_TIMEBOX_AFTER = re.compile(
    rf"(?P<topic>.+?)\s*(?:[\[(]\s*\d{{1,3}}\s*{_UNIT}\s*[\])]|[-–—:,|]\s*\d{{1,3}}\s*{_UNIT})$"
)
_CLOCK_MARK = re.compile(r"[:.h]\d\d|am|pm|uhr")


class Line:
    """One line of a description and what it looks like."""

    __slots__ = (
        "body", "head", "index", "kind", "low", "numbered", "owner", "qual", "text", "timed",
    )  # fmt: skip

    def __init__(self, index: int, text: str, low: str) -> None:
        self.index = index
        self.text = text  # stripped, original case
        self.low = low  # stripped, lower case
        self.kind = TEXT
        self.body = low  # an item's text without its marker, or a heading's inline rest
        self.head = ""  # the heading kind, for headings
        self.qual = ""  # what follows a heading word on a line of its own ("for Tuesday")
        self.numbered = False
        self.timed = False
        self.owner = -1  # index of the heading whose block holds this line


def split_lines(text: str) -> list[Line]:
    """Return the classified lines of ``text`` with join-detail blocks left out."""
    low = text.lower()
    if len(low) == len(text):
        for start, end in reversed(strip_blocks(low)):
            text = text[:start] + "\n" + text[end:]
            low = low[:start] + "\n" + low[end:]
    else:  # a character changed length in lower case; work on the lower-case text
        for start, end in reversed(strip_blocks(low)):
            low = low[:start] + "\n" + low[end:]
        text = low
    out: list[Line] = []
    for index, (raw, raw_low) in enumerate(zip(text.split("\n"), low.split("\n"), strict=True)):
        out.append(classify(Line(index, raw.strip(), raw_low.strip())))
    return out


def classify(line: Line) -> Line:
    """Fill in what ``line`` is."""
    low = line.low
    if not low:
        line.kind = BLANK
        return line
    first = low[0]
    if first in _BULLET_START or first.isdigit() or first == "t" or first >= "\U0001f300":
        marker = _MARKER.match(low)
        if marker is not None and (marker.end() < len(low)):
            body = low[marker.end() :].strip()
            if first == ">" and not body:
                marker = None
            elif is_rule(low):
                line.kind = BOILER
                return line
            else:
                line.body = body
                line.numbered = marker.group("num") is not None
                if first.isdigit() and not line.numbered:
                    marker = None  # "10 - 15" is not a list marker
                else:
                    line.kind = ITEM
        elif marker is not None and is_rule(low):
            line.kind = BOILER
            return line
    if line.kind != ITEM and _heading(line):
        return line
    body = line.body
    if body[0].isdigit() or body[0] in "([" or body[-1] in ")]'’′.snm":
        timed = _TIMEBOX.match(body)
        topic = None
        if timed is not None and (
            timed.group("range") is None or _CLOCK_MARK.search(timed.group("range"))
        ):
            topic = timed.group("topic")
        elif body[-1] in ")]'’′.snm":
            after = _TIMEBOX_AFTER.match(body)
            topic = after.group("topic") if after is not None else None
        if topic is not None and any(c.isalpha() for c in topic) and not is_boilerplate(body):
            line.kind = ITEM
            line.timed = True
            line.body = topic.strip(" -–—:|")
            return line
    if is_boilerplate(body):
        line.kind = BOILER
    return line


def _heading(line: Line) -> bool:
    low = line.low
    if not (low[0].isalpha() or low[0] in "#*_>"):
        return False
    match = _HEADING.match(low)
    if match is None:
        return False
    keyword = match.group("kw")
    kind = _KIND_OF[keyword]
    if match.group("qual"):
        if kind in (PEOPLE, LOGISTICS):
            return False
        if match.group("sep") == "" and keyword not in _STRONG:
            return False  # "Plan the offsite" is a sentence, not a heading
    line.kind = HEADING
    line.head = kind
    line.body = match.group("rest").strip(" *_")
    if match.group("sep") == "" and match.group("qual"):
        line.qual = match.group("qual").strip()
    return True


def words_of(low: str) -> list[str]:
    """Return the content words of a lower-case text: no stop words, no vague words."""
    return [
        w
        for w in _WORD.findall(low)
        if len(w) > 1
        and w not in lx.STOPWORDS
        and w not in lx.VAGUE
        and w not in lx.FIRST_NAMES
        and not w.isdigit()
    ]


_WORD = re.compile(r"[^\W_][\w'’&+-]*")
