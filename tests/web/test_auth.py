"""Sign-in with Google: consent URL, state and PKCE, code exchange, account, session, sign-out."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Blueprint

from emulator.google_calendar import Running
from emulator.testing import CLIENT_ID, CLIENT_SECRET, FakeTime, WebhookReceiver
from gatekeeper import get_config, get_db
from gatekeeper.accounts.google import RETRY_POLICY_KEY, keyring_for
from gatekeeper.accounts.oauth import signin_scopes
from gatekeeper.store.accounts import find_account
from gatekeeper.store.channels import active_channels
from gatekeeper.web.auth import AUTH_URI_KEY, current_account_id, login_required
from tests.accounts.support import retry_policy
from tests.web.oauth_server import OAuthServer, oauth_server

pytest_plugins = ["emulator.pytest_plugin"]

CALENDAR_EVENTS = "https://www.googleapis.com/auth/calendar.events"


@pytest.fixture
def oauth(google_emulator: Running) -> Iterator[OAuthServer]:
    """Run the local authorization-code token endpoint in front of the emulator."""
    with oauth_server(google_emulator, CLIENT_ID, CLIENT_SECRET) as server:
        yield server


@pytest.fixture
def google_app(
    app_env: dict[str, str],
    oauth: OAuthServer,
    google_emulator: Running,
    webhook_receiver: WebhookReceiver,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Any]:
    """Return an app with Google on: consent page and token endpoint local, API the emulator."""
    from gatekeeper import create_app, get_queue

    # The app allows plain HTTP to a loopback token endpoint; undo that after the test.
    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
    app = create_app(
        {
            **app_env,
            "GOOGLE_CLIENT_ID": CLIENT_ID,
            "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
            "GOOGLE_API_BASE_URL": google_emulator.api_base_url,
            "GOOGLE_TOKEN_URI": oauth.token_uri,
            "PUBLIC_BASE_URL": webhook_receiver.url.removesuffix("/webhooks/google"),
            "TESTING": True,
            AUTH_URI_KEY: oauth.auth_uri,
            RETRY_POLICY_KEY: retry_policy(fake_time),
        }
    )
    private = Blueprint("private_for_tests", __name__)

    @private.get("/private")
    @login_required
    def secret_page() -> str:
        return f"account {current_account_id()}"

    app.register_blueprint(private)
    yield app
    get_db(app).dispose()
    get_queue(app).close()


def consent(client: Any, next_page: str | None = None) -> tuple[str, dict[str, str]]:
    """Start the sign-in; return the consent URL and its query."""
    answer = client.get(
        "/auth/google" + (f"?next={urllib.parse.quote(next_page)}" if next_page else "")
    )
    assert answer.status_code == 302
    url = answer.headers["Location"]
    return url, dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def come_back(client: Any, **params: str) -> Any:
    return client.get("/auth/google/callback?" + urllib.parse.urlencode(params))


def test_consent_url_asks_for_offline_access_minimal_scopes_and_pkce(
    google_app: Any, oauth: OAuthServer
) -> None:
    client = google_app.test_client()
    url, query = consent(client)
    assert url.startswith(oauth.auth_uri + "?")
    base = get_config(google_app).public_base_url
    assert query["redirect_uri"] == base + "/auth/google/callback"
    assert (query["response_type"], query["client_id"]) == ("code", CLIENT_ID)
    assert (query["access_type"], query["prompt"]) == ("offline", "consent")
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20
    assert (
        set(query["scope"].split())
        == set(signin_scopes())
        == {
            "openid",
            "https://www.googleapis.com/auth/userinfo.email",
            CALENDAR_EVENTS,
            "https://www.googleapis.com/auth/calendar.freebusy",
        }
    )
    with client.session_transaction() as session:
        assert session["oauth_state"] == query["state"]
        assert len(session["oauth_code_verifier"]) >= 43


def test_full_sign_in_stores_the_grant_watches_and_signs_in(
    google_app: Any, oauth: OAuthServer, google_emulator: Running
) -> None:
    client = google_app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before sign-in"
    url, query = consent(client, "/private")
    code = oauth.issue_code("Ana@Example.com", url)
    answer = come_back(client, state=query["state"], code=code, scope=query["scope"])
    assert answer.status_code == 302 and answer.headers["Location"] == "/private"
    with get_db(google_app).session() as db:
        account = find_account(db, "ana@example.com")
        assert account is not None
        assert (account.provider, account.mode, account.status) == ("google", "dry-run", "active")
        refresh = keyring_for(get_config(google_app)).decrypt(account.refresh_token_encrypted)
        assert (
            refresh.startswith("1//0e") and refresh.encode() not in account.refresh_token_encrypted
        )
        assert len(active_channels(db, account.id)) == 1
        account_id = account.id
    [exchange] = oauth.exchanges
    assert exchange["grant_type"] == "authorization_code" and exchange["code_verifier"]
    assert google_emulator.state.notifier.channels  # watched with the new grant
    with client.session_transaction() as session:
        assert session["account_id"] == account_id and "planted" not in session
        assert "oauth_state" not in session and "oauth_code_verifier" not in session
    assert client.get("/private").get_data(as_text=True) == f"account {account_id}"


def test_callback_with_another_state_is_refused_before_any_exchange(
    google_app: Any, oauth: OAuthServer
) -> None:
    client = google_app.test_client()
    url, _ = consent(client)
    code = oauth.issue_code("ana@example.com", url)
    answer = come_back(client, state="forged-state", code=code)
    assert answer.status_code == 400
    assert "not started from this browser" in answer.get_data(as_text=True)
    assert oauth.exchanges == []
    # The state is single-use: even the right one no longer works afterwards.
    assert come_back(client, state="x", code=code).status_code == 400


def test_state_with_non_ascii_characters_is_refused_not_a_crash(
    google_app: Any, oauth: OAuthServer
) -> None:
    client = google_app.test_client()
    consent(client)
    assert come_back(client, state="état-forgé", code="4/0Aabc").status_code == 400
    assert oauth.exchanges == []


def test_callback_without_a_started_sign_in_is_refused(google_app: Any, oauth: OAuthServer) -> None:
    answer = come_back(google_app.test_client(), state="anything", code="4/0Aabc")
    assert answer.status_code == 400
    assert oauth.exchanges == []


def test_code_bound_to_another_verifier_is_refused_by_pkce(
    google_app: Any, oauth: OAuthServer
) -> None:
    client = google_app.test_client()
    url, query = consent(client)
    stolen = url.replace(query["code_challenge"], "A" * 43)  # a code made for another browser
    answer = come_back(
        client, state=query["state"], code=oauth.issue_code("ana@example.com", stolen)
    )
    assert answer.status_code == 400
    assert "Google refused the sign-in (invalid_grant)" in answer.get_data(as_text=True)
    with get_db(google_app).session() as db:
        assert find_account(db, "ana@example.com") is None


def test_declined_consent_connects_nothing(google_app: Any, oauth: OAuthServer) -> None:
    client = google_app.test_client()
    _, query = consent(client)
    answer = come_back(client, state=query["state"], error="access_denied")
    assert answer.status_code == 200
    assert "You did not allow access" in answer.get_data(as_text=True)
    assert oauth.exchanges == []


@pytest.mark.parametrize(
    ("issue", "message"),
    [
        (
            {"scopes": ("openid", "https://www.googleapis.com/auth/userinfo.email")},
            "needs access to your calendar events",
        ),
        ({"aud": "someone-else.apps.googleusercontent.com"}, "issued to another application"),
        ({"iss": "https://evil.example.com"}, "not issued by Google"),
        ({"email_verified": False}, "the e-mail address is not verified"),
        ({"exp": 1_000_000_000}, "expired"),
        ({"refresh": False}, "Google sent no refresh token"),
    ],
)
def test_unusable_grants_are_refused_with_a_reason(
    google_app: Any, oauth: OAuthServer, issue: dict[str, Any], message: str
) -> None:
    client = google_app.test_client()
    url, query = consent(client)
    code = oauth.issue_code("ana@example.com", url, **issue)
    answer = come_back(client, state=query["state"], code=code)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    with get_db(google_app).session() as db:
        assert find_account(db, "ana@example.com") is None
    with client.session_transaction() as session:
        assert "account_id" not in session


def test_next_is_kept_only_for_pages_of_this_site(google_app: Any, oauth: OAuthServer) -> None:
    client = google_app.test_client()
    url, query = consent(client, "//evil.example.com/steal")
    answer = come_back(client, state=query["state"], code=oauth.issue_code("ana@example.com", url))
    assert answer.headers["Location"] == "/"


def test_protected_page_sends_visitors_to_sign_in(google_app: Any) -> None:
    answer = google_app.test_client().get("/private?x=1")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/signin?next=/private?x%3D1"


def test_sign_in_page_then_sign_out_with_csrf(google_app: Any, oauth: OAuthServer) -> None:
    client = google_app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    assert "Sign in with Google" in page and "/auth/google" in page
    url, query = consent(client)
    come_back(client, state=query["state"], code=oauth.issue_code("ana@example.com", url))
    page = client.get("/signin").get_data(as_text=True)
    assert "signed in as <strong>ana@example.com</strong>" in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/signout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/private").status_code == 200  # still signed in
    assert client.post("/signout", data={"csrf_token": token}).status_code == 302
    assert client.get("/private").status_code == 302


def test_google_off_says_so_and_how_to_turn_it_on(client: Any) -> None:
    page = client.get("/signin").get_data(as_text=True)
    assert "Google features are off" in page
    assert "GOOGLE_CLIENT_ID" in page and "GOOGLE_CLIENT_SECRET" in page
    assert "/auth/google/callback" in page  # the redirect URI to register
    start = client.get("/auth/google")
    assert start.status_code == 503
    assert "Google sign-in is off" in start.get_data(as_text=True)
