"""Build the Google Calendar adapter of one account from the settings and its stored token."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from gatekeeper.accounts.keyring import TokenKeyring
from gatekeeper.errors import AuthError, ConfigError

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.calendars.google import GoogleCalendar
    from gatekeeper.config import Config
    from gatekeeper.store.models import Account

# app.config key: a gatekeeper.calendars.google.RetryPolicy for every adapter the app builds
# (tests use one whose sleeps are recorded instead of waited).
RETRY_POLICY_KEY = "GOOGLE_RETRY_POLICY"

GOOGLE_OFF = (
    "Google features are off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET "
    "(an OAuth client of type 'Web application' from the Google Cloud console)"
)


@cache
def _keyring(keys: bytes) -> TokenKeyring:
    return TokenKeyring(keys)


def keyring_for(config: Config) -> TokenKeyring:
    """Return the key ring of GATEKEEPER_ENCRYPTION_KEY (or the instance's dev key)."""
    return _keyring(config.encryption_key)


def require_google(config: Config) -> None:
    """Raise ConfigError when no OAuth client is configured."""
    if not config.google_enabled:
        raise ConfigError(GOOGLE_OFF)


def calendar_for(app: Flask, account: Account) -> GoogleCalendar:
    """Return the adapter for ``account``'s primary calendar; AuthError without a token."""
    from gatekeeper import get_config
    from gatekeeper.accounts.tokens import token_cache_for
    from gatekeeper.calendars.google import GoogleCalendar

    config = get_config(app)
    require_google(config)
    if account.provider != "google":
        raise ValueError(f"account {account.email} is not a Google account")
    if account.refresh_token_encrypted is None:
        raise AuthError(
            f"Google account {account.email} has no stored grant; it must be reconnected"
        )
    refresh_token = keyring_for(config).decrypt(account.refresh_token_encrypted)
    assert config.google_client_id and config.google_client_secret  # require_google
    calendar = GoogleCalendar(
        account=account.email,
        refresh_token=refresh_token,
        client_id=config.google_client_id,
        client_secret=config.google_client_secret,
        api_base_url=config.google_api_base_url,
        token_uri=config.google_token_uri,
        retry=app.config.get(RETRY_POLICY_KEY),
    )
    # Every caller (sync, watch, renewal, focus blocks) reuses live access tokens.
    calendar.share_access_tokens(token_cache_for(app))
    return calendar
