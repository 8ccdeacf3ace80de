"""The app a job runs in: the caller's app inline, the worker's app under RQ."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from flask import Flask

P = ParamSpec("P")
R = TypeVar("R")

_app: Flask | None = None


def job_app() -> Flask:
    """Return the current Flask app, creating one from the environment when there is none."""
    global _app
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    if _app is None:
        from gatekeeper import create_app

        _app = create_app()
    return _app


def app_job(func: Callable[P, R]) -> Callable[P, R]:
    """Run the decorated job inside an app context (the caller's, or one made for it)."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from flask import has_app_context

        if has_app_context():
            return func(*args, **kwargs)
        with job_app().app_context():
            return func(*args, **kwargs)

    return run
