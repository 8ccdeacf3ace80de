"""The reconnect mail: who it goes to, the link, both parts, and escaping."""

from __future__ import annotations

from gatekeeper.config import Config
from gatekeeper.mail import reconnect_mail, reconnect_url


def test_reconnect_mail_names_the_account_and_links_to_sign_in(mail_config: Config) -> None:
    message = reconnect_mail(
        mail_config,
        email="ana@example.com",
        name="Ana Lima",
        reason="invalid_grant: Token has been expired or revoked.",
    )
    assert message["To"] == "Ana Lima <ana@example.com>"
    assert message["From"] == "Gatekeeper <gatekeeper@example.org>"
    assert "stopped working" in message["Subject"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    link = "https://gate.example.org/signin"
    assert reconnect_url(mail_config) == link
    for part in (text, html):
        assert link in part
        assert "ana@example.com" in part
        assert "Token has been expired or revoked." in part
    assert text.startswith("Hello Ana Lima,")


def test_reconnect_mail_escapes_html_but_not_text(mail_config: Config) -> None:
    message = reconnect_mail(
        mail_config, email="bob@example.com", reason="<script>alert(1)</script> & more"
    )
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; more" in html
    assert "<script>alert(1)</script> & more" in text
    assert text.startswith("Hello bob,")  # no display name: the address's local part
