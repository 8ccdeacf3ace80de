"""Gatekeeper: screens meeting invites by a person's YAML rules.

Importing this package imports nothing else (no Flask, no database): ``screening`` and
``domain`` stay pure. ``create_app`` builds and wires everything.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.config import Config
    from gatekeeper.jobs.queue import JobQueue
    from gatekeeper.store.database import Database

log = logging.getLogger("gatekeeper")

CONFIG_KEY = "gatekeeper.config"
DB_KEY = "gatekeeper.db"
QUEUE_KEY = "gatekeeper.queue"

# Each module exposes a Blueprint named ``bp``.
BLUEPRINT_MODULES = (
    "gatekeeper.web.health",
    "gatekeeper.web.home",
    "gatekeeper.web.webhooks",
    "gatekeeper.web.auth",
    "gatekeeper.web.log",
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings, database, queue and blueprints.

    ``test_config`` overrides environment variables by name (``DATABASE_URL``,
    ``REDIS_URL`` ...; an empty string unsets one), may set ``INSTANCE_PATH``, and any
    other key goes to ``app.config`` as in Flask's tutorial (e.g. ``TESTING``).
    """
    from flask import Flask

    from gatekeeper.config import ENV_NAMES, Config
    from gatekeeper.jobs.queue import make_queue
    from gatekeeper.store.database import Database

    overrides = dict(test_config or {})
    environ = dict(os.environ)
    for name in ENV_NAMES:
        if name in overrides:
            environ[name] = str(overrides.pop(name) or "")
    instance_path = overrides.pop("INSTANCE_PATH", None)
    config = Config.from_env(environ, instance_path=instance_path)

    app = Flask(__name__, instance_path=str(config.instance_path))
    app.config.from_mapping(
        SECRET_KEY=config.secret_key,
        GATEKEEPER_ENV=config.env,
        PREFERRED_URL_SCHEME="https" if config.public_base_url.startswith("https") else "http",
    )
    app.config.update(overrides)
    app.extensions[CONFIG_KEY] = config

    database = Database(config.database_url)
    app.extensions[DB_KEY] = database
    _prepare_schema(database)

    queue = make_queue(config.redis_url)
    app.extensions[QUEUE_KEY] = queue
    if queue.kind == "inline":
        log.info("REDIS_URL unset: jobs run inline in-process")
    else:
        log.info("jobs go to RQ at %s", _masked(config.redis_url))

    for name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(name).bp)
    return app


def get_config(app: Flask | None = None) -> Config:
    """Return the validated settings of ``app`` (default: the current app)."""
    return _extension(app, CONFIG_KEY)  # type: ignore[no-any-return]


def get_db(app: Flask | None = None) -> Database:
    """Return the Database of ``app`` (default: the current app)."""
    return _extension(app, DB_KEY)  # type: ignore[no-any-return]


def get_queue(app: Flask | None = None) -> JobQueue:
    """Return the job queue of ``app`` (default: the current app)."""
    return _extension(app, QUEUE_KEY)  # type: ignore[no-any-return]


def _extension(app: Flask | None, key: str) -> Any:
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions[key]


def _masked(url: str | None) -> str | None:
    from gatekeeper.config import mask_url

    return mask_url(url)


def _prepare_schema(database: Database) -> None:
    """Upgrade the embedded SQLite schema; on a server database only check it is current."""
    from sqlalchemy.exc import SQLAlchemyError

    from gatekeeper.store import migrate
    from gatekeeper.store.database import first_line

    log.info("database: %s", database.display_url)
    if database.is_sqlite:
        migrate.upgrade(database)
        return
    try:
        current = migrate.current_revision(database)
    except SQLAlchemyError as exc:
        log.warning(
            "database unreachable at start-up (%s): %s", database.display_url, first_line(exc)
        )
        return
    head = migrate.head_revision()
    if current != head:
        log.warning(
            "database schema is at %s but the code expects %s; "
            "run `python -m gatekeeper db upgrade` (the Procfile release step does this)",
            current or "nothing (empty database)",
            head,
        )
