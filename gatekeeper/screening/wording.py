"""Judgments about a piece of wording: placeholders, people, goals, questions, quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gatekeeper.screening import lexicon as lx
from gatekeeper.screening.lines import HEADING, LOGISTICS, PEOPLE, Line, classify, words_of

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
# What follows a placeholder to say why it is one: "TBD – ...", "TBC (...)", "tbd: ...".
_ASIDE = frozenset("–—-:;,(/")
_FILLER = lx.words(
    """before after closer date shortly beforehand asap later soon advance ahead prior
    separately email mail invite invitation meeting call details detail more info
    information content contents shared sent vor der dem sitzung termin avant la réunion
    antes de reunión day days week see notes doc docs document link below confirm confirmed
    confirmamos confirmaremos confirmar bestätigen bestätigt confirmer confirmerons
    confirmons agenda tagesordnung ordre jour orden día temario traktanden"""
)
_GOAL = re.compile(_BOUNDARY_L + "(?:" + lx.trie_pattern(lx.GOAL_CUES) + ")" + _BOUNDARY_R)
_STRONG = re.compile(_BOUNDARY_L + "(?:" + lx.trie_pattern(lx.STRONG_CUES) + ")" + _BOUNDARY_R)
_CUE_WORDS = lx.words(" ".join(lx.GOAL_CUES))
# Questions that put a choice on the table ("Should we move X to Y?"), not "can we talk?".
_QUESTION = re.compile(
    r"(?:should|shall) we\b|do we (?:need|want|keep|go|move|ship|drop)\b|which\b"
    r"|how (?:do|should|will) we\b|what (?:should|do|will) we\b|whether\b|sollen wir"
    r"|sollten wir|wie (?:sollen|wollen) wir|welche[rsn]?\b|devons-nous|faut-il|doit-on"
    r"|debemos|deberíamos|qué (?:hacemos|debemos)|cuál"
)
_URL = re.compile(r"\(?<?(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PERSON_TAIL = re.compile(
    r"(?:\(|[-–—,]\s*)(?:organi[sz]er|optional|required|host|presenter|facultatif|opcional)\)?$"
)
_NON_WORD = re.compile(r"[\W_]+")
# A sentence that says where the agenda is: in a linked document, or attached.
AGENDA_WORD = re.compile(
    r"\b(?:agenda|tagesordnung|ordre du jour|orden del día|topics|themen|temas|sujets)\b"
)
ATTACHED = re.compile(
    r"\b(?:attached|attachment|enclosed|anbei|im anhang|angehängt|ci-joint|pièce jointe"
    r"|en pj|adjunt[oa]s?)\b"
)
# A list or heading marked as old: the agenda of an earlier meeting, kept for reference.
OUTDATED = re.compile(
    r"\b(?:outdated|out of date|obsolete|superseded|for reference only|do not use"
    r"|(?:old|previous|last (?:week|month|time)'?s?) agenda|veraltet|alte tagesordnung"
    r"|obsolète|ancien ordre du jour|obsoleto|desactualizad[oa]|orden del día anterior)\b"
)
# A sentence that promises something for later: "Will finalize once we hear back from X".
_LATER = re.compile(
    r"^(?:will|to be) (?:update|updated|finali[sz]e|finali[sz]ed|confirm|confirmed|share"
    r"|shared|send|sent|circulate|circulated|add|added|post|posted)\b"
    r"|\b(?:once|as soon as|when|after) (?:we|i|they) (?:hear back|know more|have more)\b"
    r"|\bhold(?:ing)? (?:the|this|a|your) (?:time|date|slot|spot)\b|\bsave the date\b"
    r"|\bplaceholder\b|\bdetails to follow\b"
)
# A sentence about material to read or look at: it states a goal only with a decision word.
MATERIAL = re.compile(
    r"://|www\.|\b(?:attach(?:ed|ing|ment)?|enclosed|adjunt[oa]s?|adjunto|anbei|im anhang"
    r"|ci-joint|pièce jointe|for reference|please (?:review|read|take a look|have a look|see)"
    r"|submit|fill (?:in|out)|scorecards?"
    r"|bitte (?:lesen|anschauen|durchsehen)|merci de (?:lire|relire)|por favor (?:revisen|lean"
    r"|revisar|leer))\b"
)
# Activities that name no outcome: with only a subject beside them they are vague.
_VAGUE_ACTIVITY = re.compile(
    r"\b(?:align|sync|catch up|catch-up|touch base|discuss|talk about|chat about|go through"
    r"|go over|check in|ponernos al día|hablar de|charlar|austauschen|besprechen"
    r"|faire le point|échanger|discuter)\b"
)
# Where a person's name ends and their part begins: "Wei: ...", "Maria Costa – ...".
_ASSIGNED = re.compile(r":\s+|\s[-–—]\s")
_MAYBE_TWO = re.compile(r"[.!?] ")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\s\da-zà-ÿ])")


def label_kind(low: str) -> str:
    """Return the heading kind of a "Label: value" line, or an empty string."""
    probe = Line(low, low)
    return probe.head if classify(probe).kind == HEADING else ""


def is_practical(low: str) -> bool:
    """Return True for a lower-case line about practicalities ("parking: level -2")."""
    colon = low.find(":")
    if 0 < colon <= 20 and label_kind(low) in (LOGISTICS, PEOPLE):
        return True
    words = {word.strip(".,:;!?()[]{}\"'") for word in low.split()}
    return not lx.LOGISTIC_WORDS.isdisjoint(words)


def assigns_topic(text: str) -> bool:
    """Return True for "Wei: clustering update, batch correction" (a person, then a topic).

    A role or an affiliation after the name ("Dr Owen Price – Internal Examiner",
    "Li Wen – VP Procurement, Orion Freight") is not a topic: it has a role word, or its
    words are capitalized like a title.
    """
    text = text.lstrip("-*•·–—+0123456789.) ")
    cut = _ASSIGNED.search(text)
    if cut is None or len(text[: cut.start()].split()) > 4:
        return False
    rest = text[cut.end() :]
    low = rest.lower()
    content = words_of(strip_links(low))
    if len(content) < 3 or is_placeholder(low) or not lx.ROLE_WORDS.isdisjoint(content):
        return False
    named = [word for word in rest.split() if word[:1].isalpha()]
    return sum(1 for word in named if word[0].isupper()) * 5 < len(named) * 3


def is_link_label(low: str) -> bool:
    """Return True for "Deck: <link>": a name for a link, not a sentence about the meeting."""
    if "://" not in low and "www." not in low:
        return False
    return len(_URL.sub(" ", low).split()) <= 3


def sentences(paragraph: Sequence[Line]) -> list[str]:
    """Return the sentences of a paragraph, joining lines that wrap mid-sentence."""
    if len(paragraph) == 1:
        text = paragraph[0].text
        return _SENTENCE_END.split(text) if _MAYBE_TWO.search(text) else [text]
    units: list[str] = []
    pending: list[str] = []
    for index, line in enumerate(paragraph):
        pending.append(line.text)
        following = paragraph[index + 1] if index + 1 < len(paragraph) else None
        if following is not None and line.text[-1] not in ".!?:;" and following.text[0].islower():
            continue
        units.extend(_SENTENCE_END.split(" ".join(pending)))
        pending = []
    return units


def quote(text: str, limit: int = 60) -> str:
    """Return ``text`` in quotes, on one line, shortened to ``limit`` characters."""
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "'"


def norm(text: str) -> str:
    """Return ``text`` in lower case with punctuation turned into single spaces."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def is_placeholder(low: str) -> bool:
    """Return True when a lower-case text only says that content will come later."""
    text = low.strip(" .:;!?-–—()[]*_\"'…")
    if not text:
        return False
    if text in _PLACEHOLDER_ONLY:
        return True
    found = _PLACEHOLDER.search(text)
    if found is None:
        return False
    if found.start() == 0 and text[found.end() : found.end() + 2].strip()[:1] in _ASIDE:
        return True  # "TBD – pulling it together with the auditors this week"
    rest = _PLACEHOLDER.sub(" ", text)
    return sum(1 for w in words_of(rest) if w not in _FILLER and w not in lx.DATE_WORDS) <= 1


