"""Alembic environment: finds the database from the caller, the config, or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from gatekeeper.store.database import Database
from gatekeeper.store.migrate import comparison_options
from gatekeeper.store.models import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> tuple[Engine, bool]:
    """Return the engine to migrate and whether this module created it (and must dispose it)."""
    engine = config.attributes.get("engine")
    if isinstance(engine, Engine):
        return engine, False
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from gatekeeper.config import Config

        url = Config.from_env().database_url
    return Database(url).engine, True


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        **comparison_options(connection),
    )


def run_offline() -> None:
    """Write the SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    engine, _owned = _engine()
    context.configure(
        url=engine.url,
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on a live connection."""
    engine, owned = _engine()
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
