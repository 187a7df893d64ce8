"""The database of a dry run: read, never written.

A dry run asks what a run asks (is this URL stored? which listings did the last run leave
unfinished? which signatures are recent?), so that it previews what a run would store *now*; it
writes nothing: no article, no run row, no endpoint health, no validator, no alias. Three layers
make sure of it:

* the repository's write methods are no-ops (``ReadOnlyRepository``), and it hands out no
  validators, so every feed, sitemap and listing is read in full (a preview of a 304 is empty);
* the connection itself refuses writes: SQLite's ``PRAGMA query_only`` (or, when a write-ahead
  log is pending, a read-only open, which leaves the file and its log as they were), PostgreSQL's
  read-only session (``SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY``);
* a database not made yet (a SQLite file that does not exist, an empty PostgreSQL schema) is not
  made, nor a SQLite file's folder: the dry run reads an empty in-memory database instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import quote

from sqlalchemy import event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from monitor.storage import Database, Repository, open_database
from monitor.storage.engine import SQLITE_BUSY_TIMEOUT_MS, check_connection, make_engine
from monitor.storage.repository import EndpointState

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy import Engine
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

    from monitor.storage.records import ArticleRecord, CitedDocument, EndpointResult


class ReadOnlyRepository(Repository):
    """A repository whose reads are the database's and whose writes go nowhere."""

    def ensure_source(self, *args: Any, **kwargs: Any) -> None:
        return None

    def record_aliases(self, aliases: dict[str, str]) -> None:
        return None

    def record_endpoint(self, result: EndpointResult) -> None:
        return None

    def remember_documents(self, documents: Iterable[CitedDocument]) -> None:
        return None

    def forget_documents(self, canonical_urls: Iterable[str]) -> None:
        return None

    def document_failed(self, canonical_url: str, error: str) -> int:
        return 0

    def endpoint_state(self, url: str) -> EndpointState | None:
        return None  # no conditional GET: a preview shows what the entry point holds now

    # Never called in a dry run: the preview sink replaces the store stage, and no run is recorded.
    def upsert_article(self, record: ArticleRecord) -> NoReturn:
        raise AssertionError("a dry run stores nothing")

    def start_run(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("a dry run records no run")

    def finish_run(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("a dry run records no run")


class PreviewDatabase(Database):
    """A ``Database`` whose repository is a ``ReadOnlyRepository``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "repository", ReadOnlyRepository(self.sessions))


def _query_only(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _pg_read_only(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database, an in-memory one or a ``file:`` URI)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _read_only_engine(url: str, path: Path | None) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = make_engine(url)
        event.listen(engine, "connect", _pg_read_only)  # not by ``options``: the URL's own (search_path) stay
        return engine
    if path is not None and Path(f"{path}-wal").exists():
        # A write-ahead log another process left (or is writing): the last connection to close
        # would fold it into the file, a write. Opened read-only, the file and its log stay as found.
        return make_engine(f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true")
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _query_only)  # after make_engine's own pragmas (WAL first)
    return engine


def _empty_database() -> Database:
    """One in-memory database for every thread of the crawl, with the tables a crawl reads, and
    nothing on disk: made from the models, without the migrations (no Alembic, no migration lock)."""
    from monitor.storage.models import Base

    engine = make_engine(
        "sqlite://",
        poolclass=StaticPool,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    Base.metadata.create_all(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


def _has_schema(engine: Engine) -> bool:
    check_connection(engine)  # an unreachable database is one line and exit 1, as for a run
    with engine.connect() as connection:
        return inspect(connection).has_table("articles")


def open_preview_database(url: str) -> Database:
    """The dry run's view of the database at ``url``; one not made yet (an absent SQLite file, an
    empty PostgreSQL schema) is read as empty, and stays not made."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        database = _empty_database()
    else:
        engine = _read_only_engine(url, path)
        if _has_schema(engine):
            database = open_database(engine)  # at the schema's head, or SchemaOutdated (exit 2)
        else:
            engine.dispose()
            database = _empty_database()
    return PreviewDatabase(database.engine, database.sessions)
