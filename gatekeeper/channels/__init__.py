"""Google push notification channels: open, renew before expiry, stop."""

from __future__ import annotations

from gatekeeper.channels.renew import RENEW_WITHIN, Renewal, ensure_watched, renew_channels
from gatekeeper.channels.watch import (
    CHANNEL_TTL,
    WEBHOOK_PATH,
    start_watch,
    stop_account_channels,
    stop_channel,
    webhook_address,
)

__all__ = [
    "CHANNEL_TTL",
    "RENEW_WITHIN",
    "WEBHOOK_PATH",
    "Renewal",
    "ensure_watched",
    "renew_channels",
    "start_watch",
    "stop_account_channels",
    "stop_channel",
    "webhook_address",
]
