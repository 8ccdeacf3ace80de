"""Queries on accounts and their settings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gatekeeper.domain import Mode
from gatekeeper.store.models import PROVIDERS, STATUSES, Account, AccountSettings


def normalize_email(email: str) -> str:
    """Return the address as stored: trimmed and lower-case."""
    cleaned = email.strip().lower()
    if "@" not in cleaned or cleaned.startswith("@") or cleaned.endswith("@"):
        raise ValueError(f"not an e-mail address: {email!r}")
    return cleaned


def add_account(
    session: Session,
    email: str,
    *,
    provider: str,
    mode: Mode | str = Mode.DRY_RUN,
    display_name: str | None = None,
    timezone: str | None = None,
    refresh_token_encrypted: bytes | None = None,
) -> Account:
    """Create an account (with empty settings); raise ValueError if the address is taken."""
    if provider not in PROVIDERS:
        raise ValueError(f"provider must be one of {', '.join(PROVIDERS)}, got {provider!r}")
    address = normalize_email(email)
    if find_account(session, address) is not None:
        raise ValueError(f"an account for {address} already exists")
    account = Account(
        email=address,
        provider=provider,
        mode=Mode(mode).value,
        status="active",
        display_name=display_name,
        timezone=timezone,
        refresh_token_encrypted=refresh_token_encrypted,
    )
    account.settings = AccountSettings(allow_list=[])
    session.add(account)
    session.flush()
    return account


def find_account(session: Session, email: str) -> Account | None:
    """Return the account for an address (any case), if any."""
    return session.scalars(select(Account).where(Account.email == email.strip().lower())).first()


def get_account(session: Session, account_id: int) -> Account | None:
    """Return the account with this id, if any."""
    return session.get(Account, account_id)


def list_accounts(
    session: Session, *, provider: str | None = None, status: str | None = None
) -> list[Account]:
    """Return accounts ordered by address, optionally only one provider or status."""
    query = select(Account).order_by(Account.email)
    if provider is not None:
        query = query.where(Account.provider == provider)
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        query = query.where(Account.status == status)
    return list(session.scalars(query))


def settings_for(session: Session, account_id: int) -> AccountSettings:
    """Return the account's settings row, creating an empty one when missing."""
    settings = session.get(AccountSettings, account_id)
    if settings is None:
        if session.get(Account, account_id) is None:
            raise LookupError(f"no account with id {account_id}")
        settings = AccountSettings(account_id=account_id, allow_list=[])
        session.add(settings)
        session.flush()
    return settings
