"""Reading a database as another process sees it, while a run writes to it."""

from __future__ import annotations


def count_rows(database_url: str, table: str) -> int:
    """Rows in ``table``; 0 while the schema does not exist yet."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    from monitor.storage.engine import make_engine

    engine = make_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()
