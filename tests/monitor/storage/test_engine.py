from __future__ import annotations

import pytest
from sqlalchemy import text

from monitor.errors import DatabaseUnavailable
from monitor.storage.engine import SQLITE_BUSY_TIMEOUT_MS, open_database


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    engine, _sessions = open_database(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_foreign_keys_are_enforced(database_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    from monitor.storage import repository_for

    from .factories import record

    repository = repository_for(database_url)
    with pytest.raises(IntegrityError):
        repository.upsert_article(record(source_id="no-such-source"))


def test_a_database_that_is_down_is_one_line_error() -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database("postgresql+psycopg://monitor:monitor@127.0.0.1:1/monitor")
    message = str(caught.value)
    assert "\n" not in message and "127.0.0.1" in message and "***" not in message.split("@")[0][:0]
