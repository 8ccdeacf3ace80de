"""Is an account's sync already waiting in RQ? One Redis round trip, as cheap as it gets.

The webhook asks this for every notification, and in a burst the answer is nearly always
yes, so this one question decides how many notifications a web worker can take. Through
redis-py's pooled client a call costs about 80 us of CPU (pool lock, retry wrapper,
RESP3 parser); here each thread keeps its own plain socket and speaks the one command
and the one reply shape it needs (RESP2 ``HGET``: a bulk string or nil), which costs a
fraction of that. Connection settings come from the queue's client; TLS connections
(``rediss://``) go through redis-py's own Connection instead.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from typing import TYPE_CHECKING, Any

from redis.connection import Connection, UnixDomainSocketConnection
from redis.exceptions import RedisError, ResponseError

if TYPE_CHECKING:
    from redis import Redis

# RQ states in which a queued job has not started yet, so it will see any change made now.
WAITING = frozenset({b"queued", b"deferred", b"scheduled"})
_JOB_KEY_PREFIX = "rq:job:"  # rq.job.Job.key_for(job_id)
_MAX_REPLY = 1 << 16
CLIENT_NAME = "gatekeeper-webhook"


def command(*parts: str) -> bytes:
    """Return ``parts`` encoded as one RESP command."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        data = part.encode("utf-8")
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class _Socket:
    """A plain TCP or Unix socket to Redis, authenticated and on the right database."""

    def __init__(self, kwargs: dict[str, Any]) -> None:
        timeout = kwargs.get("socket_timeout") or 5.0
        connect_timeout = kwargs.get("socket_connect_timeout") or timeout
        if kwargs.get("path"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(connect_timeout)
            sock.connect(kwargs["path"])
        else:
            sock = socket.create_connection(
                (kwargs.get("host", "localhost"), kwargs.get("port", 6379)), connect_timeout
            )
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(timeout)
        self.sock = sock
        self.buffer = b""
        setup = []
        if kwargs.get("password") is not None:
            user = kwargs.get("username")
            setup.append(
                ("AUTH", user, kwargs["password"]) if user else ("AUTH", kwargs["password"])
            )
        if kwargs.get("db"):
            setup.append(("SELECT", str(kwargs["db"])))
        setup.append(("CLIENT", "SETNAME", CLIENT_NAME))  # visible in CLIENT LIST
        for parts in setup:
            self.sock.sendall(command(*parts))
            self.reply()

    def close(self) -> None:
        self.sock.close()

    def __del__(self) -> None:
        # A thread's socket lives as long as the app; close it quietly when both go.
        sock = getattr(self, "sock", None)
        if sock is not None:
            sock.close()

    def _line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            self._fill()
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        return line

    def _fill(self) -> None:
        chunk = self.sock.recv(_MAX_REPLY)
        if not chunk:
            raise ConnectionError("Redis closed the connection")
        self.buffer += chunk

    def reply(self) -> bytes | None:
        """Read one simple, error, integer or bulk reply (nil as None)."""
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest
        if kind == b"-":
            raise ResponseError(rest.decode("utf-8", "replace"))
        if kind != b"$":
            raise RedisError(f"unexpected Redis reply {line[:32]!r}")
        length = int(rest)
        if length < 0:
            return None
        while len(self.buffer) < length + 2:
            self._fill()
        data, self.buffer = self.buffer[:length], self.buffer[length + 2 :]
        return data

    def ask(self, request: bytes) -> bytes | None:
        self.sock.sendall(request)
        return self.reply()


class _RedisPyConnection:
    """The same question through redis-py's Connection (for TLS and other transports)."""

    def __init__(self, factory: type[Connection], kwargs: dict[str, Any]) -> None:
        self.connection = factory(**kwargs)

    def close(self) -> None:
        self.connection.disconnect()  # type: ignore[no-untyped-call]

    def ask(self, request: bytes) -> bytes | None:
        self.connection.send_packed_command(request)  # type: ignore[no-untyped-call]
        answer = self.connection.read_response()
        return answer if isinstance(answer, bytes) or answer is None else str(answer).encode()


class PendingProbe:
    """Read RQ job statuses over one Redis connection per thread (and per process)."""

    def __init__(self, client: Redis) -> None:
        pool = client.connection_pool
        self._factory = pool.connection_class
        self._kwargs: dict[str, Any] = dict(pool.connection_kwargs)
        self._plain = self._factory in (Connection, UnixDomainSocketConnection)
        self._local = threading.local()
        self._requests: dict[str, bytes] = {}

    def __repr__(self) -> str:
        where = self._kwargs.get("path") or f"{self._kwargs.get('host')}:{self._kwargs.get('port')}"
        return f"PendingProbe({where})"

    def _connection(self) -> _Socket | _RedisPyConnection:
        held = getattr(self._local, "held", None)
        # After a fork (gunicorn, RQ) the child must not share the parent's socket.
        if held is None or held[0] != os.getpid():
            made = (
                _Socket(self._kwargs)
                if self._plain
                else _RedisPyConnection(self._factory, self._kwargs)
            )
            held = (os.getpid(), made)
            self._local.held = held
        return held[1]

    def waiting(self, job_id: str) -> bool:
        """Return True when job ``job_id`` is queued and has not started yet.

        Raises RedisError or OSError when Redis cannot be asked.
        """
        request = self._requests.get(job_id)
        if request is None:
            if len(self._requests) > 100_000:
                self._requests.clear()
            request = command("HGET", _JOB_KEY_PREFIX + job_id, "status")
            self._requests[job_id] = request
        try:
            connection = self._connection()
            status = connection.ask(request)
        except (RedisError, OSError, ValueError):
            self._drop()
            raise
        return status in WAITING

    def _drop(self) -> None:
        held = getattr(self._local, "held", None)
        self._local.held = None
        if held is not None:
            with contextlib.suppress(OSError):
                held[1].close()
