"""Generate varied, realistic invites (as domain objects and as one big .ics file)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from gatekeeper.domain import Attachment, Attendee, Invite

PERSON = "maya@acme.example"

_AGENDAS = [
    "Agenda:\n1. Status of the migration\n2. Risks and mitigations\n3. Decision: go/no-go date",
    "<b>Agenda</b><ul><li>Review Q3 numbers</li><li>Budget for Q4</li><li>Hiring plan</li></ul>",
    "Decision needed: which vendor we pick for SSO.\nContext is in the doc below.",
    "Tagesordnung:\n- Stand Projekt Atlas\n- Offene Punkte\n- Nächste Schritte",
    "Ordre du jour :\n1. Bilan du trimestre\n2. Priorités\n3. Questions diverses",
    "Orden del día:\n1. Revisión del presupuesto\n2. Plan de contratación",
    "Goal: agree on the API versioning policy.\n10:00-10:15 context\n10:15-10:45 options\n"
    "10:45-11:00 decision",
]
_EMPTY = [
    "",
    "Let's sync.",
    "Agenda: TBD",
    "agenda to follow",
    "Quick catch-up",
    "Discuss project",
    "Agenda folgt",
    "Ordre du jour à venir",
]
_LINKS = [
    "Pre-read: https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit",
    "Spec: https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/API+versioning",
    "PR: https://github.com/acme/payments/pull/4821",
    "Deck: https://acme.sharepoint.com/:p:/s/Sales/EbX3kQ1?e=abc",
    "Notes: https://www.notion.so/acme/Roadmap-2027-5f1c2e",
]
_NOISE_LINKS = [
    "Book another time: https://calendly.com/someone/30min",
    "Map: https://maps.google.com/?q=Alexanderplatz+1+Berlin",
    "https://www.linkedin.com/in/someone",
]
_ZOOM = (
    "Join Zoom Meeting\nhttps://acme.zoom.us/j/8341229{n:04d}?pwd=abc\n\n"
    "Meeting ID: 834 1229 {n:04d}\n"
    "Passcode: 629144\n\nOne tap mobile\n+13462487799,,83412290511#,,,,*629144# US (Houston)\n"
    "+16694449171,,83412290511#,,,,*629144# US\n\nDial by your location\n+49 69 3807 9883 Germany\n"
    "+1 646 931 3860 US\nFind your local number: https://acme.zoom.us/u/abq4Zk1Gz"
)
_MEET = (
    "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\n"
    "Join with Google Meet: https://meet.google.com/xkd-pqre-{n:03d}\n"
    "Or dial: (DE) +49 30 300195 281 PIN: 845 219 117#\n"
    "More phone numbers: https://tel.meet/xkd-pqre-tmv?pin=8452191174\n"
    "Learn more about Meet at: https://support.google.com/a/users/answer/9282720\n"
    "Please do not edit this section.\n-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
)
_TEAMS = (
    "________________________________________________________________________________\n"
    "Microsoft Teams meeting\nJoin on your computer, mobile app or room device\n"
    "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_{n}%40thread.v2/0>\n"
    "Meeting ID: 371 902 884 116\nPasscode: 7kNqpX\n"
    "Learn More<https://aka.ms/JoinTeamsMeeting> | Meeting options<https://teams.microsoft.com/meetingOptions/>\n"
    "________________________________________________________________________________"
)
_TITLES = [
    "Roadmap review",
    "Quick sync",
    "1:1",
    "Vendor demo",
    "[urgent] Incident follow-up",
    "Planning",
    "Design review",
    "Budget discussion",
    "Hiring debrief",
    "Intro call",
]


def invites(count: int, *, seed: int = 7, now: datetime | None = None) -> list[Invite]:
    """Return ``count`` varied pending invites for PERSON over the next four weeks."""
    rng = random.Random(seed)
    base = (now or datetime(2026, 11, 23, 7, 0, tzinfo=UTC)).replace(minute=0, second=0)
    out: list[Invite] = []
    for n in range(count):
        parts = []
        kind = rng.random()
        if kind < 0.45:
            parts.append(rng.choice(_AGENDAS))
        elif kind < 0.8:
            parts.append(rng.choice(_EMPTY))
        if rng.random() < 0.35:
            parts.append(rng.choice(_LINKS))
        if rng.random() < 0.2:
            parts.append(rng.choice(_NOISE_LINKS))
        parts.append(rng.choice((_ZOOM, _MEET, _TEAMS)).format(n=n % 1000))
        description = "\n\n".join(parts)
        if rng.random() < 0.3:
            description = description.replace("\n", "<br>")
        start = base + timedelta(
            days=rng.randrange(0, 28), hours=rng.randrange(0, 11), minutes=15 * rng.randrange(4)
        )
        duration = timedelta(minutes=rng.choice((15, 25, 30, 45, 60, 90)))
        guests = rng.choice((1, 2, 3, 5, 9, 12))
        organizer = Attendee(
            f"org{n % 50}@{rng.choice(('acme.example', 'partner.example'))}", f"Organizer {n % 50}"
        )
        attendees = (
            Attendee(organizer.email, organizer.name, "accepted", organizer=True),
            Attendee(PERSON, "Maya Lindqvist", "needsAction"),
            *(Attendee(f"guest{g}@acme.example", None, "needsAction") for g in range(guests)),
        )
        attachments = (
            (
                Attachment(
                    "https://drive.google.com/file/d/1XyZ/view", "Plan.pdf", "application/pdf"
                ),
            )
            if rng.random() < 0.05
            else ()
        )
        out.append(
            Invite(
                uid=f"bench-{n}@acme.example",
                summary=rng.choice(_TITLES),
                start=start,
                end=start + duration,
                description=description,
                organizer=organizer,
                attendees=attendees,
                attachments=attachments,
                timezone="Europe/Berlin",
            )
        )
    return out


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    chunks = [line[i : i + 73] for i in range(0, len(line), 73)]
    return "\r\n ".join(chunks)


def ics_text(items: list[Invite], *, focus_series: int = 3) -> str:
    """Return an .ics calendar holding the invites plus a few recurring focus blocks."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Gatekeeper//bench//EN",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    for k in range(focus_series):
        lines += [
            "BEGIN:VEVENT",
            f"UID:focus-{k}@acme.example",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:2026110{2 + k}T0{8 + k}0000",
            f"DTEND;TZID=Europe/Berlin:2026110{2 + k}T{10 + k}0000",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR" if k % 2 == 0 else "RRULE:FREQ=WEEKLY;BYDAY=TU,TH",
            "SUMMARY:Deep work",
            f"ORGANIZER:mailto:{PERSON}",
            "END:VEVENT",
        ]
    for inv in items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{inv.uid}",
            "DTSTAMP:20261120T000000Z",
            f"DTSTART:{inv.start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTEND:{inv.end.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            _fold("SUMMARY:" + _esc(inv.summary)),
        ]
        if inv.organizer:
            lines.append(_fold(f"ORGANIZER;CN={inv.organizer.name}:mailto:{inv.organizer.email}"))
        for a in inv.attendees:
            status = {"needsAction": "NEEDS-ACTION"}.get(a.response, a.response.upper())
            lines.append(_fold(f"ATTENDEE;PARTSTAT={status};RSVP=TRUE:mailto:{a.email}"))
        for att in inv.attachments:
            lines.append(_fold(f"ATTACH;FMTTYPE={att.mime_type}:{att.url}"))
        lines.append(_fold("DESCRIPTION:" + _esc(inv.description)))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
