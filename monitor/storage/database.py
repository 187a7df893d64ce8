"""Opens a database for use: engine, connection check, schema, sessions and the repository.

Above ``engine`` (which makes engines) and ``migrations`` (which brings a new database to the
latest revision); nothing below imports this module. Whoever opens a database closes it: the
crawl's is opened once per crawler and closed with the spider (``spiders.database``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from monitor.errors import StorageError
from monitor.storage.engine import check_connection, first_line, make_engine
from monitor.storage.migrations import ensure_schema
from monitor.storage.repository import Repository


@dataclass(frozen=True)
class Database:
    """An open database: the engine (for locks), a session factory, and the repository over it."""

    engine: Engine
    sessions: sessionmaker[Session]
    repository: Repository = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "repository", Repository(self.sessions))

    def close(self) -> None:
        """Close the pooled connections; the engine reconnects if used again."""
        self.engine.dispose()


def open_database(target: str | Engine) -> Database:
    """Connect, check, create a new database's schema (an outdated one raises SchemaOutdated).

    ``target`` is a URL, or an engine made for it already (e.g. to take the run lock first).
    """
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        check_connection(engine)
        ensure_schema(engine)
    except SQLAlchemyError as exc:  # creating the schema on a full disk, a read-only file ...
        engine.dispose()
        url = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"database {url}: cannot create or read its schema: {first_line(exc)}") from exc
    except BaseException:
        engine.dispose()  # no pooled connection outlives a failed open
        raise
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


__all__ = ["Database", "open_database"]
