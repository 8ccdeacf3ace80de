"""Split description text into classified lines: headings, list items, time boxes, prose."""

from __future__ import annotations

import re

from gatekeeper.screening import lexicon as lx
from gatekeeper.screening.boilerplate import (
    DROP,
    GOOGLE_BLOCK,
    KEEP,
    REST,
    cut_blocks,
    is_boilerplate,
    is_numberish,
    is_rule,
    join_details,
)

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

# Logistics words that head a line only on their own ("To: Ana", "When: 10:00"): with more
# words after them they start a sentence ("To cover:", "When we meet:"). "From Contoso:"
# still heads a list of people.
_HEADER_WORDS = frozenset(
    {"to", "cc", "when", "where", "time", "call", "join", "video", "phone", "an", "zeit", "à",
     "heure", "para", "hora"}
)  # fmt: skip
# Headings that stand alone on a line even with a qualifier ("Agenda for Tuesday").
_STRONG = frozenset(
    {"agenda", "tagesordnung", "ordre du jour", "orden del día", "topics", "talking points",
     "discussion points", "proposed agenda", "meeting agenda"}
)  # fmt: skip
# A heading word, then either a separator (":", " - ") or the end of the line, or a short
# qualifier ("for Thursday", "(draft)") and then ":" or the end. Possessive pieces keep a
# line that is not a heading from being retried character by character.
_HEADING = re.compile(
    r"[#*_>\s]*+(?:(?:proposed|draft|meeting|today'?s|tentative|our|the|rough|updated|final"
    r"|short|brief|high-level|quick|key|main|vorläufige|geplante|kurze|unsere|notre|nuestra"
    r"|nuestro|la|le|el|die|das|les|los|las|l')\s++)?"
    r"(?P<kw>" + lx.trie_pattern(_KIND_OF) + r")[*_]*+"
    r"(?:[ \t]*+(?P<sep>[:：]|[-–—=](?=[ \t])|$)"
    r"|(?P<qual>[ \t]++[^:：\n]{1,40}+)[ \t*_]*+(?P<end>[:：]|$))"
    r"[*_\s]*+(?P<rest>.*)"
)
# A list marker, and whether it is a number. Symbols that also start ordinary text
# ("-", "*", "+", ">") need a space after them; "**1.**" is markdown for a number.
_MARKER = re.compile(
    r"(?:(?P<num>[*_]{0,2}(?:\d{1,2}[.)](?!\d)|\(\d{1,2}\)|[a-h][.)](?=\s)"
    r"|[ivx]{1,4}[.)](?=\s)|\d{1,2}\s[-–—](?=\s)|top\s?\d{1,2}:?"
    r"|\d{1,2}(?:er|re|e|ème)\s+point\s*:)[*_]{0,2})"
    r"|[-*+>–—](?=\s)|[•·◦▪▫‣⁃►▶▸▹➤➢→✓✔✅☐☑□■●○◆◇§»]|\[[ x]\]|[\U0001F300-\U0001FAFF])\s*"
)
# "Punkt 1:", "Punto 2 -", "Item 3.": a numbered topic written with a word.
_WORD_NUMBER = re.compile(
    r"[*_]{0,2}(?:punkt|punto|point|item|topic|thema|tema|sujet|traktandum|tagesordnungspunkt)"
    r"\s?\d{1,2}[*_]{0,2}\s*[:.)–—-][*_]{0,2}\s*"
)
_WORD_NUMBER_START = (
    "punkt", "punto", "point", "item", "topic", "thema", "tema", "sujet", "traktandum",
    "tagesordnungspunkt", "*", "_",
)  # fmt: skip
_WORD_NUMBER_FIRST = frozenset(start[0] for start in _WORD_NUMBER_START)
_UNIT = r"(?:min(?:ute)?s?\.?|mins?\.?|mn|m|'|’|′|h|hrs?|hours?|minuten|minutos|minutes)(?![a-z])"
_CLOCK = r"\d{1,2}+(?:[:.h]\d\d)?+[ \t]*+(?:[ap]\.?m\.?|h|uhr)?+"
_TIMEBOX = re.compile(
    rf"(?:\(?+(?P<range>{_CLOCK}[ \t]*+(?:-|–|—|to|bis|à|a)[ \t]*+{_CLOCK})\)?+"
    rf"|(?P<start>\d{{1,2}}+[:.h]\d\d(?:[ \t]*+(?:[ap]m|uhr|h)(?![a-z]))?+)(?=[\s:|)–—-])"
    rf"|[\[(]?+\d{{1,3}}+[ \t]*+{_UNIT}[\])]?+)"
    r"[ \t]*+[:\-–—|)/]?+[ \t]*+(?P<topic>\S.*)"
)
# "0-10 min  Intro": a span of minutes rather than clock times.
_SPAN = re.compile(
    rf"\(?+\d{{1,3}}+[ \t]*+[-–—][ \t]*+\d{{1,3}}+[ \t]*+{_UNIT}\)?+[ \t]*+[:\-–—|)/]?+[ \t]*+"
    r"(?P<topic>\S.*)"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
# "Intro (5 min)", "Demo – 15'": searched for in the last few characters only.
_TIMEBOX_TAIL = re.compile(
    rf"\s*(?:[\[(]\s*\d{{1,3}}\s*{_UNIT}\s*[\])]|[-–—:,|]\s*\d{{1,3}}\s*{_UNIT})$"
)
_TAIL_ENDS = (
    ")",
    "]",
    "'",
    "’",
    "′",
    "min",
    "mins",
    "min.",
    "minutes",
    "minuten",
    "minutos",
    "m",
    "h",
)
_CLOCK_MARK = re.compile(r"[:.h]\d\d|[ap]\.?m|uhr|\dh(?![a-z])")


class Line:
    """One line of a description and what it looks like."""

    __slots__ = (
        "body", "head", "kind", "low", "noise", "numbered", "owner", "qual", "text", "timed",
    )  # fmt: skip

    def __init__(self, text: str, low: str) -> None:
        self.text = text  # stripped, original case
        self.low = low  # stripped, lower case
        self.kind = TEXT
        self.body = low  # an item's text without its marker, or a heading's inline rest
        self.head = ""  # the heading kind, for headings
        self.qual = ""  # what follows a heading word on a line of its own ("for Tuesday")
        self.numbered = False
        self.timed = False
        self.owner = -1  # index of the heading whose block holds this line
        self.noise: bool | None = None  # join details or a footer; see is_noise()


# Every blank line is this one object, and so is every run of join details left out:
# nothing about them ever changes.
_BLANK = Line("", "")
_BLANK.kind = BLANK
_BLANK.noise = True
_JOIN = Line("", "")
_JOIN.kind = BOILER
_JOIN.noise = True


def split_lines(text: str) -> list[Line]:
    """Return the classified lines of ``text``, join details and footers left out."""
    low = text.lower()
    if len(low) != len(text):  # a letter changed length in lower case: quote lower case
        text = low
    low, text = cut_blocks(low, text)
    raws = text.split("\n")
    lows = low.split("\n")  # lower() keeps every newline: the two lists line up
    out: list[Line] = []
    count = len(lows)
    index = 0
    while index < count:
        stripped = lows[index].strip()
        index += 1
        if not stripped:
            out.append(_BLANK)
            continue
        verdict = join_details(stripped)
        if verdict == KEEP:
            raw = raws[index - 1]
            if stripped[0] == "|":  # a markdown table row: its cells read as one line
                raw, stripped = raw.replace("|", " "), stripped.replace("|", " ").strip()
                if not stripped:
                    continue
            out.append(classify(Line(raw.strip(), stripped)))
        elif verdict == DROP:
            if not out or out[-1] is not _JOIN:
                out.append(_JOIN)
        elif verdict == REST:
            # A signature or footer ends the writer's text, unless a forwarded message
            # follows it: that is text again.
            index = _after_signature(lows, index, count)
            if index == count:
                break
            if not out or out[-1] is not _JOIN:
                out.append(_JOIN)
        else:
            if verdict == GOOGLE_BLOCK:
                index = _after_block(lows, index, count)
            else:
                index = _after_teams(lows, index, count)
            if not out or out[-1] is not _JOIN:
                out.append(_JOIN)
    return out


# The line that opens a forwarded message in a mail pasted into an invite (quoted replies,
# "On ... wrote:", are earlier conversation and stay behind the signature).
_FORWARD = re.compile(
    r"-{2,}\s*(?:forwarded message|original message|original appointment"
    r"|weitergeleitete nachricht|ursprüngliche nachricht|message transféré|message d'origine"
    r"|mensaje reenviado|mensaje original)\s*-{2,}|begin forwarded message:"
    r"|anfang der weitergeleiteten|début du message réexpédié|inicio del mensaje reenviado"
)


def _after_signature(lows: list[str], index: int, count: int) -> int:
    """Return the index of the forwarded message after a signature, else ``count``."""
    for following in range(index, count):
        if _FORWARD.match(lows[following].strip()) is not None:
            return following
    return count


def _after_block(lows: list[str], index: int, count: int) -> int:
    """Return the index after the separator that closes Google's Meet block, if any."""
    for end in range(index, min(count, index + 40)):
        if lows[end].lstrip().startswith("-::~"):
            return end + 1
    return index  # no closing separator: only the opening line goes


def _after_teams(lows: list[str], index: int, count: int) -> int:
    """Return the index after a Teams block opened by the rule before ``index``, if any."""
    following = next((line for line in lows[index : index + 3] if line.strip()), "")
    if "teams" not in following and "need help" not in following:
        return index  # an ordinary rule
    for end in range(index, min(count, index + 40)):
        if lows[end].strip().startswith("_" * 60):
            return end + 1
    return index


def classify(line: Line) -> Line:
    """Fill in what ``line`` looks like: cheap checks first, join details left to callers."""
    low = line.low
    first = low[0]
    if first in _WORD_NUMBER_FIRST and low.startswith(_WORD_NUMBER_START):
        numbered = _WORD_NUMBER.match(low)
        if numbered is not None and low[numbered.end() :].strip():
            line.body = low[numbered.end() :].strip()
            line.numbered = True
            line.kind = ITEM
            return line
    if first.isalpha() and first not in "ivxt" and low[1:2] not in (".", ")"):
        # Prose or a heading: by far the most common line, so it gets the shortest path.
        if (len(low) <= 48 or ":" in low or " - " in low or " – " in low or " = " in low) and (
            _heading(line)
        ):
            return line
        if low.endswith(_TAIL_ENDS):
            _time_box(line)
        return line
    marker = _MARKER.match(low)
    if marker is not None:
        if is_rule(low):
            line.kind = BOILER
            return line
        body = low[marker.end() :].strip()
        if body:
            line.body = body
            line.numbered = marker.group("num") is not None
            line.kind = ITEM
    elif _heading(line):
        return line
    if (line.body[0].isdigit() or line.body[0] in "([") or line.body.endswith(_TAIL_ENDS):
        _time_box(line)
    body = line.body
    if line.kind == ITEM and (body[0].isdigit() or body[0] in "+(") and is_numberish(body):
        line.kind = BOILER  # a bulleted dial-in number, IP or SIP address
    return line


def _time_box(line: Line) -> None:
    """Mark ``line`` as a time-boxed item when it starts or ends with a time or duration."""
    body = line.body
    topic = None
    if body[0].isdigit() or body[0] in "([":
        timed = _TIMEBOX.match(body)
        if timed is not None and (
            timed.group("range") is None or _CLOCK_MARK.search(timed.group("range"))
        ):
            topic = timed.group("topic")
        elif timed is not None:
            span = _SPAN.match(body)
            topic = span.group("topic") if span is not None else None
    if topic is None and body.endswith(_TAIL_ENDS):
        tail = _TIMEBOX_TAIL.search(body, max(0, len(body) - 18))
        if tail is not None:
            topic = body[: tail.start()]
    if topic is not None and _HAS_LETTER.search(topic):
        line.kind = ITEM
        line.timed = True
        line.body = topic.strip(" -–—:|")


def is_noise(line: Line) -> bool:
    """Return True when a line is join details or a footer (computed once, on demand)."""
    if line.noise is None:
        line.noise = line.kind in (BLANK, BOILER) or is_boilerplate(line.low)
    return line.noise


def _heading(line: Line) -> bool:
    low = line.low
    if not (low[0].isalpha() or low[0] in "#*_>"):
        return False
    match = _HEADING.match(low)
    if match is None:
        return False
    keyword = match.group("kw")
    kind = _KIND_OF[keyword]
    qual = match.group("qual")
    if qual:
        if kind in (PEOPLE, LOGISTICS) and (not match.group("end") or keyword in _HEADER_WORDS):
            # "Where we stand" and "To cover:" are not headings; "Logistics for day 1:" is.
            return False
        if not match.group("end"):
            if keyword not in _STRONG:
                return False  # "Plan the offsite" is a sentence, not a heading
            line.qual = qual.strip()
    line.kind = HEADING
    line.head = kind
    line.body = match.group("rest").strip(" *_")
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
