"""Run locks that die with their holder: one crawl (or digest) at a time per database.

SQLite: ``fcntl.flock`` on a file beside the database; the kernel drops the lock when the holding
process exits, SIGKILL included. PostgreSQL: a session advisory lock on a dedicated connection;
the server drops it when that connection closes, which the kernel does when the holder dies.
Neither leaves a stale lock behind that an operator must clean up by hand.

Locks take the caller's ``Engine``: the URL says which file or server, and the PostgreSQL lock's
connection is detached from the engine's pool, so that it closes (and unlocks) with the lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import AlreadyRunning, DatabaseUnavailable
from monitor.storage.engine import first_line

log = logging.getLogger(__name__)

APPLICATION_PREFIX = "news-monitor lock"


def _holder_note() -> str:
    return f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}"


def lock_key(connection: Connection, name: str) -> int:
    """A signed 64-bit advisory-lock key per (schema, lock name): installs sharing a database differ."""
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    digest = hashlib.blake2b(f"news-monitor:{schema}:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_path(url: URL, name: str) -> Path:
    """The lock file beside a SQLite database (or in the temp folder for an in-memory one)."""
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database).expanduser().resolve()
        return path.with_name(f"{path.name}.{name}.lock")
    rendered = url.render_as_string(hide_password=False)
    digest = hashlib.sha1(rendered.encode(), usedforsecurity=False).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"news-monitor-{digest}.{name}.lock"


@contextmanager
def file_lock_for(engine: Engine, name: str, *, blocking: bool = False) -> Iterator[Path]:
    """``flock`` on the file beside ``engine``'s SQLite database; AlreadyRunning unless ``blocking``."""
    path = lock_path(engine.url, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "holder unknown"
            raise AlreadyRunning(f"another {name} is already running ({holder}); lock file {path}") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, _holder_note().encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the flock


@contextmanager
def _advisory_lock(engine: Engine, name: str) -> Iterator[None]:
    try:
        connection = engine.connect()
        # Out of the pool: the session that holds the lock (and the note in its application_name)
        # ends when the lock does, and no later user of the engine inherits it.
        connection.detach()
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"cannot take the {name} lock: {first_line(exc)}") from exc
    with connection:
        key = lock_key(connection, name)
        # The holder's pid and start time travel in application_name, so a refused peer can say who.
        connection.execute(
            text("SELECT set_config('application_name', :note, false)"),
            {"note": f"{APPLICATION_PREFIX} {name}: {_holder_note()}"[:63]},
        )
        acquired = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar_one()
        connection.commit()
        if not acquired:
            raise AlreadyRunning(f"another {name} is already running ({_pg_holder(connection, key)})")
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def _pg_holder(connection: Connection, key: int) -> str:
    row = connection.execute(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND ((l.classid::bigint << 32) | l.objid::bigint) = :key LIMIT 1"
        ),
        {"key": key},
    ).first()
    connection.commit()
    note = row[0] if row else ""
    return note.split(": ", 1)[1] if ": " in note else "holder unknown"


@contextmanager
def run_lock(engine: Engine, name: str = "crawl") -> Iterator[None]:
    """Hold the ``name`` lock of ``engine``'s database for the block, or raise ``AlreadyRunning`` at once."""
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name):
            yield
        return
    with file_lock_for(engine, name):
        yield
