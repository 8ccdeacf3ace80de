"""``accounts add-google|list|disconnect|rotate-keys`` and ``watch``, against the emulator."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from emulator.google_calendar import Running
from emulator.testing import CLIENT_ID, CLIENT_SECRET, WebhookReceiver
from gatekeeper import get_config, get_db
from gatekeeper.accounts.google import keyring_for
from gatekeeper.store.accounts import find_account
from gatekeeper.store.decisions import search_decisions

pytest_plugins = ["emulator.pytest_plugin"]

TOKEN = "refresh-ana"  # the emulator's refresh token for ana@example.com


@pytest.fixture
def app_env(
    app_env: dict[str, str], google_emulator: Running, webhook_receiver: WebhookReceiver
) -> dict[str, str]:
    """Return the test environment with Google on, pointed at the emulator."""
    google_emulator.state.add_user("ana@example.com", refresh_token=TOKEN)
    return {
        **app_env,
        "GOOGLE_CLIENT_ID": CLIENT_ID,
        "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
        "GOOGLE_API_BASE_URL": google_emulator.api_base_url,
        "GOOGLE_TOKEN_URI": google_emulator.token_uri,
        "PUBLIC_BASE_URL": webhook_receiver.url.removesuffix("/webhooks/google"),
    }


def account(app: Any, email: str) -> Any:
    with get_db(app).session() as session:
        return find_account(session, email)


def test_add_google_stores_the_token_encrypted_watches_and_syncs(
    runner: Any, app: Any, google_emulator: Running
) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    google_emulator.state.invite(
        "bob@example.com", ["ana@example.com"], "Sync-up", start, start + timedelta(minutes=30)
    )
    result = runner.invoke("accounts", "add-google", "--email", "Ana@Example.com",
                           "--refresh-token", TOKEN)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "added Google account ana@example.com" in result.stdout
    assert "mode dry-run" in result.stdout
    assert "watching its primary calendar (opened channel" in result.stdout
    assert "first sync: ana@example.com: full sync" in result.stdout
    assert TOKEN not in result.stdout + result.stderr
    stored = account(app, "ana@example.com")
    assert stored.status == "active" and stored.mode == "dry-run"
    assert TOKEN.encode() not in stored.refresh_token_encrypted
    assert keyring_for(get_config(app)).decrypt(stored.refresh_token_encrypted) == TOKEN
    assert len(google_emulator.state.notifier.channels) == 1
    # dry-run: the invite without an agenda is only written to the decision log.
    with get_db(app).session() as session:
        [decision] = search_decisions(session, stored.id)
    assert (decision.summary, decision.action, decision.executed) == ("Sync-up", "decline", False)


def test_refresh_token_can_come_from_standard_input(
    runner: Any, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    result = runner.invoke(
        "accounts", "add-google", "--email", "ana@example.com", "--refresh-token", "-"
    )
    assert result.exit_code == 0, result.stderr
    stored = account(app, "ana@example.com")
    assert keyring_for(get_config(app)).decrypt(stored.refresh_token_encrypted) == TOKEN


def test_add_google_again_updates_the_token_and_mode(runner: Any, app: Any) -> None:
    runner.invoke("accounts", "add-google", "--email", "ana@example.com", "--refresh-token", TOKEN)
    again = runner.invoke("accounts", "add-google", "--email", "ana@example.com",
                          "--refresh-token", TOKEN, "--mode", "enforce")  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert "updated Google account ana@example.com" in again.stdout
    assert "(kept channel" in again.stdout
    assert account(app, "ana@example.com").mode == "enforce"


def test_list_shows_mode_status_and_channel_expiry_but_never_a_token(runner: Any, app: Any) -> None:
    runner.invoke("accounts", "add-google", "--email", "ana@example.com", "--refresh-token", TOKEN,
                  "--mode", "flag")  # fmt: skip
    table = runner.invoke("accounts", "list")
    assert table.exit_code == 0
    header, row = table.stdout.splitlines()
    assert header.split() == ["email", "provider", "mode", "status", "channel_expires", "last_sync"]
    assert row.split()[:4] == ["ana@example.com", "google", "flag", "active"]
    expires = datetime.fromisoformat(row.split()[4])
    assert timedelta(days=6) < expires - datetime.now(UTC) <= timedelta(days=7)
    lines = runner.invoke("accounts", "list", "--format", "json").stdout.splitlines()
    [data] = [json.loads(line) for line in lines]
    assert data["email"] == "ana@example.com" and data["last_sync"] is not None
    assert TOKEN not in table.stdout and TOKEN not in "".join(lines)
    assert not any("token" in key for key in data)


def test_refused_refresh_token_exits_1_and_leaves_the_account_disconnected(
    runner: Any, app: Any
) -> None:
    result = runner.invoke("accounts", "add-google", "--email", "ana@example.com",
                           "--refresh-token", "1//revoked-or-made-up")  # fmt: skip
    assert result.exit_code == 1
    assert "error: Google refused the refresh token of ana@example.com" in result.stderr
    assert "1//revoked-or-made-up" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert account(app, "ana@example.com").status == "disconnected"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--email", "not-an-address", "--refresh-token", TOKEN), "not an e-mail address"),
        (("--email", "ana@example.com", "--refresh-token", " "), "the refresh token is empty"),
        (
            ("--email", "ana@example.com", "--refresh-token", TOKEN, "--mode", "loud"),
            "invalid choice",
        ),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    runner: Any, args: tuple[str, ...], message: str
) -> None:
    result = runner.invoke("accounts", "add-google", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_google_off_is_explained(runner: Any) -> None:
    runner.env.update(GOOGLE_CLIENT_ID="", GOOGLE_CLIENT_SECRET="")
    result = runner.invoke("accounts", "add-google", "--email", "ana@example.com",
                           "--refresh-token", TOKEN)  # fmt: skip
    assert result.exit_code == 2
    assert "Google features are off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET" in result.stderr
    assert "no accounts yet" in runner.invoke("accounts", "list").stdout


def test_watch_lists_and_renews_channels(runner: Any, google_emulator: Running) -> None:
    assert "no active channels" in runner.invoke("watch").stdout
    runner.invoke("accounts", "add-google", "--email", "ana@example.com", "--refresh-token", TOKEN)
    [channel_id] = google_emulator.state.notifier.channels
    listing = runner.invoke("watch")
    assert "ana@example.com" in listing.stdout and channel_id in listing.stdout
    renewed = runner.invoke("watch", "--renew")
    assert renewed.exit_code == 0
    assert renewed.stdout.startswith("0 channel(s) opened, 0 stopped, 1 account(s) already watched")
    google_emulator.state.notifier.channels.clear()  # as if Google had lost it
    assert runner.invoke("watch", "--renew", "--email", "ana@example.com").exit_code == 0
    assert runner.invoke("watch", "--email", "nobody@example.com").exit_code == 1


def test_disconnect_stops_watching(runner: Any, app: Any, google_emulator: Running) -> None:
    runner.invoke("accounts", "add-google", "--email", "ana@example.com", "--refresh-token", TOKEN)
    result = runner.invoke("accounts", "disconnect", "--email", "ana@example.com")
    assert (result.exit_code, result.stdout.strip()) == (0, "ana@example.com: disconnected")
    assert google_emulator.state.notifier.channels == {}
    assert account(app, "ana@example.com").refresh_token_encrypted is None
    again = runner.invoke("accounts", "disconnect", "--email", "ana@example.com")
    assert again.stdout.strip() == "ana@example.com: already disconnected"
    assert runner.invoke("accounts", "disconnect", "--email", "x@example.com").exit_code == 1


def test_rotate_keys_reports_tokens_already_under_the_newest_key(runner: Any) -> None:
    runner.invoke("accounts", "add-google", "--email", "ana@example.com", "--refresh-token", TOKEN)
    result = runner.invoke("accounts", "rotate-keys")
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "0 token(s) re-encrypted, 1 already under the newest key, 0 unreadable"
    )


def test_rotate_keys_through_the_environment_moves_tokens_to_the_new_key(
    runner: Any, app: Any
) -> None:
    from cryptography.fernet import Fernet, InvalidToken

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    runner.env = {**runner.env, "GATEKEEPER_ENCRYPTION_KEY": old}
    assert runner.invoke("accounts", "add-google", "--email", "ana@example.com",
                         "--refresh-token", TOKEN).exit_code == 0  # fmt: skip
    runner.env = {**runner.env, "GATEKEEPER_ENCRYPTION_KEY": f"{new},{old}"}
    result = runner.invoke("accounts", "rotate-keys")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().startswith("1 token(s) re-encrypted")
    stored = account(app, "ana@example.com").refresh_token_encrypted
    assert Fernet(new.encode()).decrypt(stored).decode() == TOKEN
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(stored)
    assert TOKEN not in result.stdout + result.stderr
