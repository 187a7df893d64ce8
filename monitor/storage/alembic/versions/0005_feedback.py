"""Web app: accounts, analysts' judgements, mutes, the session signing key, the flagged-list index

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import monitor.storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = monitor.storage.types.UTCDateTime(timezone=True)
PG_NEWEST_INDEX = "ix_articles_flagged_newest"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("password_changed_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "judgements",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("judged_at", _WHEN, nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_judgements_verdict"), ["verdict"], unique=False)
        batch_op.create_index(batch_op.f("ix_judgements_judged_at"), ["judged_at"], unique=False)
    op.create_table(
        "mutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "topic", "value"),
    )
    # A plain CREATE INDEX, not a batch: a batch copy of ``articles`` would drop the FTS5 triggers.
    op.create_index("ix_articles_flagged_published", "articles", ["flagged", "published_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL walks an index for ``published_at DESC NULLS LAST`` only if it is built in that
        # order (an ascending one read backwards gives NULLS FIRST). Outside the ORM metadata, like
        # the search index (``migrations.SEARCH_INDEXES``).
        op.execute(
            f"CREATE INDEX {PG_NEWEST_INDEX} ON articles (published_at DESC NULLS LAST, id DESC) WHERE flagged IS TRUE"
        )
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("app_secrets")
    op.drop_index("ix_articles_flagged_published", table_name="articles")
    op.execute(f"DROP INDEX IF EXISTS {PG_NEWEST_INDEX}")
    op.drop_table("mutes")
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_judgements_judged_at"))
        batch_op.drop_index(batch_op.f("ix_judgements_verdict"))
    op.drop_table("judgements")
    op.drop_table("users")
