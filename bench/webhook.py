"""POST /webhooks/google under load: gunicorn and Redis on this machine, loopback only.

Measured in one run against one gunicorn (2 gthread workers of 4 threads, keep-alive;
BENCH_WORKERS and BENCH_THREADS change that) serving both the production app's webhook
and a bare Flask route that returns 200, over the same 16 connections:

* throughput, closed loop: rounds of the bare route and of the webhook alternate; the
  figure is the median of the webhook/bare ratios of back-to-back pairs (target: at
  least 0.70), since other work on the machine moves both routes of a pair alike. The
  server's CPU time per request (from /proc) is printed too, as a steadier check;
* acknowledgement latency, open loop at 500 notifications per second (target: p99 at
  most 20 ms), counted from the moment each notification was due.

The notifications are genuine: 50 watched accounts, each with its own channel and
token, state ``exists``. No worker runs, so after the first notification of an account
its sync job waits in Redis and the rest are duplicates folded into it (the burst case);
the run checks that exactly one job per account was queued. A second latency run takes
the queued jobs away every half second, as a worker would, so that notifications keep
making real RQ enqueues.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.loadgen import Pool, Result, raw_request

if TYPE_CHECKING:
    from redis import Redis

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ACCOUNTS = 50
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
CONNECTIONS = 16
ROUND_SECONDS = 1.5
ROUNDS = 7
MAX_REQUESTS = 200_000
RATE = 500
LATENCY_COUNT = 5_000  # ten seconds at 500/s
DRAIN_SECONDS = 0.5  # a worker taking each account's sync within half a second
TARGET_RATIO = 0.70
TARGET_P99_MS = 20.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _redis() -> Iterator[tuple[str | None, int | None]]:
    """Yield the URL and pid of a private redis-server (BENCH_REDIS_URL if set), or None."""
    if os.environ.get("BENCH_REDIS_URL"):
        yield os.environ["BENCH_REDIS_URL"], None
        return
    binary = shutil.which("redis-server")
    if binary is None:
        yield None, None
        return
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from redis import Redis

        client = Redis(host=HOST, port=port)
        for _ in range(100):
            with contextlib.suppress(Exception):
                client.ping()
                break
            time.sleep(0.05)
        client.close()
        yield f"redis://{HOST}:{port}/0", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def _seed(env: dict[str, str]) -> list[dict[str, str]]:
    """Create the accounts and their channels; return one notification's headers per channel."""
    from gatekeeper import create_app, get_db, get_queue
    from gatekeeper.store.accounts import add_account
    from gatekeeper.store.channels import add_channel, confirm_channel
    from gatekeeper.store.types import utcnow

    app = create_app(env)
    notifications = []
    with get_db(app).session() as session:
        for number in range(ACCOUNTS):
            account = add_account(
                session, f"person{number}@example.com", provider="google", mode="enforce"
            )
            channel_id, token = f"bench-{secrets.token_hex(12)}", secrets.token_urlsafe(32)
            channel = add_channel(
                session,
                account.id,
                channel_id=channel_id,
                token=token,
                address=env["PUBLIC_BASE_URL"] + "/webhooks/google",
            )
            resource = secrets.token_hex(13)
            confirm_channel(
                session,
                channel,
                resource_id=resource,
                resource_uri="https://www.googleapis.com/calendar/v3/calendars/primary/events",
                expiration=utcnow() + timedelta(days=7),
            )
            notifications.append(
                {
                    "X-Goog-Channel-ID": channel_id,
                    "X-Goog-Channel-Token": token,
                    "X-Goog-Resource-ID": resource,
                    "X-Goog-Resource-State": "exists",
                    "X-Goog-Message-Number": str(2 + number),
                }
            )
    get_db(app).dispose()
    get_queue(app).close()
    return notifications


