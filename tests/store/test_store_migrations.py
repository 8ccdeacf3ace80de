"""Migrations and models agree, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import inspect

from gatekeeper.store import migrate
from gatekeeper.store.database import Database


def test_migrations_match_the_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate.current_revision(db) is None
        migrate.upgrade(db)
        assert migrate.is_at_head(db)
        assert migrate.schema_differences(db) == []
    finally:
        db.dispose()


def test_empty_database_differs_from_the_models(database_url: str) -> None:
    # Proves the comparison can fail: without the migrations every table is missing.
    db = Database(database_url)
    try:
        diff = migrate.schema_differences(db)
    finally:
        db.dispose()
    added = {entry[1].name for entry in diff if entry[0] == "add_table"}
    assert {"accounts", "account_settings", "decisions"} <= added


def test_downgrade_and_upgrade_again(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate.upgrade(db)
        migrate.upgrade(db, "head")  # a second upgrade is a no-op
        from alembic import command

        command.downgrade(migrate.alembic_config(db), "base")
        assert not {"accounts", "decisions"} & set(inspect(db.engine).get_table_names())
        migrate.upgrade(db)
        assert migrate.schema_differences(db) == []
    finally:
        db.dispose()


def test_health_check_reports_the_revision(database_url: str) -> None:
    db = Database(database_url)
    try:
        ok, detail = db.check()
        assert ok and "schema not created" in detail
        migrate.upgrade(db)
        ok, detail = db.check()
        assert ok and f"schema at head ({migrate.head_revision()})" in detail
    finally:
        db.dispose()


def test_new_revision_is_numbered_after_head(sqlite_url: str, tmp_path: Path) -> None:
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    db = Database(sqlite_url)
    try:
        migrate.upgrade(db)
        revision = migrate.create_revision(db, "add nothing", migrations_dir=copy)
    finally:
        db.dispose()
    assert revision == f"{int(migrate.head_revision()) + 1:04d}"
    written = sorted(p.name for p in (copy / "versions").glob("*.py"))
    assert written[-1] == f"{revision}_add_nothing.py"
    text = (copy / "versions" / written[-1]).read_text()
    assert f"down_revision: str | Sequence[str] | None = '{migrate.head_revision()}'" in text
    # The models match the migrations, so the comparison found nothing to write.
    assert "op." not in text
