"""A local OAuth 2.0 token endpoint for the sign-in tests: Google's authorization-code grant.

It hands out codes the way Google's consent page would (``issue_code``), checks the
exchange like Google does (client, redirect URI, one use per code, PKCE S256), answers
with a refresh token and an ID token, and passes refresh-token grants on to the Calendar
emulator, which then knows the new refresh token.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from emulator.google_calendar import Running


def b64url(data: bytes) -> str:
    """Return unpadded base64url, as JWTs and PKCE use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def id_token(claims: dict[str, Any]) -> str:
    """Return a JWT carrying ``claims`` (its signature is not checked by the client)."""
    header = {"alg": "RS256", "kid": "test-key", "typ": "JWT"}
    parts = [json.dumps(header).encode(), json.dumps(claims).encode(), b"signature"]
    return ".".join(b64url(part) for part in parts)


@dataclass
class Code:
    """An authorization code and what it was issued for."""

    email: str
    client_id: str
    redirect_uri: str
    challenge: str
    scopes: tuple[str, ...]
    claims: dict[str, Any]
    refresh_token: str | None


@dataclass
class OAuthServer:
    """The server's state: issued codes and every token request it answered."""

    url: str
    emulator: Running
    client_id: str
    client_secret: str
    codes: dict[str, Code] = field(default_factory=dict)
    exchanges: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def token_uri(self) -> str:
        """Return the value for GOOGLE_TOKEN_URI."""
        return self.url + "/token"

    @property
    def auth_uri(self) -> str:
        """Return the consent page's address (never fetched: tests play the browser)."""
        return self.url + "/o/oauth2/auth"

    def issue_code(
        self,
        email: str,
        consent_url: str,
        *,
        scopes: tuple[str, ...] | None = None,
        refresh: bool = True,
        **claims: Any,
    ) -> str:
        """Return the code Google would put on the redirect after consent at ``consent_url``.

        ``scopes`` are the ones granted (default: all asked for); ``claims`` override
        the ID token's (``aud``, ``email_verified`` ...).
        """
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(consent_url).query))
        asked = tuple(query["scope"].split())
        body = {
            "iss": "https://accounts.google.com",
            "aud": query["client_id"],
            "sub": hashlib.sha256(email.encode()).hexdigest()[:21],
            "email": email,
            "email_verified": True,
            "iat": int(time.time()),
            "exp": int(time.time()) + 3600,
            **claims,
        }
        code = "4/0A" + secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = Code(
                email=email,
                client_id=query["client_id"],
                redirect_uri=query["redirect_uri"],
                challenge=query.get("code_challenge", ""),
                scopes=scopes if scopes is not None else asked,
                claims=body,
                refresh_token="1//0e" + secrets.token_urlsafe(24) if refresh else None,
            )
        return code

    def exchange(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Answer an authorization-code grant as Google does."""
        with self.lock:
            self.exchanges.append({k: v for k, v in form.items() if k != "client_secret"})
            code = self.codes.pop(form.get("code", ""), None)
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        if code is None:
            return 400, {"error": "invalid_grant", "error_description": "Malformed auth code."}
        if form.get("redirect_uri") != code.redirect_uri:
            return 400, {"error": "redirect_uri_mismatch", "error_description": "Bad Request"}
        verifier = form.get("code_verifier", "")
        if (
            not code.challenge
            or b64url(hashlib.sha256(verifier.encode()).digest()) != code.challenge
        ):
            return 400, {"error": "invalid_grant", "error_description": "Missing code verifier."}
        answer: dict[str, Any] = {
            "access_token": "ya29.local-" + secrets.token_urlsafe(16),
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": " ".join(code.scopes),
            "id_token": id_token(code.claims),
        }
        if code.refresh_token:
            self.emulator.state.add_user(code.email, refresh_token=code.refresh_token)
            answer["refresh_token"] = code.refresh_token
        return 200, answer

    def refresh(self, raw: bytes) -> tuple[int, bytes]:
        """Pass a refresh-token grant on to the emulator's token endpoint."""
        request = urllib.request.Request(
            self.emulator.token_uri,
            data=raw,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read()


@contextmanager
def oauth_server(emulator: Running, client_id: str, client_secret: str) -> Iterator[OAuthServer]:
    """Run the token endpoint on 127.0.0.1 and a free port."""
    holder: list[OAuthServer] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            form = dict(urllib.parse.parse_qsl(raw.decode()))
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                # RFC 6749 2.3.1: client credentials may come as HTTP Basic instead.
                user, _, password = base64.b64decode(basic[6:]).decode().partition(":")
                form.setdefault("client_id", urllib.parse.unquote_plus(user))
                form.setdefault("client_secret", urllib.parse.unquote_plus(password))
            server = holder[0]
            if self.path != "/token":
                status, body = 404, b"{}"
            elif form.get("grant_type") == "authorization_code":
                status, data = server.exchange(form)
                body = json.dumps(data).encode()
            else:
                status, body = server.refresh(raw)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output clean."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(
        OAuthServer(f"http://127.0.0.1:{httpd.server_port}", emulator, client_id, client_secret)
    )
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield holder[0]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
