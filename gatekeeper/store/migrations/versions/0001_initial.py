"""Initial schema: accounts, account settings, and the decision log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The models' UTCDateTime stores exactly this; migrations stay independent of app code.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("refresh_token_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("mode IN ('enforce', 'flag', 'dry-run')", name=op.f("ck_accounts_mode")),
        sa.CheckConstraint(
            "provider IN ('google', 'ics', 'demo')", name=op.f("ck_accounts_provider")
        ),
        sa.CheckConstraint("status IN ('active', 'disconnected')", name=op.f("ck_accounts_status")),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_accounts_email_lower")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
    )
    op.create_table(
        "account_settings",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("hourly_rate", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("working_days", sa.JSON(), nullable=True),
        sa.Column("work_start", sa.Time(), nullable=True),
        sa.Column("work_end", sa.Time(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("deep_work_goal", sa.Float(), nullable=True),
        sa.Column("rules_yaml", sa.Text(), nullable=True),
        sa.Column("allow_list", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_settings_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_settings")),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTC_DATETIME, nullable=False),
        sa.Column("calendar_event_id", sa.String(length=1024), nullable=True),
        sa.Column("uid", sa.String(length=1024), nullable=False),
        sa.Column("recurrence_id", UTC_DATETIME, nullable=True),
        sa.Column("event_version", sa.String(length=256), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("organizer", sa.String(length=320), nullable=False),
        sa.Column("starts_at", UTC_DATETIME, nullable=False),
        sa.Column("ends_at", UTC_DATETIME, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("executed", sa.Boolean(), nullable=False),
        sa.Column("executed_at", UTC_DATETIME, nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("has_agenda", sa.Boolean(), nullable=False),
        sa.Column("has_preread", sa.Boolean(), nullable=False),
        sa.Column("focus_conflict", sa.Boolean(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("escalation", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "action IN ('none', 'flag', 'decline', 'tentative', 'accept')",
            name=op.f("ck_decisions_action"),
        ),
        sa.CheckConstraint(
            "mode IN ('enforce', 'flag', 'dry-run')", name=op.f("ck_decisions_mode")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_decisions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions") as batch:
        batch.create_index("ix_decisions_event", ["account_id", "uid", "recurrence_id"])
        batch.create_index("ix_decisions_account_decided", ["account_id", "decided_at"])
        batch.create_index("ix_decisions_decided_at", ["decided_at"])
        batch.create_index("ix_decisions_organizer", ["organizer"])
        batch.create_index("ix_decisions_rule", ["rule"])
        batch.create_index("ix_decisions_action", ["action"])


def downgrade() -> None:
    op.drop_table("decisions")
    op.drop_table("account_settings")
    op.drop_table("accounts")
