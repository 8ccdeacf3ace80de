"""The mails Gatekeeper writes, composed from the templates next to this module."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from gatekeeper.config import Config

TEMPLATES = Path(__file__).resolve().parent / "templates"
RECONNECT_PATH = "/signin"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(template: str, /, **values: object) -> str:
    """Render ``template`` (``.html`` templates are HTML-escaped)."""
    return _environment().get_template(template).render(**values)


def compose(
    config: Config,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    to_name: str | None = None,
) -> EmailMessage:
    """Return a message from MAIL_FROM to ``to``: plain text, with an HTML alternative."""
    message = EmailMessage()
    message["From"] = formataddr(("Gatekeeper", config.mail_from))
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = config.mail_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def reconnect_url(config: Config) -> str:
    """Return the page where a person connects their Google account again."""
    return config.public_base_url.rstrip("/") + RECONNECT_PATH


def reconnect_mail(
    config: Config, *, email: str, reason: str, name: str | None = None
) -> EmailMessage:
    """Return the "your Google connection stopped working, reconnect at ..." mail."""
    values = {
        "name": name or email.partition("@")[0],
        "email": email,
        "reason": reason,
        "reconnect_url": reconnect_url(config),
    }
    return compose(
        config,
        email,
        "Gatekeeper: your Google Calendar connection stopped working",
        render("reconnect.txt", **values),
        render("reconnect.html", **values),
        to_name=name,
    )
