"""The index page: what Gatekeeper is, until the settings pages arrive."""

from __future__ import annotations

from flask import Blueprint, render_template

from gatekeeper import get_config

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index() -> str:
    """Render the welcome page."""
    config = get_config()
    return render_template("index.html", google_enabled=config.google_enabled, env=config.env)
