"""Schema creation. The storage issue replaces ``create_all`` with Alembic revisions."""

from __future__ import annotations

from sqlalchemy import Engine

from monitor.storage.models import Base


def upgrade_to_head(engine: Engine) -> None:
    Base.metadata.create_all(engine)
