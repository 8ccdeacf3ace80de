"""Recognize the text that calendars and video tools add to invites (join details, footers)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gatekeeper.screening.lexicon import words

# Any line made only of these is a rule: Google's "-::~:~::~", Teams' underscores,
# Outlook's "*~*~*~", Zoom's "---".
_RULE_CHARS = "-_=~:*.·•─━#+<>|/\\ "

# After one of these the rest of the text is the calendar's or the mail client's.
_FOOTERS = (
    "invitation from google calendar", "einladung von google kalender",
    "invitation de google agenda", "invitación de google calendar",
    "you are receiving this email", "you are receiving this courtesy email",
    "sie erhalten diese e-mail", "vous recevez cet e-mail", "recibes este correo",
)  # fmt: skip

# Lines that start like join details, whatever follows them.
_PREFIXES = (
    "meeting id", "meeting-id", "webinar id", "meeting number", "meeting password",
    "meeting link", "meeting url", "passcode", "password:", "numeric password", "pin:",
    "access code", "attendee access code", "conference id", "phone conference id",
    "video conference id", "vtc conference id", "host key", "attendee id", "participant id",
    "one tap mobile", "dial by your location", "dial-in", "dial in", "dial:", "or dial",
    "find your local number", "find a local number", "join by sip", "join by h.323",
    "join by h323", "join by skype", "join zoom meeting", "join with google meet",
    "join google meet", "join by phone", "join by video system", "join from a video system",
    "join from the meeting link", "join the meeting", "join meeting", "join microsoft teams",
    "join on your computer", "join with a video conferencing device", "join with an",
    "join conference", "join webex", "join from", "more phone numbers", "learn more about meet",
    "please do not edit this section", "microsoft teams", "click here to join",
    "download teams", "learn more", "meeting options", "need help", "for organizers",
    "or call in", "reset pin", "reset dial-in pin", "alternate vtc", "org help",
    "privacy and security", "view all guest info", "reply for", "more options",
    "forwarding this invitation",
    "to stop receiving", "this event has been", "get the app now", "new to gotomeeting",
    "you can also dial in", "can't join", "cannot join", "trouble joining",
    "please join my meeting", "zoom is the leader", "join our cloud hd video meeting",
    "tap to join", "after registering", "register in advance", "sent from my",
    "sent from outlook", "get outlook for", "unsubscribe",
    "confidentiality notice", "this email and any attachments", "this message and any",
    "the information contained in this", "disclaimer:", "if you have trouble",
    "mit google meet teilnehmen", "über telefon teilnehmen", "weitere telefonnummern",
    "weitere informationen zu meet", "microsoft teams-besprechung", "nehmen sie von ihrem",
    "klicken sie hier", "besprechungs-id", "besprechungskennung", "kenncode", "kennung",
    "weitere infos", "hilfe |", "jetzt an der besprechung", "zoom-meeting beitreten",
    "schnelleinwahl mobil", "einwahl nach aktuellem", "ortseinwahl suchen", "einwahl",
    "participer avec google meet", "rejoindre avec google meet", "participer par téléphone",
    "autres numéros de téléphone", "en savoir plus", "réunion microsoft teams",
    "participer à partir de votre", "rejoindre à partir de votre", "cliquez ici pour",
    "id de réunion", "id de la réunion", "code secret", "code secret", "options de réunion",
    "rejoindre la réunion", "participer à la réunion", "appareil mobile en un clic",
    "composez un numéro", "trouvez votre numéro",
    "unirse con google meet", "unirse por teléfono", "más números de teléfono",
    "más información", "reunión de microsoft teams", "unirse desde", "haga clic aquí",
    "haz clic aquí", "id. de reunión", "id de reunión", "id de la reunión", "código de acceso",
    "opciones de reunión", "unirse a la reunión", "móvil con un toque",
    "every week on", "every 2 weeks on", "every day", "every weekday", "every month on",
    "please download and import the following", "weekly: http", "daily: http",
    "monthly: http", "register in advance for this",
    "marcar según su ubicación", "encuentre su número", "bitte nehmen sie keine änderungen",
    "ne modifiez pas cette section", "no edites esta sección", "no modifique esta sección",
)  # fmt: skip
# Phrases that mark a line as the video tool's wherever they appear in it.
_CONTAINS = (
    "personal meeting room", "is inviting you to a scheduled", "inviting you to a zoom",
    "lädt sie zu einem geplanten", "vous invite à une réunion", "le está invitando",
    "te está invitando", "invited to a zoom", "invited you to",
)  # fmt: skip
# Words that appear in join details and nowhere near a topic.
# Words that make up join details. A line made only of these (and numbers and links) is
# join details; topic words ("launch", "security", "options") stay out of this list.
_VOCAB = words(
    """join joining meeting meetings zoom teams microsoft google meet webex gotomeeting goto
    skype lync sip h dial dial-in dialin phone telephone tel number numbers local find your
    you by with on the a an or and to of for in at from here click tap one mobile app
    computer tablet smartphone device room video conference conferencing audio only call id
    passcode password pin code access host key attendee participant webinar learn more about
    help need download web browser link url reset organizers organizer alternate vtc
    instructions enter via using this is us me toll free international
    nehmen sie von ihrem ihrer mobilen oder einem raumgerät aus teil klicken hier um an der
    besprechung teilzunehmen kennung weitere infos besprechungsoptionen hilfe jetzt
    teilnehmen telefon einwahl ortseinwahl suchen schnelleinwahl mobil nach aktuellem
    standort kenncode beitreten mit über informationen zu telefonnummern
    réunion participer à partir de votre ordinateur application mobile l'appareil la salle
    cliquez ici pour rejoindre code secret en savoir plus maintenant numéro téléphone
    trouver composez un fonction emplacement appareil clic avec par autres numéros sur
    reunión unirse desde el equipo aplicación móvil dispositivo sala haga haz clic aquí para
    código acceso más información ahora número teléfono buscar marcar según su ubicación
    encuentre toque con por números sobre"""
)
_TOKEN = re.compile(r"[^\W\d_]+")
_URL = re.compile(r"<?(?:https?://|www\.)\S+")
# A phone number (a "+" or at least 9 digits, so that dates are not), dial string, IP
# address or SIP address at the start of a line, perhaps after a bullet.
_NUMBERISH = re.compile(
    r"(?:[•·*-][ \t]*)?(?:\([a-z]{2,3}\)[ :]*)?(?:\+[ (]*\d[\d ()./,#*–-]{5,}\d"
    r"|(?:\d[ ()./,#*–-]{0,2}){9,})"
    r"|(?:[•·*-][ \t]*)?(?:\d{1,3}(?:\.\d{1,3}){3}\b|\d{6,}[\w.+-]*@)"
)
_NUMBER_START = frozenset("0123456789+(•·*-")

# Prefixes grouped by their first character: a line is checked only against the few
# that could match, with one C-level startswith call.
_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _phrase in _PREFIXES:
    _BY_FIRST[_phrase[0]] = (*_BY_FIRST.get(_phrase[0], ()), _phrase)
_FOOTER_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _phrase in _FOOTERS:
    _FOOTER_BY_FIRST[_phrase[0]] = (*_FOOTER_BY_FIRST.get(_phrase[0], ()), _phrase)

# A line made only of join-detail words starts with one of these, never with "a" or "the".
_VOCAB_START = words(
    """join zoom teams microsoft google meet meeting webex gotomeeting goto skype video call
    dial dial-in dialin phone telephone tel click tap find conference audio passcode password
    pin access id host link url download learn need more or
    nehmen klicken besprechung telefon einwahl beitreten weitere jetzt kenncode hilfe
    réunion participer cliquez rejoindre code numéro téléphone trouver composez appareil
    reunión unirse haga haz código número teléfono buscar marcar encuentre más"""
)
_FIRST_WORD = re.compile(r"[^\W\d_][\w-]*")

# Stands for a cut block: a line of its own, read as join details.
CUT_MARK = "\x00"

# What join_details() says about a line.
KEEP, DROP, REST, GOOGLE_BLOCK, TEAMS_RULE = range(5)


def join_details(low: str) -> int:
    """Return what a stripped, non-empty, lower-case line is, as far as join details go.

    ``DROP``: join details or a rule; ``REST``: a footer or a signature, after which
    nothing is the organizer's; ``GOOGLE_BLOCK``: the separator that opens (and closes)
    Google's Meet block; ``TEAMS_RULE``: an underscore rule that may open a Teams block;
    ``KEEP``: anything else.
    """
    first = low[0]
    if first == CUT_MARK:
        return DROP
    if first in _RULE_FIRST and not low.strip(_RULE_CHARS):
        if low.startswith("-::~"):
            return GOOGLE_BLOCK
        if low.startswith("________________"):
            return TEAMS_RULE
        if low == "--" or len(low) >= 3:
            return REST if low == "--" else DROP
    if first in _NUMBER_START:
        return DROP if _NUMBERISH.match(low) is not None else KEEP
    footers = _FOOTER_BY_FIRST.get(first)
    if footers is not None and low.startswith(footers):
        return REST
    prefixes = _BY_FIRST.get(first)
    if prefixes is not None and low.startswith(prefixes):
        return DROP
    if ("invit" in low or "room" in low) and any(p in low for p in _CONTAINS):
        return DROP
    word = _FIRST_WORD.match(low)
    if word is not None and word.group() in _VOCAB_START and _only_vocabulary(low):
        return DROP
    return KEEP


def _only_vocabulary(low: str) -> bool:
    if len(low) > 160:
        return False
    if "://" in low or "www." in low:
        low = _URL.sub(" ", low)
    return _VOCAB.issuperset(_TOKEN.findall(low))


_RULE_FIRST = frozenset(_RULE_CHARS)


def is_rule(low: str) -> bool:
    """Return True for a separator line such as ``-::~:~::~`` or underscores."""
    return len(low) >= 3 and not low.strip(_RULE_CHARS)


def is_boilerplate(low: str) -> bool:
    """Return True when a stripped, lower-case line is join details or a calendar footer."""
    if not low:
        return True
    if join_details(low) != KEEP:
        return True
    if len(low) > 120:
        return False
    if "://" in low or "www." in low:
        low = _URL.sub(" ", low)
    tokens = _TOKEN.findall(low)
    return not tokens or _VOCAB.issuperset(tokens)


def is_numberish(low: str) -> bool:
    """Return True when a line starts with a phone number, IP or SIP address."""
    return _NUMBERISH.match(low) is not None


@dataclass(frozen=True)
class _Block:
    """A video tool's join block: opened by one phrase, closed by the last of others."""

    gate: str  # every opening phrase holds it: one substring search before any other
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    reach: int  # how far past its opening line the block can end
    anywhere: bool  # the opening phrase may sit anywhere on its line, not only first

    def span(self, low: str) -> tuple[int, int] | None:
        """Return the whole lines the block takes in ``low``, or None."""
        gate = low.find(self.gate)
        while gate != -1:
            begin = low.rfind("\n", 0, gate) + 1
            line_end = low.find("\n", gate)
            if line_end == -1:
                line_end = len(low)
            line = low[begin:line_end].strip()
            if (
                any(start in line for start in self.starts)
                if self.anywhere
                else line.startswith(self.starts)
            ):
                last = max([low.rfind(end, begin, begin + self.reach) for end in self.ends])
                end = low.find("\n", max(last, line_end - 1))
                return begin, end if end != -1 else len(low)
            gate = low.find(self.gate, line_end)
        return None


