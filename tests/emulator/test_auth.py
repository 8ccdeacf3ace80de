"""The token endpoint and bearer tokens."""

from __future__ import annotations

from collections.abc import Callable

from emulator.google_calendar import Running
from emulator.testing import Api, send

pytest_plugins = ["emulator.pytest_plugin"]


def test_refresh_token_grants_an_access_token_that_reads_the_calendar(
    google_emulator: Running, google_user: Callable[..., str]
) -> None:
    refresh = google_user("ann@example.com")
    answer = send(
        google_emulator.token_uri,
        "POST",
        form={"grant_type": "refresh_token", "refresh_token": refresh, "scope": "a b"},
    )
    assert answer.status == 200
    assert answer.body["token_type"] == "Bearer"
    assert answer.body["expires_in"] == 3600
    assert answer.body["scope"] == "a b"
    listed = Api(google_emulator.calendar_api, answer.body["access_token"])(
        "GET", "/calendars/primary/events"
    )
    assert listed.status == 200
    assert listed.body["summary"] == "ann@example.com"


def test_unknown_and_revoked_refresh_tokens_get_invalid_grant(
    google_emulator: Running, google_user: Callable[..., str]
) -> None:
    refresh = google_user("ann@example.com")
    google_emulator.state.revoke(refresh)
    for token in (refresh, "never-issued"):
        answer = send(
            google_emulator.token_uri,
            "POST",
            form={"grant_type": "refresh_token", "refresh_token": token},
        )
        assert answer.status == 400
        assert answer.body["error"] == "invalid_grant"


def test_wrong_grant_type_and_client_are_refused(
    google_emulator: Running, google_user: Callable[..., str]
) -> None:
    refresh = google_user("ann@example.com")
    wrong = send(google_emulator.token_uri, "POST", form={"grant_type": "password"})
    assert (wrong.status, wrong.body["error"]) == (400, "unsupported_grant_type")
    google_emulator.state.tokens.clients["known"] = "secret"
    bad_client = send(
        google_emulator.token_uri,
        "POST",
        form={
            "grant_type": "refresh_token",
            "refresh_token": refresh,
            "client_id": "known",
            "client_secret": "wrong",
        },
    )
    assert (bad_client.status, bad_client.body["error"]) == (401, "invalid_client")


def test_requests_without_a_valid_bearer_token_get_401(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    ann = google_api("ann@example.com")
    missing = send(google_emulator.calendar_api + "/calendars/primary/events")
    assert missing.status == 401
    assert missing.reason == "authError"
    assert missing.body["error"]["message"] == "Invalid Credentials"
    google_emulator.state.expire_access_tokens("ann@example.com")
    assert ann("GET", "/calendars/primary/events").status == 401


def test_a_user_cannot_reach_another_users_calendar(google_api: Callable[..., Api]) -> None:
    ann = google_api("ann@example.com")
    google_api("bob@example.com")
    assert ann("GET", "/calendars/bob@example.com/events").status == 404
    assert ann("GET", "/calendars/ann@example.com/events").status == 200


def test_the_request_log_never_keeps_secrets(
    google_emulator: Running, google_api: Callable[..., Api]
) -> None:
    google_api("ann@example.com")("GET", "/calendars/primary/events")
    token_call = google_emulator.state.requests_to("POST", "/token")[0]
    assert "refresh_token" not in token_call.body
    assert token_call.body["grant_type"] == "refresh_token"
    listed = google_emulator.state.requests_to("GET", "/events")[0]
    assert "Authorization" not in listed.headers
    assert listed.user == "ann@example.com"
    assert listed.status == 200
