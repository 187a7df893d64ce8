"""Search on PostgreSQL: a stored, weighted tsvector column with its own GIN index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:15:00.000000

Revision 0002 indexed an expression: matching used the index, but ranking (``ts_rank_cd``) and the
title-first order converted every matching text again at query time (0.14 ms per match; seconds
for a word as common as "data"). The column keeps the vector, the title's lexemes weighted A and
the text's B, so the rank reads what is stored. The 'simple' configuration (no stemming, no stop
words) stays: it treats every language alike, as SQLite's FTS5 ``unicode61`` does, so both
backends find the same items for the same query (a stemmed 'german' or 'english' vector would
need the query's language, which a search box does not say). SQLite is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copied, not imported, from monitor.storage.search (a revision keeps creating what it created);
# a test checks they agree. Text past 100,000 characters is not indexed (tsvector limit: 1 MB).
PG_SEARCH_COLUMN = "search_vector"
PG_SEARCH_EXPRESSION = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, left(coalesce(text, ''), 100000)), 'B')"
)
# Revision 0002's expression index, dropped here and re-created by the downgrade.
OLD_VECTOR = "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || left(coalesce(text, ''), 100000))"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE articles ADD COLUMN {PG_SEARCH_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({PG_SEARCH_EXPRESSION}) STORED"
    )
    op.execute(f"CREATE INDEX ix_articles_search_vector ON articles USING gin ({PG_SEARCH_COLUMN})")
    op.execute("DROP INDEX IF EXISTS ix_articles_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin (({OLD_VECTOR}))")
    op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
    op.execute(f"ALTER TABLE articles DROP COLUMN IF EXISTS {PG_SEARCH_COLUMN}")
