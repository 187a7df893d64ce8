"""Cited documents not stored yet: kept until they are, so a stored article's documents are not lost

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 23:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import monitor.storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_documents",
        sa.Column("canonical_url", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("found_on", sa.String(length=2048), nullable=True),
        sa.Column("first_seen", monitor.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("canonical_url"),
    )
    with op.batch_alter_table("pending_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_documents_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_documents_source_id"))
    op.drop_table("pending_documents")
