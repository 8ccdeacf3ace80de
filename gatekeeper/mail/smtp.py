"""Where mail goes: an SMTP server from SMTP_URL, or .eml files in the outbox directory."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from gatekeeper.config import Config, mask_url
from gatekeeper.errors import ConfigError, GatekeeperError

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_OPTIONS = ("starttls", "timeout")


class MailError(GatekeeperError):
    """A message could not be handed to the mail server (or written to the outbox)."""


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server named by SMTP_URL."""

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False  # smtps://: TLS from the first byte
    starttls: bool = False  # smtp://...?starttls=1: upgrade after EHLO
    timeout: float = 10.0

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """Parse ``smtp://user:pass@host:port`` (``smtps://``, ``?starttls=1``, ``&timeout=5``)."""
        shown = mask_url(url)
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError as exc:
            raise ConfigError(f"SMTP_URL {shown!r}: {exc}") from None
        if parts.scheme not in ("smtp", "smtps"):
            raise ConfigError(f"SMTP_URL {shown!r}: must start with smtp:// or smtps://")
        if not host:
            raise ConfigError(f"SMTP_URL {shown!r}: no host (e.g. smtp://mail.example.com:587)")
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = sorted(set(query) - set(_OPTIONS))
        if unknown:
            raise ConfigError(
                f"SMTP_URL {shown!r}: unknown option {unknown[0]!r} (known: {', '.join(_OPTIONS)})"
            )
        starttls = _flag(query.get("starttls", [""])[-1], shown)
        implicit = parts.scheme == "smtps"
        if implicit and starttls:
            raise ConfigError(f"SMTP_URL {shown!r}: smtps:// already uses TLS; drop ?starttls")
        timeout = _seconds(query.get("timeout", ["10"])[-1], shown)
        default_port = 465 if implicit else (587 if starttls else 25)
        return cls(
            host=host,
            port=port or default_port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            implicit_tls=implicit,
            starttls=starttls,
            timeout=timeout,
        )


def _flag(raw: str, shown: str | None) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"SMTP_URL {shown!r}: starttls must be 1 or 0, got {raw!r}")


def _seconds(raw: str, shown: str | None) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 300:
        raise ConfigError(f"SMTP_URL {shown!r}: timeout must be 1-300 seconds, got {raw!r}")
    return value


class Mailer(ABC):
    """Sends finished messages somewhere."""

    @abstractmethod
    def send(self, message: EmailMessage) -> str:
        """Send ``message``; return where it went (for the log)."""


class SmtpMailer(Mailer):
    """Hands each message to an SMTP server (one connection per message)."""

    def __init__(self, settings: SmtpSettings, *, tls_context: ssl.SSLContext | None = None):
        self.settings = settings
        self.tls_context = tls_context or ssl.create_default_context()

    def __repr__(self) -> str:
        return f"SmtpMailer({self.settings.host}:{self.settings.port})"

    def send(self, message: EmailMessage) -> str:
        """Deliver over SMTP; raise MailError saying which server refused and why."""
        s = self.settings
        where = f"SMTP server {s.host}:{s.port}"
        try:
            client: smtplib.SMTP
            if s.implicit_tls:
                client = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=self.tls_context
                )
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            with client:
                client.ehlo()
                if s.starttls:
                    client.starttls(context=self.tls_context)
                    client.ehlo()
                if s.username:
                    client.login(s.username, s.password or "")
                refused = client.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"{where} refused the login of {s.username!r} (SMTP {exc.smtp_code})"
            ) from None
        except smtplib.SMTPException as exc:
            raise MailError(f"{where}: {exc}") from None
        except OSError as exc:
            raise MailError(f"{where} cannot be reached: {exc}") from None
        if refused:
            raise MailError(f"{where} refused recipients: {', '.join(sorted(refused))}")
        return where


class OutboxMailer(Mailer):
    """Writes each message as an .eml file (when SMTP_URL is unset)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __repr__(self) -> str:
        return f"OutboxMailer({str(self.directory)!r})"

    def send(self, message: EmailMessage) -> str:
        """Write the message to ``<outbox>/<time>-<id>.eml`` atomically; return the path."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"{_file_stamp()}-{uuid.uuid4().hex[:12]}.eml"
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
            target = self.directory / name
            os.replace(temporary, target)
        except OSError as exc:
            raise MailError(f"cannot write mail to {self.directory}: {exc}") from None
        return str(target)


def _file_stamp() -> str:
    # Sortable by time, so the newest mail is the last file.
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def make_mailer(config: Config) -> Mailer:
    """Return the SMTP mailer when SMTP_URL is set, else the outbox mailer."""
    if config.smtp_url:
        return SmtpMailer(SmtpSettings.from_url(config.smtp_url))
    return OutboxMailer(config.outbox_path)
