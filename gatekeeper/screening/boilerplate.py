"""Recognize the text that calendars and video tools add to invites (join details, footers)."""

from __future__ import annotations

import re

from gatekeeper.screening.lexicon import trie_pattern, words

# Google wraps its Meet details between two of these lines; Outlook separates its
# header with "*~*~*~"; Teams draws underscores. Any line made only of these is a rule.
_RULE_CHARS = "-_=~:*.·•─━#+<>|/\\ "

# Google's Meet block sits between two identical separator lines.
_GOOGLE_BLOCK = re.compile(r"-::~:~::~[:~]*::-.*?(?:-::~:~::~[:~]*::-|\Z)", re.DOTALL)
# The Teams block starts and ends with a line of underscores.
_TEAMS_BLOCK = re.compile(
    r"________________+[ \t]*\n(?=\s*[^\n]*(?:microsoft teams|teams meeting|teams-besprechung"
    r"|réunion teams|reunión de teams|need help\?))[^_]*(?:_+[^_]+)*?________________+",
)
# Everything after these footers is the calendar's, never the organizer's.
_FOOTER = re.compile(
    r"\n[ \t]*(?:invitation from google calendar|einladung von google kalender"
    r"|invitation de google agenda|invitación de google calendar"
    r"|you are receiving this (?:email|courtesy email)|sie erhalten diese e-mail"
    r"|vous recevez cet e-mail|recibes este correo)"
)

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
    "invitation from google calendar", "you are receiving this", "forwarding this invitation",
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
    "marcar según su ubicación", "encuentre su número",
)  # fmt: skip
_PREFIX = re.compile(trie_pattern(_PREFIXES) + r"(?![a-zà-ÿ0-9])")
# Phrases that mark a line as the video tool's wherever they appear in it.
_CONTAINS = (
    "personal meeting room", "is inviting you to a scheduled", "inviting you to a zoom",
    "lädt sie zu einem geplanten", "vous invite à une réunion", "le está invitando",
    "te está invitando", "invited to a zoom", "invited you to",
)  # fmt: skip
# Words that appear in join details and nowhere near a topic.
_VOCAB = words(
    """join joining joined meeting meetings zoom teams microsoft google meet webex gotomeeting
    goto skype lync sip h dial dial-in dialin dialing phone telephone tel number numbers local
    find your you by with on the a an or and to of for in at from here click tap one mobile
    app apps computer tablet smartphone device devices room video conference conferencing
    audio only call id passcode password pin code access host key attendee participant
    webinar learn more about options option help need download web browser online link url
    reset organizers organizer system application alternate vtc instructions enter this is
    via using use new now be your my personal privacy security org guest guests info view all
    reply invitation calendar event us me toll free tollfree international numbers: hd cloud
    chat skype business now launch desktop open or if it doesn't work copy paste into
    nehmen sie von ihrem ihrer mobilen oder einem raumgerät aus teil klicken hier um an der
    besprechung teilzunehmen kennung weitere infos besprechungsoptionen hilfe jetzt
    teilnehmen telefon einwahl ortseinwahl suchen schnelleinwahl mobil nach aktuellem
    standort kenncode beitreten mit über informationen zu telefonnummern
    réunion participer à partir de votre ordinateur application mobile l'appareil la salle
    cliquez ici pour rejoindre code secret en savoir plus options maintenant numéro
    téléphone trouver composez un fonction emplacement appareil clic avec par autres
    numéros sur
    reunión unirse desde el equipo aplicación móvil dispositivo sala haga haz clic aquí para
    código acceso más información opciones ahora número teléfono buscar marcar según su
    ubicación encuentre toque con por números sobre"""
)
_TOKEN = re.compile(r"[^\W\d_]+")
_URL = re.compile(r"<?(?:https?://|www\.)\S+")
# A phone number (a "+" or at least 9 digits, so that dates are not), dial string, IP
# address or SIP address at the start of a line.
_NUMBERISH = re.compile(
    r"(?:\([a-z]{2,3}\)[ :]*)?(?:\+[ (]*\d[\d ()./,#*–-]{5,}\d"
    r"|(?:\d[ ()./,#*–-]{0,2}){9,})"
    r"|\d{1,3}(?:\.\d{1,3}){3}\b"
    r"|[\w.+-]*\d{6,}[\w.+-]*@"
)


def strip_blocks(low: str) -> list[tuple[int, int]]:
    """Return the spans of ``low`` (lower-case text) taken by whole join-detail blocks."""
    spans: list[tuple[int, int]] = []
    if "-::~" in low:
        spans.extend(m.span() for m in _GOOGLE_BLOCK.finditer(low))
    if "________________" in low:
        spans.extend(m.span() for m in _TEAMS_BLOCK.finditer(low))
    footer = _FOOTER.search(low) if "\n" in low else None
    if footer is not None:
        spans.append((footer.start(), len(low)))
    signature = low.find("\n--\n")
    if signature == -1:
        signature = low.find("\n-- \n")
    if signature != -1 and (footer is None or signature < footer.start()):
        spans.append((signature, footer.start() if footer is not None else len(low)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
