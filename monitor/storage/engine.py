"""Opens the database: one engine per process, SQLite tuned for a crawler writing while a reader reads."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from monitor.errors import ConfigError, DatabaseUnavailable
from monitor.storage.models import Base

log = logging.getLogger(__name__)

# Milliseconds a writer waits for another writer's lock before SQLite says "database is locked";
# long enough for a digest read or a concurrent upsert batch, short enough to report a stuck peer.
SQLITE_BUSY_TIMEOUT_MS = 15000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine for ``url``; a SQLite file's folder is created, a bad URL is a config error.

    ``options`` go to ``create_engine`` (e.g. ``poolclass=NullPool`` for a lock's own connection).
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError("--db", "database_url", f"cannot parse database URL {url!r}: {exc}") from exc
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 10}
    kwargs.update(options)
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError("--db", "database_url", f"unsupported database URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_connection(engine: Engine) -> None:
    """Fail fast, before any fetch, when the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError) as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(f"database {engine.url.render_as_string(hide_password=True)}: {reason}") from exc


def create_schema(engine: Engine) -> None:
    """Create a new database at the latest revision; an outdated one raises SchemaOutdated."""
    from monitor.storage.migrations import ensure_schema

    ensure_schema(engine)


def open_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """Connect, check, create a new database's schema, and return the engine and a session factory."""
    engine = make_engine(url)
    try:
        check_connection(engine)
        create_schema(engine)
    except BaseException:
        engine.dispose()  # no pooled connection outlives a failed open
        raise
    return engine, sessionmaker(engine, expire_on_commit=False)


__all__ = ["Base", "check_connection", "create_schema", "make_engine", "open_database"]
