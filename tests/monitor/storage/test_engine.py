from __future__ import annotations

import pytest
from sqlalchemy import text

from monitor.errors import DatabaseUnavailable, StorageError
from monitor.storage.database import open_database
from monitor.storage.engine import SQLITE_BUSY_TIMEOUT_MS


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
