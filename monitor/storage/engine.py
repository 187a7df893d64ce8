"""Makes the engine: SQLite tuned for a crawler writing while a reader reads, PostgreSQL on psycopg 3.

A leaf of ``monitor.storage``: it knows nothing of migrations or locks. ``database.open_database``
puts engine, connection check and schema together.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from monitor.errors import ConfigError, DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor
    from sqlalchemy.pool import ConnectionPoolEntry

log = logging.getLogger(__name__)

# Milliseconds a writer waits for another writer's lock before SQLite says "database is locked";
# long enough for a digest read or a concurrent upsert batch, short enough to report a stuck peer.
SQLITE_BUSY_TIMEOUT_MS = 15000


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    set_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def set_wal(cursor: DBAPICursor, timeout: float = SQLITE_BUSY_TIMEOUT_MS / 1000) -> None:
    """``PRAGMA journal_mode=WAL``, retried while SQLite answers "database is locked".

    WAL is a property of the file, set by its first connection; a second process opening a new
    database while the first one converts it can be refused at once, without SQLite's busy handler
    (two ``monitor run`` started together on a new file: one died with "database is locked" before
    it reached the crawl lock that would have told it "already running"). Waiting as the busy
    timeout would lets it go on.
    """
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine for ``url``; a SQLite file's folder is created, a bad URL is a config error.

    ``options`` go to ``create_engine`` (e.g. ``poolclass=NullPool`` for a one-off connection).
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


def first_line(exc: BaseException) -> str:
    """The driver's own message (not SQLAlchemy's wrapper with the SQL and a link), one line."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__


def check_connection(engine: Engine) -> None:
    """Fail fast, before any fetch, when the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(f"database {url}: {first_line(exc)}") from exc


__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "check_connection", "first_line", "make_engine", "set_wal"]
