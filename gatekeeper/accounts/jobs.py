"""Jobs of the accounts service (run by RQ, or inline without Redis)."""

from __future__ import annotations

import logging

from gatekeeper.jobs.context import app_job

log = logging.getLogger(__name__)


@app_job
def send_reconnect_mail_job(account_id: int, reason: str) -> str | None:
    """Mail the person that their Google connection stopped; skip if already reconnected."""
    from gatekeeper import get_config, get_db
    from gatekeeper.mail import make_mailer, reconnect_mail
    from gatekeeper.store.accounts import get_account

    with get_db().session() as session:
        account = get_account(session, account_id)
        if account is None or account.status != "disconnected":
            return None
        email, name = account.email, account.display_name
    config = get_config()
    where = make_mailer(config).send(reconnect_mail(config, email=email, reason=reason, name=name))
    log.info("account %d: reconnect mail to %s sent via %s", account_id, email, where)
    return where
