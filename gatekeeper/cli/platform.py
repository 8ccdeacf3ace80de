"""Platform commands: ``db upgrade|current|revision``, ``serve``, ``worker``."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from typing import TYPE_CHECKING, Any

from gatekeeper import get_db
from gatekeeper.errors import ConfigError

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.config import Config


def register(subparsers: Any) -> None:
    """Add the platform commands to the top-level parser."""
    db = subparsers.add_parser("db", help="manage the database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.required = True
    upgrade = db_sub.add_parser("upgrade", help="apply every pending migration")
    upgrade.set_defaults(func=db_upgrade)
    current = db_sub.add_parser("current", help="print the schema revision and the newest one")
    current.set_defaults(func=db_current)
    revision = db_sub.add_parser("revision", help="write a migration for changed models")
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument(
        "--empty", action="store_true", help="an empty migration (no comparison with the models)"
    )
    revision.set_defaults(func=db_revision)

    serve = subparsers.add_parser("serve", help="run the web app (gunicorn, else werkzeug)")
    serve.add_argument("--host", default="localhost", help="interface (default: localhost)")
    serve.add_argument("--port", type=int, help="port (default: $PORT, else 8000)")
    serve.add_argument("--workers", type=int, default=2, help="gunicorn workers (default: 2)")
    serve.set_defaults(func=serve_command)

    worker = subparsers.add_parser("worker", help="run the RQ worker with its scheduler")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(func=worker_command)


def db_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the database at DATABASE_URL to the newest schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper.store import migrate
    from gatekeeper.store.database import Database, first_line

    config = _config()
    if config is None:
        return 2
    database = Database(config.database_url)
    try:
        migrate.upgrade(database)
        revision = migrate.current_revision(database)
    except SQLAlchemyError as exc:
        _error(f"cannot upgrade the database at {database.display_url}: {first_line(exc)}")
        return 2
    finally:
        database.dispose()
    print(f"database {database.display_url} is at revision {revision} (head)")
    return 0


def db_current(args: argparse.Namespace) -> int:
    """Print the schema revision of the database and the newest migration."""
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper.store import migrate
    from gatekeeper.store.database import Database, first_line

    config = _config()
    if config is None:
        return 2
    database = Database(config.database_url)
    try:
        revision = migrate.current_revision(database)
    except SQLAlchemyError as exc:
        _error(f"cannot reach the database at {database.display_url}: {first_line(exc)}")
        return 2
    finally:
        database.dispose()
    head = migrate.head_revision()
    state = "up to date" if revision == head else "needs `python -m gatekeeper db upgrade`"
    print(f"database {database.display_url}: revision {revision or 'none'}, head {head} ({state})")
    return 0 if revision == head else 1


def db_revision(args: argparse.Namespace) -> int:
    """Write a new migration (compared with an up-to-date database unless --empty)."""
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper.store import migrate
    from gatekeeper.store.database import Database, first_line

    config = _config()
    if config is None:
        return 2
    database = Database(config.database_url)
    try:
        revision = migrate.create_revision(database, args.message, autogenerate=not args.empty)
    except SQLAlchemyError as exc:
        _error(f"cannot reach the database at {database.display_url}: {first_line(exc)}")
        return 2
    finally:
        database.dispose()
    print(f"wrote migration {revision} to {migrate.MIGRATIONS_DIR / 'versions'}")
    return 0


def serve_command(args: argparse.Namespace) -> int:
    """Serve the app on http://HOST:PORT until interrupted."""
    _log_to_stderr()
    config = _config()
    if config is None:
        return 2
    port = args.port or config.port
    if not 1 <= port <= 65535:
        _error(f"--port must be between 1 and 65535, got {port}")
        return 2
    host = args.host
    shown = f"[{host}]" if ":" in host else host
    print(f"Gatekeeper on http://{shown}:{port}/ (Ctrl+C to stop)", flush=True)
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper.store.database import first_line

    try:
        # Built once up front so a broken database is reported here, not in every worker.
        app = _app()
    except SQLAlchemyError as exc:
        _error(f"database: {first_line(exc)}")
        return 2
    if importlib.util.find_spec("gunicorn") is not None:
        get_db(app).dispose()
        _serve_gunicorn(host, port, args.workers)
    else:
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True)
    return 0


def worker_command(args: argparse.Namespace) -> int:
    """Run the RQ worker (with its scheduler) on REDIS_URL."""
    from redis.exceptions import RedisError
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper.jobs.worker import run_worker
    from gatekeeper.store.database import first_line

    _log_to_stderr()
    try:
        run_worker(_app(), burst=args.burst)
    except ConfigError as exc:
        _error(str(exc))
        return 2
    except RedisError as exc:
        _error(f"cannot reach Redis: {exc}")
        return 2
    except SQLAlchemyError as exc:
        _error(f"database: {first_line(exc)}")
        return 2
    return 0


def _serve_gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    class Server(BaseApplication):  # type: ignore[misc]
        """Gunicorn, configured here rather than by its command line."""

        def load_config(self) -> None:
            self.cfg.set("bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
            self.cfg.set("workers", max(1, workers))
            self.cfg.set("accesslog", "-")

        def load(self) -> Flask:
            # Each gunicorn worker builds its own app, so no connection crosses a fork.
            return _app()

    Server().run()


def _app() -> Flask:
    from gatekeeper import create_app

    return create_app()


def _config() -> Config | None:
    from gatekeeper.config import Config

    try:
        return Config.from_env()
    except ConfigError as exc:
        _error(str(exc))
        return None


def _log_to_stderr() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic announces each of its plugins at INFO on every start; that is noise here.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
