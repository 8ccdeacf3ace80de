"""Mail through a real SMTP server (plain, STARTTLS + login, SMTPS), and to the outbox."""

from __future__ import annotations

import dataclasses
import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from gatekeeper.config import Config
from gatekeeper.errors import ConfigError
from gatekeeper.mail import (
    MailError,
    OutboxMailer,
    SmtpMailer,
    SmtpSettings,
    compose,
    make_mailer,
)
from tests.mail.conftest import Certificate
from tests.mail.smtp_server import RunningSmtp


def with_smtp(config: Config, url: str) -> Config:
    return dataclasses.replace(config, smtp_url=url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.com", ("mail.example.com", 25, None, None, False, False)),
        ("smtp://mail.example.com?starttls=1", ("mail.example.com", 587, None, None, False, True)),
        ("smtps://u:p@mail.example.com", ("mail.example.com", 465, "u", "p", True, False)),
        (
            "smtp://gate%40example.com:p%40ss%3Aw%2Frd@10.0.0.5:2525?starttls=true",
            ("10.0.0.5", 2525, "gate@example.com", "p@ss:w/rd", False, True),
        ),
    ],
)
def test_smtp_url_is_parsed(url: str, expected: tuple[object, ...]) -> None:
    s = SmtpSettings.from_url(url)
    assert (s.host, s.port, s.username, s.password, s.implicit_tls, s.starttls) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.com", "must start with smtp:// or smtps://"),
        ("smtp://:25", "no host"),
        ("smtp://mail.example.com?starttl=1", "unknown option 'starttl'"),
        ("smtp://mail.example.com?starttls=maybe", "starttls must be 1 or 0"),
        ("smtps://mail.example.com?starttls=1", "smtps:// already uses TLS"),
        ("smtp://mail.example.com?timeout=0", "timeout must be 1-300 seconds"),
    ],
)
def test_bad_smtp_url_says_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SmtpSettings.from_url(url)


def test_password_never_in_errors_or_repr() -> None:
    with pytest.raises(ConfigError) as caught:
        SmtpSettings.from_url("smtp://user:hunter2@mail.example.com?bogus=1")
    assert "hunter2" not in str(caught.value)
    assert "hunter2" not in repr(SmtpSettings.from_url("smtp://user:hunter2@mail.example.com"))


def test_plain_smtp_delivers_text_and_html(mail_config: Config, smtp_server: RunningSmtp) -> None:
    config = with_smtp(mail_config, f"smtp://127.0.0.1:{smtp_server.port}")
    message = compose(
        config, "ana@example.com", "Hello", "plain body ✓", "<p>html body</p>", to_name="Ana"
    )
    where = make_mailer(config).send(message)
    assert where == f"SMTP server 127.0.0.1:{smtp_server.port}"
    [got] = smtp_server.state.wait_for(1)
    assert got.mail_from == "gatekeeper@example.org"
    assert got.rcpt_to == ("ana@example.com",)
    assert (got.user, got.tls) == (None, False)
    parsed = got.message
    assert parsed["To"] == "Ana <ana@example.com>"
    assert parsed["Message-ID"].endswith("@example.org>")
    assert parsed.get_body(("plain",)).get_content().strip() == "plain body ✓"  # type: ignore[union-attr]
    assert "<p>html body</p>" in parsed.get_body(("html",)).get_content()  # type: ignore[union-attr]


def test_starttls_with_login(
    mail_config: Config, starttls_server: RunningSmtp, certificate: Certificate
) -> None:
    url = f"smtp://gate%40example.com:p%40ss%3Aw%2Frd@127.0.0.1:{starttls_server.port}?starttls=1"
    mailer = SmtpMailer(SmtpSettings.from_url(url), tls_context=certificate.client_context())
    mailer.send(compose(mail_config, "ana@example.com", "Hi", "over TLS"))
    [got] = starttls_server.state.wait_for(1)
    assert (got.user, got.tls) == ("gate@example.com", True)


def test_smtps_with_login(
    mail_config: Config, smtps_server: RunningSmtp, certificate: Certificate
) -> None:
    url = f"smtps://gate:secret@127.0.0.1:{smtps_server.port}"
    mailer = SmtpMailer(SmtpSettings.from_url(url), tls_context=certificate.client_context())
    mailer.send(compose(mail_config, "ana@example.com", "Hi", "implicit TLS"))
    [got] = smtps_server.state.wait_for(1)
    assert (got.user, got.tls) == ("gate", True)


def test_starttls_refuses_an_untrusted_certificate(
    mail_config: Config, starttls_server: RunningSmtp
) -> None:
    # The default context trusts the system's CAs only, not the test's self-signed one.
    url = f"smtp://gate%40example.com:x@127.0.0.1:{starttls_server.port}?starttls=1"
    with pytest.raises(MailError, match=r"cannot be reached|certificate"):
        make_mailer(with_smtp(mail_config, url)).send(
            compose(mail_config, "ana@example.com", "Hi", "x")
        )
    assert starttls_server.received == []


def test_wrong_password_is_a_mail_error_without_the_password(
    mail_config: Config, starttls_server: RunningSmtp, certificate: Certificate
) -> None:
    url = f"smtp://gate%40example.com:wrong-pw@127.0.0.1:{starttls_server.port}?starttls=1"
    mailer = SmtpMailer(SmtpSettings.from_url(url), tls_context=certificate.client_context())
    with pytest.raises(
        MailError, match=re.escape("refused the login of 'gate@example.com'")
    ) as caught:
        mailer.send(compose(mail_config, "ana@example.com", "Hi", "x"))
    assert "wrong-pw" not in str(caught.value)
    assert starttls_server.received == []


def test_refused_recipient_is_a_mail_error(mail_config: Config, smtp_server: RunningSmtp) -> None:
    smtp_server.state.refuse.add("ghost@example.com")
    config = with_smtp(mail_config, f"smtp://127.0.0.1:{smtp_server.port}")
    with pytest.raises(MailError, match=re.escape("ghost@example.com")):
        make_mailer(config).send(compose(config, "ghost@example.com", "Hi", "x"))


def test_unreachable_server_is_a_mail_error(mail_config: Config, unused_port: int) -> None:
    config = with_smtp(mail_config, f"smtp://127.0.0.1:{unused_port}?timeout=2")
    with pytest.raises(MailError, match=f"127.0.0.1:{unused_port} cannot be reached"):
        make_mailer(config).send(compose(config, "ana@example.com", "Hi", "x"))


def test_without_smtp_url_mail_is_written_to_the_outbox(mail_config: Config) -> None:
    mailer = make_mailer(mail_config)
    assert isinstance(mailer, OutboxMailer)
    first = Path(mailer.send(compose(mail_config, "ana@example.com", "One", "first")))
    second = Path(mailer.send(compose(mail_config, "bob@example.com", "Two", "second")))
    assert first.parent == second.parent == mail_config.outbox_path
    assert sorted(p.name for p in mail_config.outbox_path.iterdir()) == [first.name, second.name]
    parsed = message_from_bytes(second.read_bytes(), policy=policy.default)
    assert parsed["To"] == "bob@example.com" and parsed["Subject"] == "Two"


def test_outbox_that_cannot_be_written_is_a_mail_error(mail_config: Config, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(MailError, match="cannot write mail to"):
        OutboxMailer(blocker / "outbox").send(compose(mail_config, "a@example.com", "S", "x"))
