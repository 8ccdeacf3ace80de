"""Recognize the text that calendars and video tools add to invites (join details, footers)."""

from __future__ import annotations

import re

from gatekeeper.screening.lexicon import trie_pattern, words

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
_PREFIX = re.compile(trie_pattern(_PREFIXES) + r"(?![a-zà-ÿ0-9])")
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
# address or SIP address at the start of a line.
_NUMBERISH_PATTERN = (
    r"(?=[+(\d])(?:(?:\([a-z]{2,3}\)[ :]*)?(?:\+[ (]*\d[\d ()./,#*–-]{5,}\d"
    r"|(?:\d[ ()./,#*–-]{0,2}){9,})"
    r"|\d{1,3}(?:\.\d{1,3}){3}\b"
    r"|\d{6,}[\w.+-]*@)"
)
_NUMBERISH = re.compile(_NUMBERISH_PATTERN)
_GAP = r"[ \t,.:;|!?()&/'’\"*•·<>=+-]*+"
_WORD = r"(?>" + trie_pattern(_VOCAB) + r")(?![^\W\d_])" + _GAP
# A line of join-detail words starts with one of these, never with "a" or "the": most
# lines of prose are rejected at their first word.
_VOCAB_START = words(
    """join zoom teams microsoft google meet meeting webex gotomeeting goto skype video call
    dial dial-in dialin phone telephone tel click tap find conference audio passcode password
    pin access id host link url download learn need more or
    nehmen klicken besprechung telefon einwahl beitreten weitere jetzt kenncode hilfe
    réunion participer cliquez rejoindre code numéro téléphone trouver composez appareil
    reunión unirse haga haz código número teléfono buscar marcar encuentre más"""
)
_FIRST_WORD = r"(?>" + trie_pattern(_VOCAB_START) + r")(?![^\W\d_])" + _GAP
# What a line of join details looks like (lower case), each piece cheap to reject:
#   a footer or a signature ("-- "), which takes everything after it;
#   Google's Meet block, from its separator to the next one, and the Teams block, from
#   an underscore rule with "Microsoft Teams" under it to the long closing rule, whatever
#   the language of the lines between;
#   a line that starts like join details;
#   a phone number or an address, bulleted or not;
#   a rule;
#   a line made only of join-detail words, numbers and links (not a list item or time).
_JUNK = (
    r"(?:" + trie_pattern(_FOOTERS) + r"|--[ \t]*+(?=\n))[\s\S]*+"
    r"|-::~:~::~[:~]*::-[\s\S]*?-::~:~::~[:~]*::-[^\n]*+"
    r"|_{16,}+[ \t]*+\n(?=[ \t\n]*+[^\n]{0,40}?(?:microsoft teams|need help))"
    r"(?:[^\n]*+\n){0,40}?[ \t]*+_{60,}+[^\n]*+"
    r"|(?:" + trie_pattern(_PREFIXES) + r")(?![^\W\d_])[^\n]*+"
    r"|(?=[+(\d•·*-])(?:[•·*-][ \t]*+)?" + _NUMBERISH_PATTERN + r"[^\n]*+"
    r"|[-_=~:*.·•─━#+|/\\<> \t]{3,}+(?=\n|\Z)"
    r"|(?!\d{1,2}[:.h]\d\d|\d{1,2}[.)]\s)(?:" + _FIRST_WORD + r"|\d++" + _GAP + r")"
    r"(?:" + _WORD + r"|\d++" + _GAP + r"|<?(?:https?://|www\.)[^\s>]*+>?" + _GAP + r")*+"
    r"(?=\n|\Z)"
)
# A run of such lines and the blank lines among them, matched as one piece so that a
# whole block costs one cut. Anchored at newlines and possessive: linear in the text.
_JUNK_RUN = re.compile(r"\n[ \t]*(?:" + _JUNK + r")(?:\n[ \t]*+(?:" + _JUNK + r"|(?=\n|\Z)))*+")


def remove_join_details(text: str) -> tuple[str, str]:
    """Return ``(text, lower-case text)`` without join details, footers and signatures.

    One regex pass over the lower-case text finds every run of such lines; the runs are
    cut from both texts at the same offsets.
    """
    low = text.lower()
    if len(low) != len(text):
        text = low  # a letter changed length in lower case: offsets only hold for low
    kept_low: list[str] = []
    kept_text: list[str] = []
    previous = 0
    for match in _JUNK_RUN.finditer("\n" + low):
        begin, end = max(match.start() - 1, 0), match.end() - 1
        kept_low.append(low[previous:begin])
        kept_text.append(text[previous:begin])
        previous = end
    if not previous:
        return text, low
    kept_low.append(low[previous:])
    kept_text.append(text[previous:])
    return "".join(kept_text), "".join(kept_low)


def is_rule(low: str) -> bool:
    """Return True for a separator line such as ``-::~:~::~`` or underscores."""
    return len(low) >= 3 and not low.strip(_RULE_CHARS)


def is_boilerplate(low: str) -> bool:
    """Return True when a stripped, lower-case line is join details or a calendar footer."""
    if _PREFIX.match(low) is not None:
        return True
    if ("invit" in low or "room" in low) and any(p in low for p in _CONTAINS):
        return True
    first = low[0]
    if (first.isdigit() or first in "+(") and _NUMBERISH.match(low) is not None:
        return True
    if is_rule(low):
        return True
    if len(low) > 120:
        return False
    if "://" in low or "www." in low:
        low = _URL.sub(" ", low)
    tokens = _TOKEN.findall(low)
    if not tokens:
        return True  # only digits and punctuation: an ID or a number
    return _VOCAB.issuperset(tokens)


def is_numberish(low: str) -> bool:
    """Return True when a line starts with a phone number, IP or SIP address."""
    return _NUMBERISH.match(low) is not None
