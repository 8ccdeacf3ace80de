"""Notification channels and the background thread that POSTs push notifications."""

from __future__ import annotations

import enum
import hashlib
import http.client
import queue
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from emulator.google_calendar.timefmt import http_date

# A lone held-back message (out-of-order mode) goes out once nothing newer arrives.
_HOLD_SECONDS = 0.5
_SEND_TIMEOUT = 5.0


class PushMode(enum.StrEnum):
    """How notifications are delivered."""

    OFF = "off"
    ON = "on"
    DUPLICATED = "duplicated"  # every message is sent twice
    OUT_OF_ORDER = "out_of_order"  # consecutive messages are sent swapped


@dataclass
class Channel:
    """A watch on one calendar's events."""

    id: str
    resource_id: str
    resource_uri: str
    owner: str
    address: str
    token: str | None
    expiration: datetime
    number: int = 0


@dataclass(frozen=True)
class Message:
    """One notification to POST."""

    channel: Channel
    number: int
    state: str  # sync | exists | not_exists

    def headers(self) -> dict[str, str]:
        """Return the headers Google sends with a notification."""
        out = {
            "X-Goog-Channel-ID": self.channel.id,
            "X-Goog-Channel-Expiration": http_date(self.channel.expiration),
            "X-Goog-Resource-ID": self.channel.resource_id,
            "X-Goog-Resource-URI": self.channel.resource_uri,
            "X-Goog-Resource-State": self.state,
            "X-Goog-Message-Number": str(self.number),
        }
        if self.channel.token is not None:
            out["X-Goog-Channel-Token"] = self.channel.token
        return out


@dataclass(frozen=True)
class Delivery:
    """What happened to one POSTed notification (status None: could not connect)."""

    channel_id: str
    number: int
    state: str
    status: int | None
    error: str | None = None


def resource_id(owner: str) -> str:
    """Return the stable opaque id of a calendar's events resource."""
    return hashlib.sha1(f"events:{owner}".encode()).hexdigest()[:27]


class Notifier:
    """Keeps channels and delivers their notifications from one background thread."""

    def __init__(self, now: Callable[[], datetime], mode: PushMode = PushMode.ON) -> None:
        self.now = now
        self.mode = mode
        self.channels: dict[str, Channel] = {}
        self.deliveries: list[Delivery] = []
        self._queue: queue.Queue[Message | None] = queue.Queue()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._thread: threading.Thread | None = None

    # -- channels --------------------------------------------------------------------------

    def watch(self, channel: Channel) -> None:
        """Register a channel and send its ``sync`` message."""
        with self._lock:
            self.channels[channel.id] = channel
        self._send(channel, "sync")

    def stop(self, channel_id: str, resource: str) -> bool:
        """Remove a channel; return False when no such channel exists."""
        with self._lock:
            found = self.channels.get(channel_id)
            if found is None or found.resource_id != resource:
                return False
            del self.channels[channel_id]
            return True

    def changed(self, owner: str) -> None:
        """Notify every live channel watching ``owner``'s calendar."""
        now = self.now()
        with self._lock:
            live = [c for c in self.channels.values() if c.owner == owner]
            for channel in [c for c in live if c.expiration <= now]:
                del self.channels[channel.id]  # expired channels go quiet, as Google's do
        for channel in live:
            if channel.expiration > now:
                self._send(channel, "exists")

    # -- delivery --------------------------------------------------------------------------

    def _send(self, channel: Channel, state: str) -> None:
        if self.mode is PushMode.OFF:
            return
        with self._lock:
            channel.number += 1
            message = Message(channel, channel.number, state)
            copies = 2 if self.mode is PushMode.DUPLICATED else 1
            self._pending += copies
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="emulator-push", daemon=True)
                self._thread.start()
        for _ in range(copies):
            self._queue.put(message)

    def _run(self) -> None:
        held: Message | None = None
        while True:
            try:
                message = self._queue.get(timeout=_HOLD_SECONDS if held else None)
            except queue.Empty:
                message, held = held, None
                if message is not None:
                    self._post(message)
                continue
            if message is None:
                if held is not None:
                    self._post(held)
                return
            if self.mode is PushMode.OUT_OF_ORDER and held is None:
                held = message
                continue
            self._post(message)
            if held is not None:
                self._post(held)
                held = None

    def _post(self, message: Message) -> None:
        # http.client keeps the header names exactly as Google spells them (urllib would not)
        # and goes straight to the receiver, never through a proxy.
        address = urllib.parse.urlsplit(message.channel.address)
        kind = (
            http.client.HTTPSConnection if address.scheme == "https" else http.client.HTTPConnection
        )
        status: int | None = None
        error: str | None = None
        try:
            connection = kind(address.netloc, timeout=_SEND_TIMEOUT)
            try:
                path = address.path or "/"
                connection.request(
                    "POST",
                    path + (f"?{address.query}" if address.query else ""),
                    body=b"",
                    headers=message.headers(),
                )
                answer = connection.getresponse()
                answer.read()
                status = answer.status
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            error = str(exc) or type(exc).__name__
        with self._lock:
            self.deliveries.append(
                Delivery(message.channel.id, message.number, message.state, status, error)
            )
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until every queued notification was delivered; return False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Stop the delivery thread after what is queued."""
        thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=_SEND_TIMEOUT + 1)
            self._thread = None
