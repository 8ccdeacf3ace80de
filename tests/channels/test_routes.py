"""RouteCache: found routes remembered for a while, unknown channels never."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from gatekeeper import get_db
from gatekeeper.channels import ensure_watched, stop_account_channels
from gatekeeper.channels.routes import RouteCache
from gatekeeper.store.channels import active_channels

pytest_plugins = ["emulator.pytest_plugin"]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def queries(google_app: Any) -> Iterator[list[str]]:
    """Record every SQL statement the app's engine runs."""
    seen: list[str] = []
    engine = get_db(google_app).engine

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def lookups(queries: list[str]) -> int:
    """Return how many route lookups (the webhook's one query) ran."""
    return len([q for q in queries if "FROM channels JOIN accounts" in q])


def watched_channel(app: Any, connect: Callable[..., int]) -> tuple[int, str]:
    account_id = connect("ana@example.com")
    ensure_watched(app, account_id)
    with get_db(app).session() as session:
        [channel] = active_channels(session, account_id)
    return account_id, channel.channel_id


def test_found_route_is_remembered_until_its_time_is_up(
    google_app: Any, connect: Callable[..., int], queries: list[str]
) -> None:
    account_id, channel_id = watched_channel(google_app, connect)
    clock = Clock()
    cache = RouteCache(get_db(google_app), ttl=10, clock=clock)
    queries.clear()
    first = cache.lookup(channel_id)
    assert first is not None and first.account_id == account_id and first.stopped_at is None
    assert lookups(queries) == 1
    clock.now += 9.9
    assert cache.lookup(channel_id) == first
    assert lookups(queries) == 1
    stop_account_channels(google_app, account_id)
    clock.now += 0.2
    again = cache.lookup(channel_id)
    assert again is not None and again.stopped_at is not None  # read afresh: now stopped
    assert lookups(queries) == 2


def test_unknown_channel_is_looked_up_every_time(
    google_app: Any, connect: Callable[..., int]
) -> None:
    cache = RouteCache(get_db(google_app), ttl=60)
    assert cache.lookup("not-yet") is None
    _, channel_id = watched_channel(google_app, connect)
    assert cache.lookup(channel_id) is not None  # a new channel is found at once


def test_zero_ttl_reads_every_time_and_the_size_is_bounded(
    google_app: Any, connect: Callable[..., int], queries: list[str]
) -> None:
    _, channel_id = watched_channel(google_app, connect)
    uncached = RouteCache(get_db(google_app), ttl=0)
    queries.clear()
    uncached.lookup(channel_id)
    uncached.lookup(channel_id)
    assert lookups(queries) == 2
    small = RouteCache(get_db(google_app), ttl=60, max_entries=1)
    small.lookup(channel_id)
    assert "1 routes" in repr(small)
    small.forget()
    assert "0 routes" in repr(small)