@contextlib.contextmanager
def _gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{HOST}:{port}",
        "--workers", str(WORKERS),
        "--worker-class", "gthread",
        "--threads", str(THREADS),
        "--keep-alive", "30",
        "--log-level", "warning",
        "bench.webhook_wsgi:app",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log}:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def _draining(client: Redis) -> Iterator[list[int]]:
    """Take every queued sync job away every DRAIN_SECONDS (a worker's part); count them."""
    taken = [0]
    stop = threading.Event()

    def drain() -> None:
        while not stop.wait(DRAIN_SECONDS):
            ids = client.lrange("rq:queue:gatekeeper", 0, -1)
            if ids:
                with client.pipeline() as pipe:
                    pipe.delete("rq:queue:gatekeeper", *(b"rq:job:" + i for i in ids))
                    pipe.execute()
                taken[0] += len(ids)

    thread = threading.Thread(target=drain, daemon=True)
    thread.start()
    try:
        yield taken
    finally:
        stop.set()
        thread.join(timeout=5)


def _statuses(result: Result) -> str:
    shown = ", ".join(f"HTTP {status}" for status in sorted(result.statuses))
    return shown + (f", connection errors: {result.errors}" if result.errors else "")


class CpuMeter:
    """CPU time used so far by the gunicorn workers and by Redis, from /proc."""

    def __init__(self, web: list[int], redis: list[int]) -> None:
        self.web, self.redis = web, redis
        self.tick = os.sysconf("SC_CLK_TCK")

    def _seconds(self, pids: list[int]) -> float:
        total = 0
        for pid in pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / self.tick

    def seconds(self) -> tuple[float, float]:
        """Return the CPU seconds (user plus system) of the workers and of Redis."""
        return self._seconds(self.web), self._seconds(self.redis)


