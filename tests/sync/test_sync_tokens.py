"""Access tokens outlive a job: one refresh serves successive syncs, in other processes too."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis import Redis

from emulator.google_calendar import Running, State
from emulator.testing import FakeTime
from gatekeeper.accounts.google import keyring_for
from gatekeeper.accounts.tokens import (
    KEY_PREFIX,
    MemoryTokenCache,
    RedisTokenCache,
    token_cache_for,
)
from gatekeeper.calendars.google_tokens import AccessToken
from gatekeeper.errors import AuthError
from gatekeeper.sync.report import SyncReport
from gatekeeper.sync.service import open_account
from tests.sync.support import Person, close_app, make_app, person_factory, weekday_at

pytest_plugins = ["emulator.pytest_plugin"]


def token_calls(state: State) -> int:
    """Return how often the token endpoint was asked for an access token."""
    return len(state.requests_to("POST", "/token"))


def refused(state: State) -> list[Any]:
    """Return the API requests answered 401 (an access token Google did not accept)."""
    return [r for r in state.requests if r.status == 401]


def grant_of(person: Person) -> str:
    """Return the cache name of the person's grant."""
    opened = open_account(person.app, person.account_id)
    assert not isinstance(opened, SyncReport), opened
    return opened[1].grant


def test_two_syncs_refresh_the_access_token_once(person: Callable[..., Person]) -> None:
    ann = person("enforce")
    ann.invite("Budget chat", weekday_at(2, 13), description="")
    assert ann.sync().answered == 1
    ann.invite("Another chat", weekday_at(2, 15), description="")
    assert ann.sync().answered == 1
    assert token_calls(ann.state) == 1
    assert refused(ann.state) == []


