"""Outgoing mail: SMTP from SMTP_URL (or .eml files in the outbox), and the templates."""

from __future__ import annotations

from gatekeeper.mail.messages import compose, reconnect_mail, reconnect_url, render
from gatekeeper.mail.smtp import (
    Mailer,
    MailError,
    OutboxMailer,
    SmtpMailer,
    SmtpSettings,
    make_mailer,
)

__all__ = [
    "MailError",
    "Mailer",
    "OutboxMailer",
    "SmtpMailer",
    "SmtpSettings",
    "compose",
    "make_mailer",
    "reconnect_mail",
    "reconnect_url",
    "render",
]
