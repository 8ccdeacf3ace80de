"""Connecting and disconnecting Google accounts, and re-encrypting their stored tokens."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, select, update

from gatekeeper.accounts.google import keyring_for
from gatekeeper.domain import Mode
from gatekeeper.errors import ConfigError
from gatekeeper.store.accounts import add_account, find_account, get_account, normalize_email
from gatekeeper.store.models import Account
from gatekeeper.store.types import utcnow

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.accounts.keyring import TokenKeyring

log = logging.getLogger(__name__)

MAIL_JOB = "gatekeeper.accounts.jobs.send_reconnect_mail_job"


@dataclass(frozen=True)
class Connected:
    """The outcome of connect_google."""

    account_id: int
    email: str
    mode: str
    created: bool  # a new account (else an existing one got a new grant)
    was_disconnected: bool  # the account had been disconnected and is active again


def connect_google(
    app: Flask,
    email: str,
    refresh_token: str,
    mode: Mode | str | None = None,
    *,
    display_name: str | None = None,
    timezone: str | None = None,
) -> Connected:
    """Store a Google grant (encrypted) for ``email``, creating or reactivating the account.

    ``mode`` None keeps an existing account's mode and gives a new one ``dry-run``, so a
    new person first sees in the decision log what Gatekeeper would do. Raises ValueError
    for a bad address, an empty token, or an address registered with another provider.
    """
    from gatekeeper import get_config, get_db

    address = normalize_email(email)
    token = refresh_token.strip()
    if not token:
        raise ValueError("the refresh token is empty")
    chosen = Mode(mode).value if mode is not None else None
    encrypted = keyring_for(get_config(app)).encrypt(token)
    with get_db(app).session() as session:
        account = find_account(session, address)
        if account is None:
            account = add_account(
                session,
                address,
                provider="google",
                mode=chosen or Mode.DRY_RUN.value,
                display_name=display_name,
                timezone=timezone,
                refresh_token_encrypted=encrypted,
            )
            created, was_disconnected = True, False
        elif account.provider != "google":
            raise ValueError(f"{address} is already registered as a {account.provider} account")
        else:
            created, was_disconnected = False, account.status != "active"
            account.refresh_token_encrypted = encrypted
            account.status = "active"
            if chosen is not None:
                account.mode = chosen
            if display_name:
                account.display_name = display_name
            if timezone:
                account.timezone = timezone
        session.flush()
        result = Connected(account.id, address, account.mode, created, was_disconnected)
    log.info(
        "Google account %s (id %d) %s, mode %s",
        address,
        result.account_id,
        "added" if created else ("reconnected" if was_disconnected else "given a new grant"),
        result.mode,
    )
    return result


def disconnect(app: Flask, account_id: int, reason: str, *, notify: bool = True) -> bool:
    """Mark the account disconnected, stop its channels, forget its grant, mail the person.

    Safe to call any number of times: only the call that moves the account from active
    to disconnected mails the person (``notify``) and returns True.
    """
    from gatekeeper import get_db
    from gatekeeper.channels.watch import stop_account_channels

    database = get_db(app)
    with database.session() as session:
        result = session.execute(
            update(Account)
            .where(Account.id == account_id, Account.status == "active")
            .values(status="disconnected", updated_at=utcnow())
        )
        # Only one caller can move the account out of "active": that one mails the person.
        changed = cast("CursorResult[Any]", result).rowcount == 1
        account = get_account(session, account_id)
        if account is None:
            raise LookupError(f"no account with id {account_id}")
        email = account.email
    if changed:
        log.warning("Google account %s (id %d) disconnected: %s", email, account_id, reason)
    # Stopping needs the grant, so it comes before the grant is forgotten.
    stop_account_channels(app, account_id)
    with database.session() as session:
        account = get_account(session, account_id)
        if account is not None and account.status == "disconnected":
            account.refresh_token_encrypted = None
    if changed and notify:
        _mail_reconnect(app, account_id, reason)
    return changed


def _mail_reconnect(app: Flask, account_id: int, reason: str) -> None:
    """Queue the reconnect mail (retried by the worker); inline, a failure is only logged."""
    from gatekeeper import get_queue
    from gatekeeper.errors import GatekeeperError

    queue = get_queue(app)
    try:
        # Inline, the job runs in this app's context (not one built from the environment).
        with app.app_context():
            queue.enqueue(MAIL_JOB, account_id, reason, job_id=f"reconnect-mail-{account_id}")
    except GatekeeperError as exc:
        log.error("account %d: the reconnect mail was not sent: %s", account_id, exc)
    except OSError as exc:
        log.error("account %d: the reconnect mail could not be queued: %s", account_id, exc)


@dataclass
class Rotation:
    """What rotate_tokens did."""

    rotated: list[str] = field(default_factory=list)  # addresses re-encrypted
    current: list[str] = field(default_factory=list)  # already under the newest key
    unreadable: list[str] = field(default_factory=list)  # no key of the ring opens them


def rotate_tokens(app: Flask, keyring: TokenKeyring | None = None) -> Rotation:
    """Re-encrypt every stored refresh token with the newest key of the ring.

    ``keyring`` defaults to the app's GATEKEEPER_ENCRYPTION_KEY.
    """
    from gatekeeper import get_config, get_db

    keyring = keyring or keyring_for(get_config(app))
    report = Rotation()
    with get_db(app).session() as session:
        accounts = session.scalars(
            select(Account)
            .where(Account.refresh_token_encrypted.is_not(None))
            .order_by(Account.email)
            .with_for_update()
        )
        for account in accounts:
            stored = account.refresh_token_encrypted
            assert stored is not None
            if keyring.is_current(stored):
                report.current.append(account.email)
                continue
            try:
                account.refresh_token_encrypted = keyring.rotate(stored)
            except ConfigError:
                report.unreadable.append(account.email)
                continue
            report.rotated.append(account.email)
    if report.rotated:
        log.info("re-encrypted %d stored token(s) with the newest key", len(report.rotated))
    return report
