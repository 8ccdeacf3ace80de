"""Sign-in with Google (OAuth web flow), the session, and sign-out.

``current_account_id()`` and ``login_required`` are for the other pages: the session holds
the id of the account that signed in, nothing else about it.
"""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf, validate_csrf  # type: ignore[import-untyped]
from wtforms.validators import ValidationError  # type: ignore[import-untyped]

from gatekeeper import get_config, get_db, get_queue

if TYPE_CHECKING:
    from flask import Flask

    from gatekeeper.store.models import Account

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__, template_folder="templates")

AUTH_URI_KEY = "GOOGLE_AUTH_URI"  # app.config override of Google's consent page (tests)
CALLBACK_PATH = "/auth/google/callback"
SESSION_ACCOUNT = "account_id"
SESSION_EMAIL = "email"
_STATE = "oauth_state"
_VERIFIER = "oauth_code_verifier"
_NEXT = "oauth_next"

F = TypeVar("F", bound=Callable[..., Any])


def current_account_id() -> int | None:
    """Return the id of the signed-in account, or None."""
    value = session.get(SESSION_ACCOUNT)
    return value if isinstance(value, int) else None


def login_required(view: F) -> F:
    """Send visitors who are not signed in to the sign-in page, then back."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_account_id() is None:
            return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _safe_next(target: str | None) -> str:
    """Return ``target`` when it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _redirect_uri() -> str:
    return get_config().public_base_url.rstrip("/") + CALLBACK_PATH


def _auth_uri() -> str:
    from gatekeeper.accounts.oauth import GOOGLE_AUTH_URI

    return str(current_app.config.get(AUTH_URI_KEY) or GOOGLE_AUTH_URI)


def _problem(message: str, status: int = 400) -> tuple[str, int]:
    return render_template("auth/problem.html", message=message), status


@bp.get("/signin")
def signin() -> str:
    """Show the sign-in page (or why Google sign-in is off)."""
    config = get_config()
    return render_template(
        "auth/signin.html",
        google_enabled=config.google_enabled,
        redirect_uri=_redirect_uri(),
        email=session.get(SESSION_EMAIL) if current_account_id() is not None else None,
        next=_safe_next(request.args.get("next")),
        csrf_token=generate_csrf(),
    )


@bp.get("/auth/google")
def google_start() -> ResponseReturnValue:
    """Send the browser to Google's consent page, keeping state and PKCE verifier here."""
    from gatekeeper.accounts.oauth import SignInError, start

    try:
        auth = start(get_config(), auth_uri=_auth_uri(), redirect_uri=_redirect_uri())
    except SignInError as exc:
        return _problem(str(exc), 503)
    session[_STATE] = auth.state
    session[_VERIFIER] = auth.code_verifier
    session[_NEXT] = _safe_next(request.args.get("next"))
    return redirect(auth.url)


@bp.get(CALLBACK_PATH)
def google_callback() -> ResponseReturnValue:
    """Finish the sign-in: check state, exchange the code, store the grant, sign in."""
    from gatekeeper.accounts.oauth import SignInError, finish
    from gatekeeper.accounts.service import connect_google

    expected = session.pop(_STATE, None)
    verifier = session.pop(_VERIFIER, None)
    target = _safe_next(session.pop(_NEXT, None))
    if request.args.get("error"):
        error = request.args["error"]
        log.info("Google sign-in ended without consent: %s", error[:64])
        if error == "access_denied":
            return _problem("You did not allow access, so nothing was connected.", 200)
        return _problem(f"Google ended the sign-in ({error[:64]}); please start again.")
    state = request.args.get("state", "")
    # Bytes: compare_digest refuses str with non-ASCII characters, which anyone can send.
    if (
        not expected
        or not verifier
        or not hmac.compare_digest(str(expected).encode(), state.encode())
    ):
        log.warning("OAuth callback refused: state missing or not the one this session started")
        return _problem("This sign-in was not started from this browser, or it expired.")
    code = request.args.get("code", "")
    if not code:
        return _problem("Google's answer carried no authorization code; please start again.")
    try:
        grant = finish(
            get_config(),
            auth_uri=_auth_uri(),
            redirect_uri=_redirect_uri(),
            state=state,
            code_verifier=str(verifier),
            code=code,
        )
        connected = connect_google(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            grant.email,
            grant.refresh_token,
            display_name=grant.name,
        )
    except SignInError as exc:
        return _problem(str(exc))
    except ValueError as exc:
        return _problem(str(exc), 409)
    # A fresh session: nothing from before the sign-in carries over (session fixation).
    session.clear()
    session[SESSION_ACCOUNT] = connected.account_id
    session[SESSION_EMAIL] = connected.email
    _start_screening(connected.account_id)
    return redirect(target)


def _start_screening(account_id: int) -> None:
    """Watch the calendar now and queue the first sync; the backstop covers any failure."""
    from gatekeeper.channels.renew import ensure_watched
    from gatekeeper.errors import GatekeeperError
    from gatekeeper.jobs.sync import SYNC_JOB, sync_job_id

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        ensure_watched(app, account_id)
    except GatekeeperError as exc:
        log.warning("account %d: not watched yet: %s", account_id, exc)
    try:
        get_queue().enqueue(SYNC_JOB, account_id, job_id=sync_job_id(account_id))
    except Exception as exc:  # the sign-in itself succeeded; the periodic sync catches up
        log.warning("account %d: first sync not started: %s", account_id, exc)


@bp.post("/signout")
def signout() -> ResponseReturnValue:
    """Forget the session (with a CSRF check, so no other site can sign you out)."""
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return _problem("The sign-out form expired; please reload the page and try again.")
    session.clear()
    return redirect(url_for("auth.signin"))


def signed_in_account(app: Flask | None = None) -> Account | None:
    """Return the signed-in Account (or None), loaded from the database."""
    from gatekeeper.store.accounts import get_account

    account_id = current_account_id()
    if account_id is None:
        return None
    with get_db(app).session() as db_session:
        return get_account(db_session, account_id)
