"""Alembic environment of news-monitor: configured in code (``monitor.storage.migrations``), no ini file.

The caller passes an open connection in ``config.attributes["connection"]`` so that a migration
runs inside the caller's transaction and under its migration lock.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from monitor.storage.migrations import include_object
from monitor.storage.models import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    from monitor.storage.engine import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as fresh:
        run_migrations(fresh)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("news-monitor migrations run online only: use `monitor db upgrade`")
main()
