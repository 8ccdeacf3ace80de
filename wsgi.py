"""The WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from __future__ import annotations

import logging

from gatekeeper import create_app

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
app = create_app()
