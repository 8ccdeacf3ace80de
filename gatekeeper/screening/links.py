"""Find the links in an invite and tell documents from join, scheduling and other links."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

# What a link is, as far as screening cares.
DOC = "document"  # something to read: counts as a pre-read
JOIN = "join"  # a video call or dial-in
SCHEDULING = "scheduling"  # booking pages, polls
MAP = "map"
SOCIAL = "social"  # profiles
FORM = "form"  # questionnaires: input to give, not material to read
HELP = "help"  # vendor help, meeting options, calendar footers
OTHER = "other"  # an ordinary web page: a pre-read only when the text says so

# Case-sensitive on purpose: a literal "http" prefix lets the regex engine skip ahead
# with a fast substring search; the rare upper-case scheme gets a second pass.
_URL = re.compile(r"https?://[^\s<>\"'`{}|\\^\[\]]+")
_URL_ANY_CASE = re.compile(r"https?://[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
# A bare "www." address (lower case, for the same reason as above).
_WWW = re.compile(r"www\.[^\s<>\"'`{}|\\^\[\]]+")
_TRAILING = ".,;:!?*'\"»”’›>"


class Link(NamedTuple):
    """One link found in an invite, with what it points at."""

    url: str  # as written, redirect wrappers removed
    kind: str
    label: str  # e.g. "Google Doc", "Zoom"
    raw: str = ""  # as it appears in the text (a redirect wrapper, say); "" when not in it


# A classification rule: a pattern for the lower-case path (None: any), kind and label.
Rule = tuple["re.Pattern[str] | None", str, str]


def _trim(url: str) -> str:
    """Return ``url`` without trailing punctuation, keeping balanced parentheses."""
    url = url.rstrip(_TRAILING)
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(_TRAILING)
    return url


def unwrap(url: str) -> str:
    """Return the target of a redirect wrapper (Google, Outlook Safe Links, Proofpoint)."""
    low = url.lower()
    try:
        if "google.com/url?" in low or ".safelinks.protection.outlook.com" in low:
            query = parse_qs(urlsplit(url).query)
            for key in ("q", "url"):
                if query.get(key):
                    return query[key][0]
        elif "urldefense.com/v3/__" in low:
            inner = url.split("/v3/__", 1)[1]
            return inner.split("__;", 1)[0].rstrip("_")
        elif "urldefense.proofpoint.com/v2/url?" in low:
            target = parse_qs(urlsplit(url).query).get("u")
            if target:
                return unquote(target[0].replace("-", "%").replace("_", "/"))
    except (ValueError, IndexError):
        return url
    return url


def find_links(text: str) -> list[Link]:
    """Return every distinct http(s) or www. link in ``text``, classified, in order."""
    if "http" not in text and "www." not in text and "HTTP" not in text:
        return []  # the common case for short descriptions: three quick scans
    raws: list[str] = _URL.findall(text) if "http" in text else []
    if "HTTP" in text:
        raws += [raw for raw in _URL_ANY_CASE.findall(text) if not raw.startswith("http")]
    if text.count("www.") > text.count("//www."):  # a www. address outside a link
        for match in _WWW.finditer(text):
            start = match.start()
            if not start or (text[start - 1] not in "/.@-" and not text[start - 1].isalnum()):
                raws.append(match.group())  # not inside a longer address
    found: list[Link] = []
    seen: set[str] = set()
    for raw in raws:
        raw = raw.rstrip(_TRAILING)
        if raw.endswith(")"):
            raw = _trim(raw)
        if len(raw) < 12:
            continue
        target = raw if raw[0] in "hH" else "https://" + raw
        if "url" in raw or "URL" in raw:
            target = unwrap(target)
        if target in seen:
            continue
        seen.add(target)
        kind, label = classify(target)
        found.append(Link(target, kind, label, raw))
    return found


@lru_cache(maxsize=1024)
def _rules_for(host: str) -> tuple[Rule, ...]:
    """Return the rules of ``host`` and of each of its parent domains, most specific first."""
    rules: list[Rule] = []
    probe = host
    while True:
        rules.extend(_HOSTS.get(probe, ()))
        dot = probe.find(".")
        if dot == -1:
            return tuple(rules)
        probe = probe[dot + 1 :]


# scheme://user@host:port/path?query#fragment, all optional but the host.
_PARTS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#\s]*@)?(?:www\.)?([^/?#:\s]*)(?::\d*)?(.*)",
    re.IGNORECASE | re.DOTALL,
)


def _split(url: str) -> tuple[str, str]:
    """Return the lower-case host (no "www.") and the lower-case path with its query."""
    parts = _PARTS.match(url)
    assert parts is not None  # every group is optional
    host, path = parts.groups()
    return host.lower().rstrip("."), "/" + path.lower().lstrip("/")


def _r(pattern: str | None, kind: str, label: str) -> Rule:
    return (re.compile(pattern) if pattern is not None else None, kind, label)


# Host (or any parent domain) -> rules tried in order against the lower-case path; the
# first whose pattern matches (None: always) decides. No match: try the parent domain.
_HOSTS: dict[str, tuple[Rule, ...]] = {
    "docs.google.com": (
        _r(r"^/(?:a/[^/]+/)?document/", DOC, "Google Doc"),
        _r(r"^/(?:a/[^/]+/)?spreadsheets/", DOC, "Google Sheet"),
        _r(r"^/(?:a/[^/]+/)?presentation/", DOC, "Google Slides"),
        _r(r"^/(?:a/[^/]+/)?drawings/", DOC, "Google Drawing"),
        _r(r"^/(?:a/[^/]+/)?forms/", FORM, "Google Form"),
        _r(r"^/(?:a/[^/]+/)?file/", DOC, "Google Drive file"),
    ),
    "drive.google.com": (
        _r(
            r"^/(?:drive/(?:u/\d+/)?folders|folderview|embeddedfolderview)",
            DOC,
            "Google Drive folder",
        ),
        _r(r"^/(?:file/|open\b|uc\b|a/[^/]+/file/)", DOC, "Google Drive file"),
    ),
    "sites.google.com": (_r(r"^/.+/.", DOC, "Google Sites page"),),
    "jamboard.google.com": (_r(r"^/d/", DOC, "Jamboard"),),
    "meet.google.com": (_r(None, JOIN, "Google Meet"),),
    "hangouts.google.com": (_r(None, JOIN, "Google Hangouts"),),
    "tel.meet": (_r(None, JOIN, "Google Meet dial-in"),),
    "g.co": (_r(r"^/meet", JOIN, "Google Meet"),),
    "calendar.app.google": (_r(None, SCHEDULING, "Google appointment page"),),
    "calendar.google.com": (
        _r(
            r"^/calendar/(?:u/\d+/)?(?:appointments|selfsched)",
            SCHEDULING,
            "Google appointment page",
        ),
        _r(None, HELP, "Google Calendar"),
    ),
    "google.com": (
        _r(r"^/maps\b", MAP, "Google Maps"),
        _r(r"^/calendar\b", HELP, "Google Calendar"),
        _r(r"^/(?:url|search)\b", OTHER, "Google"),
    ),
    "maps.google.com": (_r(None, MAP, "Google Maps"),),
    "goo.gl": (_r(r"^/maps", MAP, "Google Maps"),),
    "maps.app.goo.gl": (_r(None, MAP, "Google Maps"),),
    "forms.gle": (_r(None, FORM, "Google Form"),),
    "support.google.com": (_r(None, HELP, "Google help"),),
    "accounts.google.com": (_r(None, HELP, "Google account"),),
    "myaccount.google.com": (_r(None, HELP, "Google account"),),
    "policies.google.com": (_r(None, HELP, "Google policies"),),
    "notion.so": (_r(r"^/.", DOC, "Notion page"),),
    "notion.site": (_r(r"^/.", DOC, "Notion page"),),
    "atlassian.net": (
        _r(r"^/wiki/|^/x/", DOC, "Confluence page"),
        _r(r"^/browse/[a-z][a-z0-9_]+-\d+|selectedissue=", DOC, "Jira issue"),
        _r(r"^/jira/.*/(?:issues|boards?|backlog|list)\b|^/issues/\?", DOC, "Jira issues"),
    ),
    "quip.com": (_r(r"^/[a-z0-9]{8,}", DOC, "Quip doc"),),
    "paper.dropbox.com": (_r(r"^/doc", DOC, "Dropbox Paper doc"),),
    "dropbox.com": (_r(r"^/(?:s|scl/fi|scl/fo|sh|preview|home)/", DOC, "Dropbox file"),),
    "onedrive.live.com": (_r(None, DOC, "OneDrive file"),),
    "1drv.ms": (_r(None, DOC, "OneDrive file"),),
    "officeapps.live.com": (_r(None, DOC, "Office document"),),
    "sharepoint.com": (
        _r(r"^/:w:/", DOC, "Word document (SharePoint)"),
        _r(r"^/:x:/", DOC, "Excel workbook (SharePoint)"),
        _r(r"^/:p:/", DOC, "PowerPoint deck (SharePoint)"),
        _r(r"^/:b:/", DOC, "PDF (SharePoint)"),
        _r(r"^/:o:/", DOC, "OneNote notebook (SharePoint)"),
        _r(r"^/:[a-z]:/", DOC, "SharePoint file"),
        _r(
            r"/(?:_layouts/15/(?:doc|wopiframe|onenote)\.aspx|shared(?: |%20)documents/"
            r"|freigegebene(?: |%20)dokumente/|documents(?: |%20)partag"
            r"|documentos(?: |%20)compartidos"
            r"|documents/|sitepages/.)",
            DOC,
            "SharePoint document",
        ),
    ),
    "github.com": (
        _r(r"^/[^/]+/[^/]+/pull/\d+", DOC, "GitHub pull request"),
        _r(r"^/[^/]+/[^/]+/issues/\d+", DOC, "GitHub issue"),
        _r(r"^/[^/]+/[^/]+/discussions/\d+", DOC, "GitHub discussion"),
        _r(r"^/[^/]+/[^/]+/(?:blob|tree)/", DOC, "GitHub file"),
        _r(r"^/[^/]+/[^/]+/(?:commit|compare)/", DOC, "GitHub diff"),
        _r(r"^/[^/]+/[^/]+/wiki/.", DOC, "GitHub wiki page"),
        _r(r"^/[^/]+/?$", SOCIAL, "GitHub profile"),
    ),
    "gist.github.com": (_r(r"^/[^/]+/.", DOC, "GitHub gist"),),
    "bitbucket.org": (_r(r"/pull-requests/\d+|/issues/\d+|/src/", DOC, "Bitbucket page"),),
    "dev.azure.com": (_r(r"/pullrequest/\d+|/_workitems/|/_wiki/", DOC, "Azure DevOps item"),),
    "figma.com": (_r(r"^/(?:file|design|proto|board|slides|deck)/", DOC, "Figma file"),),
    "miro.com": (_r(r"^/app/board/|^/welcomeonboard/", DOC, "Miro board"),),
    "mural.co": (_r(r"^/t/", DOC, "Mural board"),),
    "coda.io": (_r(r"^/d/", DOC, "Coda doc"),),
    "airtable.com": (_r(r"^/(?:app|shr|tbl)[a-z0-9]", DOC, "Airtable base"),),
    "loom.com": (_r(r"^/(?:share|embed)/", DOC, "Loom video"),),
    "box.com": (_r(r"^/(?:s|file|folder|notes)/", DOC, "Box file"),),
    "linear.app": (_r(r"/(?:issue|project|document)/", DOC, "Linear issue"),),
    "lucid.app": (
        _r(r"^/(?:lucidchart|lucidspark|documents|publicsegments)/", DOC, "Lucid diagram"),
    ),
    "canva.com": (_r(r"^/design/", DOC, "Canva design"),),
    "pitch.com": (_r(r"^/(?:v|public)/", DOC, "Pitch deck"),),
    "gamma.app": (_r(r"^/(?:docs|public)/", DOC, "Gamma doc"),),
    "prezi.com": (_r(r"^/(?:p|v|view)/", DOC, "Prezi"),),
    "whimsical.com": (_r(r"^/.", DOC, "Whimsical board"),),
    "overleaf.com": (_r(r"^/(?:read|project)/", DOC, "Overleaf document"),),
    "hackmd.io": (_r(r"^/.", DOC, "HackMD note"),),
    "arxiv.org": (_r(r"^/(?:abs|pdf)/", DOC, "arXiv paper"),),
    "icloud.com": (_r(r"^/(?:pages|keynote|numbers|iclouddrive)/", DOC, "iCloud document"),),
    "evernote.com": (_r(r"^/(?:shard|l)/", DOC, "Evernote note"),),
    "trello.com": (_r(r"^/c/", DOC, "Trello card"),),
    "zendesk.com": (_r(r"^/agent/tickets/\d+|^/hc/[a-z-]+/requests/\d+", DOC, "Zendesk ticket"),),
    "asana.com": (_r(r"^/0/", DOC, "Asana task"),),
    "slab.com": (_r(r"^/posts/", DOC, "Slab post"),),
    "getguru.com": (_r(r"/card/", DOC, "Guru card"),),
    "teams.microsoft.com": (
        _r(r"^/l/(?:meetup-join|meeting)/|^/meet/|^/dl/launcher", JOIN, "Microsoft Teams"),
        _r(r"^/l/file/", DOC, "file shared in Teams"),
        _r(None, HELP, "Microsoft Teams"),
    ),
    "teams.live.com": (_r(None, JOIN, "Microsoft Teams"),),
    "dialin.teams.microsoft.com": (_r(None, HELP, "Teams dial-in"),),
    "microsoft.com": (_r(None, HELP, "Microsoft"),),
    "aka.ms": (_r(None, HELP, "Microsoft help"),),
    "forms.office.com": (_r(None, FORM, "Microsoft Form"),),
    "forms.microsoft.com": (_r(None, FORM, "Microsoft Form"),),
    "outlook.office.com": (_r(r"bookwithme|/bookings/", SCHEDULING, "Microsoft Bookings"),),
    "outlook.office365.com": (_r(r"bookwithme|/bookings/", SCHEDULING, "Microsoft Bookings"),),
    "zoom.us": (
        _r(r"^/rec/(?:share|play)/", DOC, "Zoom recording"),
        _r(r"^/(?:j|my|w|s|wc|meeting/register|webinar/register)\b", JOIN, "Zoom"),
        _r(None, HELP, "Zoom"),
    ),
    "zoomgov.com": (_r(r"^/(?:j|my|w|s|wc)\b", JOIN, "Zoom"), _r(None, HELP, "Zoom")),
    "zoom.com": (_r(None, HELP, "Zoom"),),
    "webex.com": (_r(r"^/(?:support|help)|^/?$", HELP, "Webex"), _r(None, JOIN, "Webex")),
    "gotomeeting.com": (_r(r"/join/|^/\d", JOIN, "GoToMeeting"), _r(None, HELP, "GoToMeeting")),
    "gotomeet.me": (_r(None, JOIN, "GoToMeeting"),),
    "goto.com": (_r(r"/join/|/meeting/|^/\d", JOIN, "GoTo"), _r(None, HELP, "GoTo")),
    "whereby.com": (_r(None, JOIN, "Whereby"),),
    "around.co": (_r(None, JOIN, "Around"),),
    "chime.aws": (_r(None, JOIN, "Amazon Chime"),),
    "bluejeans.com": (_r(None, JOIN, "BlueJeans"),),
    "jit.si": (_r(None, JOIN, "Jitsi"),),
    "skype.com": (_r(None, JOIN, "Skype"),),
    "lync.com": (_r(None, JOIN, "Skype for Business"),),
    "ringcentral.com": (_r(None, JOIN, "RingCentral"),),
    "dialpad.com": (_r(None, JOIN, "Dialpad"),),
    "uberconference.com": (_r(None, JOIN, "UberConference"),),
    "8x8.vc": (_r(None, JOIN, "8x8"),),
    "discord.gg": (_r(None, JOIN, "Discord"),),
    "slack.com": (_r(r"huddle", JOIN, "Slack huddle"),),
    "calendly.com": (_r(None, SCHEDULING, "Calendly"),),
    "cal.com": (_r(None, SCHEDULING, "Cal.com"),),
    "doodle.com": (_r(None, SCHEDULING, "Doodle"),),
    "savvycal.com": (_r(None, SCHEDULING, "SavvyCal"),),
    "youcanbook.me": (_r(None, SCHEDULING, "YouCanBookMe"),),
    "acuityscheduling.com": (_r(None, SCHEDULING, "Acuity"),),
    "meetings.hubspot.com": (_r(None, SCHEDULING, "HubSpot meetings"),),
    "chilipiper.com": (_r(None, SCHEDULING, "Chili Piper"),),
    "zcal.co": (_r(None, SCHEDULING, "zcal"),),
    "tidycal.com": (_r(None, SCHEDULING, "TidyCal"),),
    "when2meet.com": (_r(None, SCHEDULING, "When2meet"),),
    "rallly.co": (_r(None, SCHEDULING, "Rallly"),),
    "framadate.org": (_r(None, SCHEDULING, "Framadate"),),
    "maps.apple.com": (_r(None, MAP, "Apple Maps"),),
    "bing.com": (_r(r"^/maps", MAP, "Bing Maps"),),
    "openstreetmap.org": (_r(None, MAP, "OpenStreetMap"),),
    "waze.com": (_r(None, MAP, "Waze"),),
    "what3words.com": (_r(None, MAP, "what3words"),),
    "linkedin.com": (_r(None, SOCIAL, "LinkedIn"),),
    "twitter.com": (_r(None, SOCIAL, "Twitter"),),
    "x.com": (_r(None, SOCIAL, "X"),),
    "facebook.com": (_r(None, SOCIAL, "Facebook"),),
    "instagram.com": (_r(None, SOCIAL, "Instagram"),),
    "typeform.com": (_r(None, FORM, "Typeform"),),
    "surveymonkey.com": (_r(None, FORM, "SurveyMonkey"),),
    "tally.so": (_r(None, FORM, "Tally form"),),
    "jotform.com": (_r(None, FORM, "Jotform"),),
    # Applicant tracking: feedback forms to fill in, candidate profiles to read.
    "greenhouse.io": (
        _r(r"/scorecards?\b|/interview_kit|/feedback", FORM, "Greenhouse scorecard"),
        _r(r"^/people/\d+", DOC, "Greenhouse candidate profile"),
    ),
    "lever.co": (
        _r(r"/feedback", FORM, "Lever feedback form"),
        _r(r"/candidates/|/opportunities/", DOC, "Lever candidate profile"),
    ),
    "ashbyhq.com": (
        _r(r"feedback", FORM, "Ashby feedback form"),
        _r(r"/candidates/", DOC, "Ashby candidate profile"),
    ),
}

_FILE_TYPES = {
    "pdf": "PDF", "doc": "Word document", "docx": "Word document", "odt": "document",
    "rtf": "document", "ppt": "PowerPoint deck", "pptx": "PowerPoint deck", "pps": "slides",
    "ppsx": "slides", "odp": "slides", "key": "Keynote deck", "xls": "Excel workbook",
    "xlsx": "Excel workbook", "ods": "spreadsheet", "csv": "CSV file", "numbers": "spreadsheet",
    "pages": "document", "md": "Markdown file", "markdown": "Markdown file", "txt": "text file",
    "epub": "e-book",
}  # fmt: skip
_FILE_EXT = re.compile(r"\.([a-z]{2,8})$")
# Paths that are documents whatever the host (self-hosted Confluence, Jira, GitLab, wikis).
_GENERIC = (
    _r(r"/confluence/|/display/[^/]+/.|/pages/viewpage\.action|/wiki/spaces/", DOC,
       "Confluence page"),
    _r(r"/browse/[a-z][a-z0-9_]+-\d+\b", DOC, "Jira issue"),
    _r(r"/-/merge_requests/\d+", DOC, "GitLab merge request"),
    _r(r"/-/issues/\d+", DOC, "GitLab issue"),
    _r(r"/-/(?:blob|wikis)/", DOC, "GitLab page"),
    _r(r"/(?:wiki|wikis|rfcs?|adrs?|design-docs?|specs?|proposals?|handbook|runbooks?|prds?)/.",
       DOC, "wiki page"),
    _r(r"unsubscribe|/privacy\b|/terms\b|/legal\b", HELP, "footer link"),
)  # fmt: skip


@lru_cache(maxsize=4096)
def classify(url: str) -> tuple[str, str]:
    """Return ``(kind, label)`` for ``url``, e.g. ``("document", "Google Doc")``."""
    host, path = _split(url)
    for pattern, kind, label in _rules_for(host):
        if pattern is None or pattern.search(path):
            return kind, label
    plain_path = path.split("?", 1)[0].split("#", 1)[0]
    if host.startswith("meet.") or host.startswith("join."):
        return JOIN, "video call"
    ext = _FILE_EXT.search(plain_path)
    if ext is not None and ext.group(1) in _FILE_TYPES:
        return DOC, _FILE_TYPES[ext.group(1)]
    for pattern, kind, label in _GENERIC:
        if pattern is not None and pattern.search(path):
            return kind, label
    if host.startswith(("wiki.", "confluence.")) and len(plain_path) > 1:
        return DOC, "wiki page"
    return OTHER, host
