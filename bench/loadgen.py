"""A small asyncio HTTP/1.1 load generator over a fixed pool of keep-alive connections.

The pool is opened once and reused by every run, so two runs compare the server's
routes over the very same connections (gunicorn hands each connection to one worker
for its whole life; new connections per run would reshuffle that and add noise).

Closed loop (throughput): every connection sends its next request as soon as the answer
to the previous one is in. Open loop (latency at a fixed rate): requests are due at fixed
intervals whether or not earlier ones were answered, and each latency is counted from the
moment the request was due, so a slow server cannot hide its queueing.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


def raw_request(
    host: str, port: int, path: str, headers: dict[str, str], body: bytes = b""
) -> bytes:
    """Return one encoded keep-alive POST request."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Result:
    """Answers counted by status, their latencies (seconds) and the time they took."""

    elapsed: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    server_cpu: float = 0.0  # CPU seconds the web server used meanwhile, when measured
    redis_cpu: float = 0.0  # CPU seconds Redis used meanwhile, when measured

    @property
    def count(self) -> int:
        """Return how many answers arrived."""
        return sum(self.statuses.values())

    @property
    def rate(self) -> float:
        """Return answers per second."""
        return self.count / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        """Return the latency below which ``share`` of the answers arrived (seconds)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _answer(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
            break
    if length:
        await reader.readexactly(length)
    return status


class Pool:
    """Keep-alive connections to one server, reused by every run."""

    def __init__(self, host: str, port: int, size: int) -> None:
        self.host, self.port, self.size = host, port, size
        self._connections: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def open(self) -> None:
        """Open the connections."""
        for _ in range(self.size):
            self._connections.append(await asyncio.open_connection(self.host, self.port))

    def close(self) -> None:
        """Close the connections."""
        for _, writer in self._connections:
            writer.close()
        self._connections.clear()

    async def _exchange(self, slot: int, request: bytes, result: Result) -> int | None:
        reader, writer = self._connections[slot]
        writer.write(request)
        try:
            return await _answer(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            result.errors += 1
            writer.close()
            self._connections[slot] = await asyncio.open_connection(self.host, self.port)
            return None

    async def closed_loop(
        self, requests: Sequence[bytes], *, duration: float, max_requests: int
    ) -> Result:
        """Keep every connection busy for ``duration`` seconds (or ``max_requests``)."""
        result = Result()
        deadline = time.perf_counter() + duration
        sent = 0

        async def run(slot: int) -> None:
            nonlocal sent
            index = slot
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                began = time.perf_counter()
                status = await self._exchange(slot, requests[index % len(requests)], result)
                index += self.size
                if status is not None:
                    result.latencies.append(time.perf_counter() - began)
                    result.statuses[status] += 1

        started = time.perf_counter()
        await asyncio.gather(*(run(slot) for slot in range(self.size)))
        result.elapsed = time.perf_counter() - started
        return result

    async def open_loop(self, requests: Sequence[bytes], *, rate: float, count: int) -> Result:
        """Send ``count`` requests due ``1/rate`` seconds apart over the pool."""
        result = Result()
        due: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()

        async def run(slot: int) -> None:
            while (item := await due.get()) is not None:
                index, when = item
                status = await self._exchange(slot, requests[index % len(requests)], result)
                if status is not None:
                    result.latencies.append(time.perf_counter() - when)
                    result.statuses[status] += 1

        workers = [asyncio.create_task(run(slot)) for slot in range(self.size)]
        started = time.perf_counter()
        for index in range(count):
            when = started + index / rate
            pause = when - time.perf_counter()
            if pause > 0:
                await asyncio.sleep(pause)
            due.put_nowait((index, when))
        for _ in workers:
            due.put_nowait(None)
        await asyncio.gather(*workers)
        result.elapsed = time.perf_counter() - started
        return result