def _children(pid: int) -> list[int]:
    """Return the pids of the processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if int((entry / "stat").read_text().rpartition(")")[2].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _environment(tmp: str, redis_url: str, port: int) -> dict[str, str]:
    from cryptography.fernet import Fernet

    instance = Path(tmp) / "instance"
    return {
        "GATEKEEPER_ENV": "production",
        "GATEKEEPER_INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'gatekeeper.sqlite3'}",
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "GATEKEEPER_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "PUBLIC_BASE_URL": f"http://{HOST}:{port}",
        "GOOGLE_CLIENT_ID": "bench.apps.googleusercontent.com",
        "GOOGLE_CLIENT_SECRET": "bench-secret",
    }


def main() -> None:
    """Run the webhook benchmark and print its figures against the targets."""
    with tempfile.TemporaryDirectory(prefix="gk-bench-") as tmp, _redis() as redis:
        redis_url, redis_pid = redis
        if redis_url is None:
            print("webhook: skipped (no redis-server on PATH and BENCH_REDIS_URL unset)")
            return
        from redis import Redis

        port = _free_port()
        env = _environment(tmp, redis_url, port)
        notifications = _seed(env)
        hook = [raw_request(HOST, port, "/webhooks/google", h) for h in notifications]
        bare = [raw_request(HOST, port, "/bench/bare", h) for h in notifications]
        client = Redis.from_url(redis_url)
        with _gunicorn(env, port, Path(tmp) / "gunicorn.log") as server:
            meter = CpuMeter(_children(server.pid), [redis_pid] if redis_pid else [])
            measured = asyncio.run(_measure(port, bare, hook, client, meter))
            pairs, latency, queued, drained, taken = measured
        client.close()
    _report(redis_url, pairs, latency, drained, queued, taken)


async def _measure(
    port: int, bare: list[bytes], hook: list[bytes], client: Redis, meter: CpuMeter
) -> tuple[list[tuple[Result, Result]], Result, int, Result, int]:
    """Run the rounds and the two latency runs over one pool of connections."""
    pool = Pool(HOST, port, CONNECTIONS)
    await pool.open()
    try:

        async def rounds(requests: list[bytes]) -> Result:
            web, redis = meter.seconds()
            result = await pool.closed_loop(
                requests, duration=ROUND_SECONDS, max_requests=MAX_REQUESTS
            )
            web_after, redis_after = meter.seconds()
            result.server_cpu = web_after - web
            result.redis_cpu = redis_after - redis
            return result

        await rounds(bare)  # warm-up: imports, caches, every worker thread
        await rounds(hook)
        pairs = [(await rounds(bare), await rounds(hook)) for _ in range(ROUNDS)]
        latency = await pool.open_loop(hook, rate=RATE, count=LATENCY_COUNT)
        queued = int(client.llen("rq:queue:gatekeeper"))
        with _draining(client) as taken:
            drained = await pool.open_loop(hook, rate=RATE, count=LATENCY_COUNT)
    finally:
        pool.close()
    return pairs, latency, queued, drained, taken[0]


def _report(
    redis_url: str,
    pairs: list[tuple[Result, Result]],
    latency: Result,
    drained: Result,
    queued: int,
    taken: int,
) -> None:
    # Rounds run back to back in pairs, so each pair's ratio compares the two routes
    # under the same background load; the median of those is the figure.
    ratios = sorted(hook.rate / bare.rate for bare, hook in pairs)
    ratio = statistics.median(ratios)
    best_bare = max(bare.rate for bare, _ in pairs)
    best_hook = max(hook.rate for _, hook in pairs)
    print(
        f"webhook: gunicorn {WORKERS} gthread workers x {THREADS} threads, {CONNECTIONS} "
        f"keep-alive connections, {ACCOUNTS} channels, Redis at {redis_url}"
    )
    print(
        f"  throughput ({ROUNDS} pairs of {ROUND_SECONDS:g} s rounds): bare route "
        f"{', '.join(f'{b.rate:,.0f}' for b, _ in pairs)}/s; webhook "
        f"{', '.join(f'{h.rate:,.0f}' for _, h in pairs)}/s; best {best_bare:,.0f} vs "
        f"{best_hook:,.0f} ({best_hook / best_bare:.2f})"
    )
    bare_n = sum(b.count for b, _ in pairs)
    hook_n = sum(h.count for _, h in pairs)
    cpu_bare = sum(b.server_cpu + b.redis_cpu for b, _ in pairs) / bare_n
    cpu_hook = sum(h.server_cpu + h.redis_cpu for _, h in pairs) / hook_n
    redis_hook = sum(h.redis_cpu for _, h in pairs) / hook_n
    print(
        f"  server CPU per request (gunicorn workers and Redis; other load on the machine "
        f"barely moves it): bare {cpu_bare * 1e6:.0f} us, webhook {cpu_hook * 1e6:.0f} us "
        f"(of which Redis {redis_hook * 1e6:.0f} us), ratio {cpu_bare / cpu_hook:.2f}"
    )
    print(
        f"  ratio webhook/bare, median of the pairs: {ratio:.2f} (pairs "
        f"{', '.join(f'{r:.2f}' for r in ratios)}; target >= {TARGET_RATIO:.2f}): "
        f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}"
    )
    for name, result in (
        ("duplicates only", latency),
        (f"queue drained every {DRAIN_SECONDS:g} s", drained),
    ):
        p50, p99 = result.percentile(0.50) * 1000, result.percentile(0.99) * 1000
        worst = max(result.latencies, default=float("nan")) * 1000
        print(
            f"  latency at {RATE}/s, {name}: {result.count} notifications, p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms, max {worst:.1f} ms (target p99 <= {TARGET_P99_MS:.0f} ms): "
            f"{'OK' if p99 <= TARGET_P99_MS else 'ABOVE TARGET'}"
        )
    answers = [_statuses(r) for pair in pairs for r in pair] + [
        _statuses(latency),
        _statuses(drained),
    ]
    print(
        f"  answers: {'; '.join(sorted(set(answers)))}; sync jobs waiting before the drain: "
        f"{queued} for {ACCOUNTS} accounts "
        f"({'one each' if queued == ACCOUNTS else 'UNEXPECTED'}); {taken} enqueued anew "
        "while draining"
    )


if __name__ == "__main__":
    main()
