"""Run coverage: the run behind each endpoint's pending validators, and the sources a run covered

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import monitor.storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_sources",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "source_id"),
    )
    with op.batch_alter_table("run_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_sources_source_id"), ["source_id"], unique=False)

    with op.batch_alter_table("endpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_run_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("last_complete_at", monitor.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    # Pending validators from before this revision belong to no known run: whichever run left
    # them, none may promote them now. Marking them unfinished makes the next run read those
    # endpoints in full and page their listings on.
    op.execute(
        "UPDATE endpoints SET pending_run_id = 0 WHERE pending_etag IS NOT NULL OR pending_last_modified IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("endpoints", schema=None) as batch_op:
        batch_op.drop_column("last_complete_at")
        batch_op.drop_column("pending_run_id")

    with op.batch_alter_table("run_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_sources_source_id"))

    op.drop_table("run_sources")
