"""Alembic, configured in code: upgrade, inspect and compare the schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from gatekeeper.store.database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(
    database: Database | None = None,
    url: str | None = None,
    *,
    migrations_dir: Path = MIGRATIONS_DIR,
) -> AlembicConfig:
    """Return an Alembic config for our migrations, bound to a database or URL."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(migrations_dir))
    if database is not None:
        config.attributes["engine"] = database.engine
    elif url is not None:
        # ConfigParser treats % as interpolation; URL-encoded passwords contain it.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (the latest by default)."""
    command.upgrade(alembic_config(database), revision)


def create_revision(
    database: Database,
    message: str,
    *,
    autogenerate: bool = True,
    migrations_dir: Path = MIGRATIONS_DIR,
) -> str:
    """Write a new migration file, comparing the models with the database when asked.

    Revisions are numbered 0001, 0002 ... so that the files sort in the order they apply.
    """
    config = alembic_config(database, migrations_dir=migrations_dir)
    head = ScriptDirectory.from_config(config).get_current_head() or "0000"
    rev_id = f"{int(head) + 1:04d}" if head.isdigit() else None
    script = command.revision(config, message=message, autogenerate=autogenerate, rev_id=rev_id)
    scripts = script if isinstance(script, list) else [script]
    return ", ".join(s.revision for s in scripts if s is not None)


@cache
def head_revision() -> str:
    """Return the newest migration's revision id."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(database: Database) -> str | None:
    """Return the revision the database is at (None for an empty database)."""
    with database.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    return str(revision) if revision else None


def is_at_head(database: Database) -> bool:
    """Return True when the database schema is at the newest migration."""
    return current_revision(database) == head_revision()


def schema_differences(database: Database) -> list[Any]:
    """Return Alembic's autogenerate diff between the models and the database (empty = same)."""
    from alembic.autogenerate import compare_metadata

    from gatekeeper.store.models import Base

    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=comparison_options(connection))
        return list(compare_metadata(context, Base.metadata))


def comparison_options(connection: Connection) -> dict[str, Any]:
    """Return the options env.py and the comparison share, so both see the same diff."""
    return {
        "compare_type": True,
        "render_as_batch": connection.dialect.name == "sqlite",
    }
