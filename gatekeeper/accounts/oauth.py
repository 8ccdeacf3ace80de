"""The OAuth 2.0 web flow with Google (google-auth-oauthlib): consent URL, then code exchange.

Scopes are the adapter's (read and answer events, push channels; read free/busy for
alternative slots) plus ``openid`` and the e-mail address, which tell which account
signed in. ``access_type=offline`` and ``prompt=consent`` make Google hand out a refresh
token every time; PKCE (S256) binds the code to this browser session.

The ID token comes straight from Google's token endpoint over TLS, so its claims are
checked (audience, issuer, expiry, verified address) without fetching Google's keys, as
OpenID Connect Core 3.1.3.7 allows for tokens received that way.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from gatekeeper.config import Config
from gatekeeper.errors import GatekeeperError

log = logging.getLogger(__name__)

GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
OPENID_SCOPES = ("openid", "https://www.googleapis.com/auth/userinfo.email")
ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
CLOCK_SKEW = 300  # seconds of clock difference tolerated on the ID token's expiry
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class SignInError(GatekeeperError):
    """The sign-in cannot complete; the message is meant for the person signing in."""


def calendar_scopes() -> tuple[str, ...]:
    """Return the Calendar scopes the adapter refreshes its tokens with."""
    from gatekeeper.calendars.google import SCOPES

    return tuple(SCOPES)


def signin_scopes() -> tuple[str, ...]:
    """Return every scope the consent screen asks for."""
    return (*OPENID_SCOPES, *calendar_scopes())


@dataclass(frozen=True)
class AuthRequest:
    """Where to send the browser, and what to keep in the session until it comes back."""

    url: str
    state: str
    code_verifier: str = field(repr=False)


@dataclass(frozen=True)
class Grant:
    """What the code exchange gave: who signed in, and the refresh token."""

    email: str
    refresh_token: str = field(repr=False)
    scopes: frozenset[str] = frozenset()
    name: str | None = None


def _flow(
    config: Config,
    auth_uri: str,
    redirect_uri: str,
    *,
    state: str | None = None,
    code_verifier: str | None = None,
) -> Any:
    from google_auth_oauthlib.flow import Flow

    if not config.google_enabled:
        raise SignInError(
            "Google sign-in is off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET and restart"
        )
    client = {
        "web": {
            "client_id": config.google_client_id,
            "client_secret": config.google_client_secret,
            "auth_uri": auth_uri,
            "token_uri": config.google_token_uri,
            "redirect_uris": [redirect_uri],
        }
    }
    return Flow.from_client_config(
        client,
        scopes=list(signin_scopes()),
        redirect_uri=redirect_uri,
        state=state,
        code_verifier=code_verifier,
        autogenerate_code_verifier=code_verifier is None,
    )


def start(config: Config, *, auth_uri: str, redirect_uri: str) -> AuthRequest:
    """Return the consent URL (offline access, consent prompt, PKCE S256) and its secrets."""
    flow = _flow(config, auth_uri, redirect_uri)
    _allow_plain_http_on_loopback(auth_uri)
    url, state = flow.authorization_url(
        access_type="offline", prompt="consent", include_granted_scopes="false"
    )
    return AuthRequest(url=url, state=state, code_verifier=flow.code_verifier)


def finish(
    config: Config,
    *,
    auth_uri: str,
    redirect_uri: str,
    state: str,
    code_verifier: str,
    code: str,
) -> Grant:
    """Exchange the authorization code; return the grant or raise SignInError."""
    from oauthlib.oauth2 import OAuth2Error  # type: ignore[import-untyped]
    from requests import RequestException

    flow = _flow(config, auth_uri, redirect_uri, state=state, code_verifier=code_verifier)
    _allow_plain_http_on_loopback(config.google_token_uri)
    try:
        flow.fetch_token(code=code)
        token: Mapping[str, Any] = flow.oauth2session.token
    except Warning as changed:
        # oauthlib raises when Google grants other scopes than asked (unticked boxes).
        token = getattr(changed, "token", None) or {}
    except OAuth2Error as exc:
        log.info("Google refused the code exchange: %s", exc.error)
        raise SignInError(f"Google refused the sign-in ({exc.error}); please start again") from None
    except RequestException as exc:
        log.warning("token endpoint %s unreachable: %s", config.google_token_uri, exc)
        raise SignInError("Google could not be reached; please try again in a moment") from None
    granted = frozenset(_scopes(token.get("scope")))
    missing = [s for s in calendar_scopes() if s not in granted]
    if granted and missing:
        raise SignInError(
            "Gatekeeper needs access to your calendar events to screen invites; please sign "
            "in again and leave every permission ticked"
        )
    claims = _id_claims(token.get("id_token"), str(config.google_client_id))
    refresh_token = token.get("refresh_token")
    if not refresh_token:
        raise SignInError(
            "Google sent no refresh token; remove Gatekeeper at "
            "https://myaccount.google.com/permissions and sign in again"
        )
    return Grant(
        email=str(claims["email"]).strip().lower(),
        refresh_token=str(refresh_token),
        scopes=granted,
        name=str(claims["name"]) if claims.get("name") else None,
    )


def _scopes(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    return []


def _id_claims(id_token: Any, client_id: str) -> Mapping[str, Any]:
    """Return the ID token's claims after checking audience, issuer, expiry and address."""
    from google.auth import jwt

    if not id_token:
        raise SignInError("Google did not say which account signed in; please start again")
    try:
        claims: Mapping[str, Any] = jwt.decode(str(id_token), verify=False)  # type: ignore[no-untyped-call]
    except ValueError:
        raise SignInError("Google's answer was unreadable; please start again") from None
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    problems = []
    if client_id not in audiences:
        problems.append("issued to another application")
    if claims.get("iss") not in ISSUERS:
        problems.append("not issued by Google")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] + CLOCK_SKEW < time.time():
        problems.append("expired")
    if not claims.get("email"):
        problems.append("no e-mail address")
    elif claims.get("email_verified") not in (True, "true"):
        problems.append("the e-mail address is not verified")
    if problems:
        log.warning("ID token refused: %s", ", ".join(problems))
        raise SignInError("the sign-in could not be verified (" + ", ".join(problems) + ")")
    return claims


def _allow_plain_http_on_loopback(uri: str) -> None:
    """Let oauthlib use plain HTTP for an endpoint on this machine (an emulator).

    oauthlib insists on HTTPS unless OAUTHLIB_INSECURE_TRANSPORT is set; traffic to the
    loopback interface never leaves the machine, so nothing is exposed by allowing it.
    """
    parts = urlsplit(uri)
    if parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK:
        os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
