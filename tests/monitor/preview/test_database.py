"""The dry run's database (``monitor.preview.database``): read as it is, never written."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import InternalError, OperationalError

from monitor.preview.database import ReadOnlyRepository, open_preview_database
from monitor.storage import dispose_all, open_database
from monitor.storage.engine import make_engine
from monitor.storage.records import EndpointResult
from tests.monitor.storage.factories import record


def files(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'db' / 'monitor.db'}"
    database = open_database(url)
    database.repository.ensure_source("dpa", "DPA", "regulator", "FR", "en")
    database.repository.upsert_article(record("https://dpa.example/news/1"))
    database.repository.record_endpoint(
        EndpointResult(source_id="dpa", url="https://dpa.example/feed", kind="feed", status=200, etag='"v1"')
    )
    database.close()
    yield url
    dispose_all()


def test_an_absent_sqlite_file_is_read_as_empty_and_not_created(tmp_path: Path) -> None:
    database = open_preview_database(f"sqlite:///{tmp_path / 'data' / 'monitor.db'}")
    try:
        assert database.repository.stored_urls(["https://dpa.example/news/1"]) == set()
        assert isinstance(database.repository, ReadOnlyRepository)
    finally:
        database.close()
    assert not (tmp_path / "data").exists()


def test_an_existing_database_answers_reads_and_takes_no_write(stored: str, tmp_path: Path) -> None:
    folder = tmp_path / "db"
    before = files(folder)
    database = open_preview_database(stored)
    try:
        repository = database.repository
        assert repository.stored_urls(["https://dpa.example/news/1", "https://dpa.example/news/2"]) == {
            "https://dpa.example/news/1"
        }
        assert repository.endpoint_state("https://dpa.example/feed") is None  # no validators sent
        repository.record_aliases({"https://dpa.example/n/1": "https://dpa.example/news/1"})
        repository.record_endpoint(
            EndpointResult(source_id="dpa", url="https://dpa.example/feed", kind="feed", status=500, error_class="x")
        )
        with pytest.raises(AssertionError):
            repository.upsert_article(record("https://dpa.example/news/3"))
        # The connection itself refuses what a stray write would do.
        with pytest.raises(OperationalError, match="readonly"), database.sessions.begin() as session:
            session.execute(text("DELETE FROM articles"))
    finally:
        database.close()
    assert files(folder) == before


def test_a_pending_write_ahead_log_is_left_as_it_was(stored: str, tmp_path: Path) -> None:
    """A crawl that died leaves a log: folding it in, as the last connection to close does, would write the file."""
    path = tmp_path / "db" / "monitor.db"
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    writer = sqlite3.connect(path)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("UPDATE articles SET title = 'revised'")
        writer.commit()
        for name in ("monitor.db", "monitor.db-wal", "monitor.db-shm"):  # as the killed process left them
            shutil.copy(path.parent / name, crashed / name)
    finally:
        writer.close()
    before = files(crashed)
    database = open_preview_database(f"sqlite:///{crashed / 'monitor.db'}")
    try:
        assert database.repository.stored_urls(["https://dpa.example/news/1"])
    finally:
        database.close()
    after = files(crashed)
    assert {k: v for k, v in after.items() if k != "monitor.db-shm"} == {
        k: v for k, v in before.items() if k != "monitor.db-shm"
    }


def test_postgresql_sessions_are_read_only_and_an_empty_schema_is_not_made(pg_schema_url: str) -> None:
    empty = open_preview_database(pg_schema_url)
    empty.close()
    raw = make_engine(pg_schema_url)
    with raw.connect() as connection:
        assert not inspect(connection).has_table("articles")
    raw.dispose()
    probe = open_database(pg_schema_url)
    probe.repository.ensure_source("dpa", "DPA", "regulator", "FR", "en")
    probe.repository.upsert_article(record("https://dpa.example/news/1"))
    probe.close()
    database = open_preview_database(pg_schema_url)
    try:
        assert database.repository.stored_urls(["https://dpa.example/news/1"]) == {"https://dpa.example/news/1"}
        with pytest.raises(InternalError, match="read-only"), database.sessions.begin() as session:
            session.execute(text("DELETE FROM articles"))
    finally:
        database.close()
