"""The Database object: one engine and one session factory per app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from gatekeeper.config import mask_url


class Database:
    """Hold the engine and sessionmaker; nothing connects until first use."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = _make_engine(url, echo=echo)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({self.display_url!r})"

    @property
    def display_url(self) -> str:
        """Return the URL with its password masked, for logs and pages."""
        return mask_url(self.url) or ""

    @property
    def is_sqlite(self) -> bool:
        """Return True for an SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        with self.sessionmaker() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def check(self) -> tuple[bool, str]:
        """Return (ok, detail) after a round trip to the database."""
        from gatekeeper.store.migrate import head_revision

        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                revision = _current_revision(connection)
        except SQLAlchemyError as exc:
            return False, f"{self.engine.dialect.name}: {first_line(exc)}"
        head = head_revision()
        if revision == head:
            state = f"schema at head ({head})"
        elif revision is None:
            state = "schema not created (run `python -m gatekeeper db upgrade`)"
        else:
            state = f"schema at {revision}, head is {head} (run `python -m gatekeeper db upgrade`)"
        return True, f"{self.engine.dialect.name}: {state}"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def first_line(exc: BaseException) -> str:
    """Return the first line of a database error, without SQLAlchemy's background link."""
    original = getattr(exc, "orig", None)
    message = str(original if original is not None else exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__


def _current_revision(connection: Connection) -> str | None:
    # Read directly: Alembic's MigrationContext logs at INFO on every call (every /healthz).
    if not inspect(connection).has_table("alembic_version"):
        return None
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(revision) if revision else None


def _make_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    options: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or parsed.query.get("mode") == "memory"
        if in_memory:
            # Every new connection to :memory: is a new empty database; share one.
            options["poolclass"] = StaticPool
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
        engine = create_engine(parsed, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        options["connect_args"] = {"connect_timeout": 5}
    return create_engine(parsed, **options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
