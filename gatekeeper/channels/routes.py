"""A short-lived, per-process memory of channel routes, so the webhook rarely asks the database.

Google sends notifications in bursts on the same few channels. Remembering each route
for a few seconds turns most lookups into a dictionary read. What the memory may lag
behind is harmless: a channel stopped moments ago can still queue a sync of its
account (which the sync skips when the account is disconnected), and the token is
compared on every notification all the same. Unknown channels are not remembered, so
a new channel is found at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from gatekeeper.store.channels import ChannelRoute, channel_route
from gatekeeper.store.database import Database

DEFAULT_TTL = 10.0  # seconds
MAX_ENTRIES = 10_000


class RouteCache:
    """Look up channel routes, remembering found ones for ``ttl`` seconds."""

    def __init__(
        self,
        database: Database,
        *,
        ttl: float = DEFAULT_TTL,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[str, tuple[ChannelRoute, float]] = {}

    def __repr__(self) -> str:
        return f"RouteCache({len(self._entries)} routes, ttl={self.ttl:g}s)"

    def lookup(self, channel_id: str) -> ChannelRoute | None:
        """Return the channel's route (remembered, or read with one indexed query)."""
        now = self.clock()
        hit = self._entries.get(channel_id)
        if hit is not None and now - hit[1] < self.ttl:
            return hit[0]
        with self.database.engine.connect() as connection:
            route = channel_route(connection, channel_id)
        if route is not None and self.ttl > 0:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # crude, but bounded; a burst refills it at once
            self._entries[channel_id] = (route, now)
        return route

    def forget(self) -> None:
        """Drop every remembered route."""
        self._entries.clear()
