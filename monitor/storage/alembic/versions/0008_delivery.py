"""Delivery: the outbox covers every channel and cadence, and source-health alerts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:20:00.000000

A ``digests`` row is now one message of one subscription (its key in ``recipient``: the e-mail
address of a ``recipients`` entry, or a ``subscriptions`` entry's name) for one window and
cadence (``daily``, ``weekly``, ``immediate``, or ``alert`` for a source-health message, whose
source and state it names). ``next_attempt_at`` is when a pending row may be tried again
(exponential backoff). Existing rows are daily e-mail digests.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import monitor.storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cadence", sa.String(length=16), nullable=False, server_default="daily"))
        batch_op.add_column(sa.Column("source_id", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("alert_state", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("next_attempt_at", monitor.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_digests_recipient_cadence", ["recipient", "cadence"], unique=False)
        batch_op.create_unique_constraint(
            "uq_digests_subscription_window", ["recipient", "cadence", "source_id", "window_end"]
        )


def downgrade() -> None:
    with op.batch_alter_table("digests", schema=None) as batch_op:
        batch_op.drop_constraint("uq_digests_subscription_window", type_="unique")
        batch_op.drop_index("ix_digests_recipient_cadence")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("alert_state")
        batch_op.drop_column("source_id")
        batch_op.drop_column("cadence")
