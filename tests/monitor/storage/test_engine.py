from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from monitor.errors import DatabaseUnavailable, StorageError
from monitor.storage.database import open_database
from monitor.storage.engine import SQLITE_BUSY_TIMEOUT_MS, set_wal


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    database.close()


def test_foreign_keys_are_enforced(database_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    from monitor.storage import repository_for
    from tests.monitor.storage.factories import record

    repository = repository_for(database_url)
    with pytest.raises(StorageError, match=r"^database error \(upsert_article\): ") as caught:
        repository.upsert_article(record(source_id="no-such-source"))
    assert isinstance(caught.value.__cause__, IntegrityError)
    assert "\n" not in str(caught.value), "one line: the driver's message, without the SQL"


def test_a_database_that_is_down_is_one_line_error() -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database("postgresql+psycopg://monitor:monitor@127.0.0.1:1/monitor")
    message = str(caught.value)
    assert "\n" not in message and "127.0.0.1" in message and "***" not in message.split("@")[0][:0]


class _LockedThen:
    """A DB-API cursor whose first ``refusals`` journal-mode changes are refused as SQLite refuses them."""

    def __init__(self, refusals: int, message: str = "database is locked") -> None:
        self.refusals, self.message, self.statements = refusals, message, []

    def execute(self, statement: str) -> None:
        self.statements.append(statement)
        if self.refusals:
            self.refusals -= 1
            raise sqlite3.OperationalError(self.message)


def test_wal_is_set_once_a_peer_converting_the_new_file_lets_go() -> None:
    cursor = _LockedThen(refusals=3)
    set_wal(cursor, timeout=5)
    assert cursor.statements == ["PRAGMA journal_mode=WAL"] * 4


def test_wal_gives_up_after_the_busy_timeout_and_other_errors_are_not_retried() -> None:
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        set_wal(_LockedThen(refusals=10_000), timeout=0.05)
    other = _LockedThen(refusals=1, message="disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        set_wal(other, timeout=5)
    assert len(other.statements) == 1
