"""connect_google: accounts created or updated, tokens only ever stored encrypted."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from gatekeeper import get_config, get_db
from gatekeeper.accounts.google import calendar_for, keyring_for
from gatekeeper.accounts.service import connect_google
from gatekeeper.store.accounts import add_account, get_account

pytest_plugins = ["emulator.pytest_plugin"]

TOKEN = "1//0g-very-secret-refresh-token"


def stored_token_bytes(app: Any, email: str) -> bytes:
    with get_db(app).engine.connect() as connection:
        value = connection.execute(
            text("SELECT refresh_token_encrypted FROM accounts WHERE email = :e"), {"e": email}
        ).scalar_one()
    return bytes(value)


def test_new_account_is_google_dry_run_with_an_encrypted_token(google_app: Any) -> None:
    connected = connect_google(google_app, " Ana@Example.com ", TOKEN)
    assert (connected.email, connected.mode, connected.created) == (
        "ana@example.com",
        "dry-run",
        True,
    )
    raw = stored_token_bytes(google_app, "ana@example.com")
    assert TOKEN.encode() not in raw
    assert keyring_for(get_config(google_app)).decrypt(raw) == TOKEN
    with get_db(google_app).session() as session:
        account = get_account(session, connected.account_id)
        assert account is not None
        assert (account.provider, account.status) == ("google", "active")


def test_connecting_again_replaces_the_token_and_keeps_the_mode(google_app: Any) -> None:
    first = connect_google(google_app, "ana@example.com", TOKEN, "enforce")
    again = connect_google(google_app, "ana@example.com", "1//new-token")
    assert again.account_id == first.account_id
    assert (again.created, again.mode) == (False, "enforce")
    raw = stored_token_bytes(google_app, "ana@example.com")
    assert keyring_for(get_config(google_app)).decrypt(raw) == "1//new-token"
    assert connect_google(google_app, "ana@example.com", TOKEN, "flag").mode == "flag"


def test_reconnecting_a_disconnected_account_activates_it(google_app: Any) -> None:
    first = connect_google(google_app, "ana@example.com", TOKEN)
    with get_db(google_app).session() as session:
        account = get_account(session, first.account_id)
        assert account is not None
        account.status = "disconnected"
        account.refresh_token_encrypted = None
    again = connect_google(google_app, "ana@example.com", TOKEN)
    assert again.was_disconnected
    with get_db(google_app).session() as session:
        account = get_account(session, first.account_id)
        assert account is not None and account.status == "active"


@pytest.mark.parametrize(
    ("email", "token", "message"),
    [
        ("not-an-address", TOKEN, "not an e-mail address"),
        ("ana@example.com", "   ", "the refresh token is empty"),
    ],
)
def test_bad_input_is_refused(google_app: Any, email: str, token: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        connect_google(google_app, email, token)


def test_address_of_another_provider_is_refused(google_app: Any) -> None:
    with get_db(google_app).session() as session:
        add_account(session, "demo@example.com", provider="demo")
    with pytest.raises(ValueError, match="already registered as a demo account"):
        connect_google(google_app, "demo@example.com", TOKEN)


def test_token_never_appears_in_logs(
    google_app: Any, connect: Callable[..., int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    connect_google(google_app, "ana@example.com", TOKEN)
    account_id = connect("bob@example.com")
    with get_db(google_app).session() as session:
        account = get_account(session, account_id)
        assert account is not None
        calendar = calendar_for(google_app, account)
    calendar.time_zone()  # a token refresh and a call, with debug logging on
    assert "ana@example.com" in caplog.text
    assert TOKEN not in caplog.text
    assert "refresh-bob" not in caplog.text
    assert "refresh-bob" not in repr(calendar)
