from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from monitor.errors import StorageError
from monitor.storage.models import Article
from tests.monitor.storage.factories import record, repository_with_sources

PARIS_WINTER = timezone(timedelta(hours=1))
BEIJING = timezone(timedelta(hours=8))


def test_timestamps_round_trip_as_utc(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    published = datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=PARIS_WINTER)
    fetched = datetime(2026, 11, 2, 23, 30, tzinfo=BEIJING)
    repository.upsert_article(record(published_at=published, fetched_at=fetched))
    with repository.sessions() as session:
        article = session.scalars(select(Article)).one()
    assert article.published_at == published and article.published_at.tzinfo == UTC
    assert article.published_at.isoformat() == "2026-03-29T00:59:59.123456+00:00"
    assert article.fetched_at == fetched and article.fetched_at.utcoffset() == timedelta(0)


def test_comparisons_use_the_instant_not_the_wall_clock(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    repository.upsert_article(record(published_at=datetime(2026, 11, 2, 8, 0, tzinfo=BEIJING)))  # 00:00 UTC
    with repository.sessions() as session:
        later = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
        assert session.scalars(select(Article).where(Article.published_at > later)).one()
        assert not session.scalars(select(Article).where(Article.published_at > later + timedelta(hours=1))).all()


def test_naive_datetimes_are_refused(database_url: str) -> None:
    repository = repository_with_sources(database_url)
    with pytest.raises(StorageError, match="naive datetime") as caught:
        repository.upsert_article(record(published_at=datetime(2026, 11, 2, 9, 30)))
    assert isinstance(caught.value.__cause__, StatementError)
