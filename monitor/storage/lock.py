"""Run locks that die with their holder: per politeness key for crawls, one digest per database.

SQLite: ``fcntl.flock`` on a file beside the database; the kernel drops the lock when the holding
process exits, SIGKILL included. PostgreSQL: a session advisory lock on a dedicated connection;
the server drops it when that connection closes, which the kernel does when the holder dies.
Neither leaves a stale lock behind that an operator must clean up by hand.

Locks take the caller's ``Engine``: the URL says which file or server, and the PostgreSQL lock's
connection is detached from the engine's pool, so that it closes (and unlocks) with the lock.

A crawl takes ``crawl_locks``: on PostgreSQL one advisory lock per politeness key (the registrable
domain of a source's hosts, ``monitor.cluster.keys``), so that crawls of other hosts run at once,
on other machines too; on SQLite the one ``crawl`` file lock. Either way it also holds a *lease*,
a lock named by a random token that the run's row records: whoever finds a 'running' run whose
lease is free knows that its process died (``lease_alive``), without trusting clocks or pids.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import secrets
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
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


# -- crawl locks and run leases ------------------------------------------------------------------


def host_lock_name(key: str) -> str:
    """The advisory lock of one politeness key (a registrable domain, or a bare host or address)."""
    return f"host:{key}"


def job_lock_name(job_id: int) -> str:
    return f"job:{job_id}"


def _lease_name(token: str) -> str:
    return f"run-{token}"


@dataclass
class CrawlLease:
    """What a crawl holds: its lease token, the politeness keys it got and those another crawl holds."""

    token: str
    held: set[str] = field(default_factory=set)
    refused: dict[str, str] = field(default_factory=dict)  # key -> who holds it


@contextmanager
def crawl_locks(engine: Engine, keys: Collection[str], *, job_id: int | None = None) -> Iterator[CrawlLease]:
    """Hold a run lease and the locks of ``keys`` for the block.

    PostgreSQL: every key is tried on one dedicated connection (the holder's pid in its
    application_name); keys held elsewhere are ``refused``, and only when every key is refused
    does it raise ``AlreadyRunning``. With ``job_id`` the job's own lock is taken first: a second
    delivery of a job that is still being crawled raises ``AlreadyRunning`` before any key.
    SQLite: the one ``crawl`` file lock covers every key (``AlreadyRunning`` when held).
    """
    token = secrets.token_hex(8)
    if engine.dialect.name != "postgresql":
        with file_lock_for(engine, "crawl"), _lease_file(engine, token):
            yield CrawlLease(token, held=set(keys))
        return
    try:
        connection = engine.connect()
        connection.detach()  # out of the pool: the locks end with this session, and only with it
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"cannot take the crawl locks: {first_line(exc)}") from exc
    with connection:
        connection.execute(
            text("SELECT set_config('application_name', :note, false)"),
            {"note": f"{APPLICATION_PREFIX} crawl: {_holder_note()}"[:63]},
        )
        lease = CrawlLease(token)
        if not _try_lock(connection, _lease_name(token)):  # pragma: no cover - a random 64-bit token
            raise AlreadyRunning("the run lease is taken; try again")
        if job_id is not None and not _try_lock(connection, job_lock_name(job_id)):
            holder = _pg_holder(connection, lock_key(connection, job_lock_name(job_id)))
            raise AlreadyRunning(f"job {job_id} is already being crawled ({holder})")
        for key in sorted(set(keys)):
            name = host_lock_name(key)
            if _try_lock(connection, name):
                lease.held.add(key)
            else:
                lease.refused[key] = _pg_holder(connection, lock_key(connection, name))
        connection.commit()
        if keys and not lease.held:
            holder = next(iter(lease.refused.values()))
            raise AlreadyRunning(f"another crawl is already running ({holder}); its hosts: {', '.join(lease.refused)}")
        yield lease


def _try_lock(connection: Connection, name: str) -> bool:
    key = lock_key(connection, name)
    return bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar_one())


@contextmanager
def _lease_file(engine: Engine, token: str) -> Iterator[None]:
    """SQLite's lease: a file beside the database, flock'ed while the run lives, removed after."""
    path = lock_path(engine.url, _lease_name(token))
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.pwrite(fd, _holder_note().encode(), 0)
        yield
    finally:
        with suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


def lease_alive(connection: Connection, token: str | None) -> bool:
    """Does the process that took lease ``token`` still hold it? No token: presumed dead.

    PostgreSQL: a transaction-scoped try-lock on the lease's key, on the caller's connection; it
    succeeds only when no session holds the lease, and ends with the caller's transaction.
    SQLite: a non-blocking flock of the lease file; a missing file is a finished holder.
    """
    if not token:
        return False
    if connection.dialect.name == "postgresql":
        key = lock_key(connection, _lease_name(token))
        return not connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar_one()
    path = lock_path(connection.engine.url, _lease_name(token))
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        with suppress(FileNotFoundError):
            path.unlink()  # the holder died without removing it
        return False
    finally:
        os.close(fd)


def job_locked(engine: Engine, job_id: int) -> bool:
    """Is a crawl of job ``job_id`` alive somewhere (PostgreSQL only)? Tried and let go at once."""
    with engine.begin() as connection:
        key = lock_key(connection, job_lock_name(job_id))
        return not connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar_one()
