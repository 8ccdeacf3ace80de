"""Jobs of the channels service (run by RQ, or inline without Redis)."""

from __future__ import annotations

from gatekeeper.jobs.context import app_job, job_app


@app_job
def renew_channels_job() -> dict[str, object]:
    """Renew expiring channels of every account; fail (so RQ retries) if any account failed."""
    from gatekeeper.channels.renew import renew_channels
    from gatekeeper.errors import CalendarError

    report = renew_channels(job_app())
    if report.failed:
        details = "; ".join(f"{email}: {error}" for email, error in sorted(report.failed.items()))
        count = len(report.failed)
        raise CalendarError(f"channel renewal failed for {count} account(s): {details}")
    return {"opened": report.opened, "stopped": report.stopped, "kept": report.kept}


@app_job
def watch_account_job(account_id: int) -> str:
    """Make sure one account is watched (after connecting it); say what was done.

    A refused grant disconnects the account instead of failing, so RQ does not retry it.
    """
    from gatekeeper.accounts.service import disconnect
    from gatekeeper.channels.renew import ensure_watched
    from gatekeeper.errors import AuthError

    app = job_app()
    try:
        return ensure_watched(app, account_id)
    except AuthError as exc:
        disconnect(app, account_id, str(exc))
        return "disconnected"
