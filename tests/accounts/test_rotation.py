"""Key rotation: every stored token moves to the newest key; unreadable ones are reported."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import update

from gatekeeper import get_db
from gatekeeper.accounts.keyring import TokenKeyring
from gatekeeper.accounts.service import connect_google, rotate_tokens
from gatekeeper.store.accounts import find_account
from gatekeeper.store.models import Account

pytest_plugins = ["emulator.pytest_plugin"]


def stored(app: Any, email: str) -> bytes:
    with get_db(app).session() as session:
        account = find_account(session, email)
        assert account is not None and account.refresh_token_encrypted is not None
        return account.refresh_token_encrypted


def test_rotation_re_encrypts_with_the_newest_key_and_is_idempotent(
    google_app: Any, app_env: dict[str, str]
) -> None:
    old = app_env["GATEKEEPER_ENCRYPTION_KEY"]
    connect_google(google_app, "ana@example.com", "token-ana")
    connect_google(google_app, "bob@example.com", "token-bob")
    new = Fernet.generate_key().decode()
    ring = TokenKeyring(f"{new},{old}")
    report = rotate_tokens(google_app, ring)
    assert (report.rotated, report.current, report.unreadable) == (
        ["ana@example.com", "bob@example.com"],
        [],
        [],
    )
    only_new = TokenKeyring(new)
    assert only_new.decrypt(stored(google_app, "ana@example.com")) == "token-ana"
    assert only_new.decrypt(stored(google_app, "bob@example.com")) == "token-bob"
    again = rotate_tokens(google_app, ring)
    assert (again.rotated, again.current) == ([], ["ana@example.com", "bob@example.com"])


def test_token_under_an_unknown_key_is_reported_and_left_alone(
    google_app: Any, app_env: dict[str, str]
) -> None:
    connect_google(google_app, "ana@example.com", "token-ana")
    connect_google(google_app, "bob@example.com", "token-bob")
    foreign = TokenKeyring(Fernet.generate_key()).encrypt("token-bob")
    with get_db(google_app).session() as session:
        session.execute(
            update(Account)
            .where(Account.email == "bob@example.com")
            .values(refresh_token_encrypted=foreign)
        )
    ring = TokenKeyring(f"{Fernet.generate_key().decode()},{app_env['GATEKEEPER_ENCRYPTION_KEY']}")
    report = rotate_tokens(google_app, ring)
    assert (report.rotated, report.unreadable) == (["ana@example.com"], ["bob@example.com"])
    assert stored(google_app, "bob@example.com") == foreign
