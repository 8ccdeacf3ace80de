"""Accounts and their settings on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import time

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gatekeeper.accounts.keyring import TokenKeyring
from gatekeeper.errors import ConfigError
from gatekeeper.store.accounts import (
    add_account,
    find_account,
    get_account,
    list_accounts,
    settings_for,
)
from gatekeeper.store.models import AccountSettings


def test_account_round_trip_with_encrypted_token(session: Session) -> None:
    cipher = TokenKeyring(Fernet.generate_key())
    account = add_account(
        session,
        " Ana@Example.COM ",
        provider="google",
        mode="enforce",
        display_name="Ana",
        timezone="Europe/Berlin",
        refresh_token_encrypted=cipher.encrypt("1//refresh-token"),
    )
    session.commit()
    session.expunge_all()
    found = find_account(session, "ANA@example.com")
    assert found is not None and found.id == account.id
    assert found.email == "ana@example.com" and found.mode == "enforce"
    assert found.status == "active" and found.created_at.tzinfo is not None
    assert found.refresh_token_encrypted is not None
    assert cipher.decrypt(found.refresh_token_encrypted) == "1//refresh-token"
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        TokenKeyring(Fernet.generate_key()).decrypt(found.refresh_token_encrypted)


def test_duplicate_and_invalid_accounts_are_refused(session: Session) -> None:
    add_account(session, "ana@example.com", provider="demo")
    with pytest.raises(ValueError, match="already exists"):
        add_account(session, "ANA@example.com", provider="demo")
    with pytest.raises(ValueError, match="provider must be one of"):
        add_account(session, "bob@example.com", provider="outlook")
    with pytest.raises(ValueError, match="not an e-mail address"):
        add_account(session, "bob", provider="demo")


def test_database_refuses_upper_case_and_unknown_modes(session: Session) -> None:
    insert = text(
        "INSERT INTO accounts (email, provider, mode, status, created_at, updated_at) "
        "VALUES (:email, 'demo', :mode, 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    with pytest.raises(IntegrityError):
        session.execute(insert, {"email": "Ana@example.com", "mode": "enforce"})
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(insert, {"email": "ana@example.com", "mode": "yolo"})
    session.rollback()


def test_settings_round_trip_and_cascade(session: Session) -> None:
    account = add_account(session, "ana@example.com", provider="demo")
    settings = settings_for(session, account.id)
    settings.hourly_rate = 95.5
    settings.working_days = ["mon", "tue", "wed"]
    settings.work_start, settings.work_end = time(8, 30), time(16, 0)
    settings.allow_list = ["ceo@example.com", "@board.example.com"]
    settings.rules_yaml = "settings:\n  currency: USD\n"
    session.commit()
    session.expunge_all()
    again = settings_for(session, account.id)
    assert again.hourly_rate == 95.5 and again.work_start == time(8, 30)
    assert again.working_days == ["mon", "tue", "wed"]
    assert again.allow_list == ["ceo@example.com", "@board.example.com"]
    stored = get_account(session, account.id)
    assert stored is not None
    session.delete(stored)
    session.commit()
    assert session.get(AccountSettings, account.id) is None
    with pytest.raises(LookupError):
        settings_for(session, account.id)


def test_list_accounts_filters(session: Session) -> None:
    add_account(session, "zed@example.com", provider="google")
    add_account(session, "amy@example.com", provider="demo")
    bob = add_account(session, "bob@example.com", provider="google")
    bob.status = "disconnected"
    session.commit()
    assert [a.email for a in list_accounts(session)] == [
        "amy@example.com",
        "bob@example.com",
        "zed@example.com",
    ]
    assert [a.email for a in list_accounts(session, provider="google", status="active")] == [
        "zed@example.com"
    ]
    with pytest.raises(ValueError):
        list_accounts(session, status="gone")
