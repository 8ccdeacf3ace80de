"""One run per account and kind (sync, focus blocks) at a time, freed when the holder dies.

Two runs of the same account (a push-triggered job and the backstop on two workers) would
both see the same change and both answer it. PostgreSQL gives a session advisory lock,
which the server drops with the connection when a worker is killed; on SQLite an
exclusive ``flock`` on a file beside the database does the same, since the kernel drops it
with the process.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from gatekeeper.errors import GatekeeperError
from gatekeeper.store.database import Database

# Namespaces of Gatekeeper's advisory locks (the first key of the two-key form).
_PG_NAMESPACES = {"sync": 0x6B7, "focus-blocks": 0x6B8}
_POLL = 0.05
_memory_locks: dict[tuple[int, str, int], threading.Lock] = {}
_memory_guard = threading.Lock()


class SyncBusy(GatekeeperError):
    """Another sync of the same account kept running for longer than we waited."""


@contextmanager
def account_lock(
    database: Database, account_id: int, *, name: str = "sync", wait: float = 60.0
) -> Iterator[None]:
    """Hold lock ``name`` ("sync" or "focus-blocks") of one account.

    Raises SyncBusy after ``wait`` seconds.
    """
    if name not in _PG_NAMESPACES:
        raise ValueError(f"unknown lock {name!r}")
    if database.engine.dialect.name == "postgresql":
        with _pg_lock(database, account_id, name, wait):
            yield
        return
    path = _lock_file(database, account_id, name)
    if path is None:
        with _thread_lock(database, account_id, name, wait):
            yield
        return
    with _file_lock(path, account_id, name, wait):
        yield


def _busy(account_id: int, name: str, wait: float) -> SyncBusy:
    return SyncBusy(
        f"account {account_id}: another {name} run of this account is still going after "
        f"{wait:g}s; try again later"
    )


@contextmanager
def _pg_lock(database: Database, account_id: int, name: str, wait: float) -> Iterator[None]:
    namespace = _PG_NAMESPACES[name]
    deadline = time.monotonic() + wait
    with database.engine.connect() as connection:
        while True:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:ns, :id)"),
                {"ns": namespace, "id": account_id},
            ).scalar()
            connection.commit()  # no transaction stays open while the sync runs
            if taken:
                break
            if time.monotonic() >= deadline:
                raise _busy(account_id, name, wait)
            time.sleep(_POLL)
        try:
            yield
        finally:
            connection.execute(
                text("SELECT pg_advisory_unlock(:ns, :id)"),
                {"ns": namespace, "id": account_id},
            )
            connection.commit()


def _lock_file(database: Database, account_id: int, name: str) -> Path | None:
    """Return the lock file of an account beside an SQLite file (None: in-memory)."""
    name = make_url(database.url).database or ""
    if name in ("", ":memory:") or name.startswith("file:"):
        return None
    db_file = Path(name).expanduser().resolve()
    return db_file.parent / f"{db_file.name}.sync-locks" / f"{name}-{account_id}.lock"


@contextmanager
def _file_lock(path: Path, account_id: int, name: str, wait: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(account_id, name, wait) from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _thread_lock(database: Database, account_id: int, name: str, wait: float) -> Iterator[None]:
    with _memory_guard:
        lock = _memory_locks.setdefault((id(database), name, account_id), threading.Lock())
    if not lock.acquire(timeout=wait):
        raise _busy(account_id, name, wait)
    try:
        yield
    finally:
        lock.release()