def is_person(text: str) -> bool:
    """Return True when a list item names a person (an attendee) rather than a topic."""
    if "@" in text and _EMAIL.search(text):
        return True
    low = text.lower()
    if _PERSON_TAIL.search(low):
        return True
    tokens = text.replace("(", " ").replace(")", " ").split()
    if tokens and tokens[0].lower() in lx.HONORIFICS:
        tokens = tokens[1:]
        if tokens and all(t[0].isupper() for t in tokens[:2]):
            return True  # "Dr. Maria Lopez"
    if not tokens or len(tokens) > 6 or tokens[0].lower().strip(",") not in lx.FIRST_NAMES:
        return False
    rest = [t.strip(",–—-:") for t in tokens[1:]]
    rest = [t for t in rest if t]
    return all(t[0].isupper() or t.lower() in lx.ROLE_WORDS for t in rest)


def states_goal(low: str, *, said: str | None = None) -> bool:
    """Return True when a lower-case sentence states a concrete goal or decision.

    A decision word ("decide", "approve") needs one more content word beside it; an
    activity word ("review", "walk through") needs three, and is not enough in a sentence
    about material to read ("Attaching the feedback for reference"), judged on ``said``, the
    sentence as written, links included.
    """
    if _GOAL.search(low) is None:
        return False
    if said is not None and MATERIAL.search(said) is not None and _STRONG.search(low) is None:
        return False
    plain = [w for w in words_of(low) if w not in _CUE_WORDS]
    return len(plain) >= 3 or (bool(plain) and _STRONG.search(low) is not None)


def goal_words(text: str) -> bool:
    """Return True when a goal heading's text names enough to be a goal.

    "Align on next steps for the data team" only names a subject: a vague activity with
    no decision word needs three content words, like a weak cue in a sentence.
    """
    plain = [w for w in words_of(text) if w not in _CUE_WORDS]
    if _VAGUE_ACTIVITY.search(text) is not None and _STRONG.search(text) is None:
        return len(plain) >= 3
    return len(plain) >= 2 or (bool(plain) and _GOAL.search(text) is not None)


def promises_later(low: str) -> bool:
    """Return True when a lower-case sentence promises content for later, not a goal."""
    return _LATER.search(low) is not None


def asks_question(low: str) -> bool:
    """Return True for a question that puts a choice on the table."""
    return low.endswith("?") and _QUESTION.search(low) is not None and len(words_of(low)) >= 2


def strip_links(low: str) -> str:
    """Return ``low`` without its links."""
    return _URL.sub(" ", low) if "://" in low or "www." in low else low