def test_a_token_google_no_longer_accepts_is_refreshed_and_kept(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    ann.sync()
    ann.state.expire_access_tokens(ann.email)
    ann.invite("Budget chat", weekday_at(2, 13), description="")
    assert ann.sync().answered == 1  # 401, refresh, the same request again
    assert token_calls(ann.state) == 2 and len(refused(ann.state)) == 1
    ann.sync()
    assert token_calls(ann.state) == 2  # the refreshed token was kept


def test_a_kept_token_about_to_expire_is_refreshed_before_use(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    ann.sync()
    cache = token_cache_for(ann.app)
    grant = grant_of(ann)
    kept = cache.get(grant)
    assert kept is not None and kept.fresh()
    cache.put(grant, AccessToken(kept.token, datetime.now(UTC) + timedelta(minutes=2)))
    ann.sync()
    assert token_calls(ann.state) == 2
    assert refused(ann.state) == []  # refreshed before the call, not after a 401
    renewed = cache.get(grant)
    assert renewed is not None and renewed.token != kept.token and renewed.fresh()


def test_a_revoked_grant_raises_auth_error_and_forgets_the_kept_token(
    person: Callable[..., Person],
) -> None:
    ann = person("enforce")
    ann.sync()
    grant = grant_of(ann)
    assert token_cache_for(ann.app).get(grant) is not None
    ann.state.revoke("refresh-ann")
    with pytest.raises(AuthError, match="reconnected"):
        ann.sync()
    assert token_cache_for(ann.app).get(grant) is None


def test_a_new_grant_does_not_use_the_old_grants_token(
    person: Callable[..., Person], google_emulator: Running
) -> None:
    from gatekeeper.accounts.service import connect_google

    ann = person("enforce")
    ann.sync()
    old = grant_of(ann)
    google_emulator.state.add_user(ann.email, refresh_token="refresh-ann-2")
    connect_google(ann.app, ann.email, "refresh-ann-2", "enforce")
    assert grant_of(ann) != old
    ann.sync()
    assert token_calls(ann.state) == 2


def test_access_tokens_never_reach_the_log(
    person: Callable[..., Person], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ann = person("enforce")
    ann.invite("Budget chat", weekday_at(2, 13), description="")
    ann.sync()
    ann.state.expire_access_tokens(ann.email)
    ann.sync()
    issued = [r for r in ann.state.requests_to("POST", "/token") if r.status == 200]
    assert len(issued) == 2
    cache = token_cache_for(ann.app)
    kept = cache.get(grant_of(ann))
    assert kept is not None
    assert kept.token not in caplog.text and kept.token not in repr(kept)
    assert "refresh-ann" not in caplog.text


# -- Redis: jobs in other processes ------------------------------------------------------


@pytest.fixture
def redis_apps(
    sync_env: dict[str, str], redis_url: str, fake_time: FakeTime
) -> Iterator[Callable[[], Any]]:
    """Return ``new()``: another app on the same database and Redis (another work horse)."""
    made: list[Any] = []

    def new() -> Any:
        made.append(make_app({**sync_env, "REDIS_URL": redis_url}, fake_time))
        return made[-1]

    yield new
    for app in made:
        close_app(app)


@pytest.mark.redis
def test_jobs_in_other_processes_use_the_token_kept_in_redis(
    redis_apps: Callable[[], Any], google_emulator: Running, redis_url: str
) -> None:
    first = person_factory(redis_apps(), google_emulator)("enforce")
    first.invite("Budget chat", weekday_at(2, 13), description="")
    assert first.sync().answered == 1
    # A second app shares no memory with the first: only Redis can hand it the token.
    second = Person(redis_apps(), first.state, first.account_id, first.email)
    second.invite("Another chat", weekday_at(2, 15), description="")
    assert second.sync().answered == 1
    assert token_calls(first.state) == 1
    assert isinstance(token_cache_for(second.app), RedisTokenCache)
    # Kept encrypted, and no longer than the token lives.
    client = Redis.from_url(redis_url)
    (key,) = client.keys(KEY_PREFIX + "*")
    token = next(iter(first.state.tokens.access))
    blob = client.get(key)
    assert blob is not None and token.encode() not in blob
    from gatekeeper import get_config

    assert token in keyring_for(get_config(second.app)).decrypt(blob)
    assert 3000 < client.ttl(key) <= 3600
    client.close()


@pytest.mark.redis
def test_a_revoked_grant_removes_the_redis_entry(
    redis_apps: Callable[[], Any], google_emulator: Running, redis_url: str
) -> None:
    ann = person_factory(redis_apps(), google_emulator)("enforce")
    ann.sync()
    client = Redis.from_url(redis_url)
    assert len(client.keys(KEY_PREFIX + "*")) == 1
    ann.state.revoke("refresh-ann")
    with pytest.raises(AuthError):
        Person(redis_apps(), ann.state, ann.account_id, ann.email).sync()
    assert client.keys(KEY_PREFIX + "*") == []
    client.close()


# -- the caches on their own ---------------------------------------------------------------


class _Keyring:
    """A cipher that only reverses text: enough to tell encrypted from plain here."""

    def encrypt(self, secret: str) -> bytes:
        return secret[::-1].encode()

    def decrypt(self, token: bytes) -> str:
        return token.decode()[::-1]


def test_an_unreachable_redis_behaves_as_an_empty_cache(unused_port: int) -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{unused_port}/0", socket_connect_timeout=0.5)
    cache = RedisTokenCache(client, _Keyring())
    token = AccessToken("ya29.secret", datetime.now(UTC) + timedelta(hours=1))
    cache.put("grant", token)
    assert cache.get("grant") is None
    cache.drop("grant")
    client.close()


@pytest.mark.redis
def test_an_entry_no_key_opens_is_dropped(redis_url: str, app_env: dict[str, str]) -> None:
    from gatekeeper.accounts.keyring import TokenKeyring

    client = Redis.from_url(redis_url)
    cache = RedisTokenCache(client, TokenKeyring(app_env["GATEKEEPER_ENCRYPTION_KEY"]))
    client.set(KEY_PREFIX + "grant", b"written under another key")
    assert cache.get("grant") is None
    assert client.exists(KEY_PREFIX + "grant") == 0
    expired = AccessToken("ya29.old", datetime.now(UTC) - timedelta(seconds=1))
    cache.put("grant", expired)
    assert client.exists(KEY_PREFIX + "grant") == 0
    client.close()


def test_the_memory_cache_forgets_expired_tokens() -> None:
    cache = MemoryTokenCache()
    cache.put("a", AccessToken("ya29.a", datetime.now(UTC) - timedelta(seconds=1)))
    cache.put("b", AccessToken("ya29.b", datetime.now(UTC) + timedelta(hours=1)))
    assert cache.get("a") is None
    found = cache.get("b")
    assert found is not None and found.token == "ya29.b"
    cache.drop("b")
    assert cache.get("b") is None