_BLOCKS = (
    _Block(
        gate="zoom",
        starts=(
            "join zoom meeting", "inviting you to a scheduled zoom meeting", "invited to a zoom",
            "zoom-meeting beitreten", "geplanten zoom-meeting", "participer à la réunion zoom",
            "rejoindre la réunion zoom", "réunion zoom planifiée", "unirse a la reunión zoom",
            "unirse a la reunión de zoom", "reunión de zoom programada",
        ),
        ends=(
            "zoom.us/u/", "zoomcrc.com", "h.323", "passcode", "kenncode", "code secret",
            "código de acceso", "meeting id", "meeting-id", "id de réunion", "id de reunión",
            "one tap mobile", "skype for business", "pwd=",
        ),
        reach=3000,
        anywhere=True,  # "Priya Raman is inviting you to a scheduled Zoom meeting."
    ),
    _Block(
        gate="google meet",
        starts=(
            "join with google meet", "mit google meet teilnehmen", "participer avec google meet",
            "rejoindre avec google meet", "unirse con google meet",
        ),
        ends=(
            "tel.meet/", "support.google.com", "more phone numbers", "pin:", "meet.google.com",
            "join by phone", "learn more about meet", "please do not edit this section",
        ),
        reach=800,
        anywhere=False,
    ),
)  # fmt: skip


def cut_blocks(low: str, text: str) -> tuple[str, str]:
    """Return both texts with each Zoom or Meet join block replaced by one cut mark.

    A handful of substring searches find a whole block, however many lines it has, so
    the lines of a long dial-in list are never looked at one by one.
    """
    for block in _BLOCKS:
        if block.gate in low:
            found = block.span(low)
            if found is not None:
                begin, end = found
                low = low[:begin] + CUT_MARK + low[end:]
                text = text[:begin] + CUT_MARK + text[end:]
    return low, text
