"""Builders for the records the pipeline hands to storage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from monitor.storage.records import ArticleRecord, CountryRecord, TopicRecord

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def record(url: str = "https://dpa.example/news/1", **fields: Any) -> ArticleRecord:
    topics = fields.pop("topics", [])
    values: dict[str, Any] = {
        "canonical_url": url,
        "url": url,
        "source_id": "dpa",
        "title": "Authority suspends transfers",
        "text": "The authority ordered the suspension of transfers of personal data to a third country.",
        "published_at": WHEN,
        "fetched_at": WHEN,
        "language": "en",
        "flagged": bool(topics),
        "topics": [TopicRecord(t, 1.0, [t.replace("_", " ")], [{"term": t}]) for t in topics],
        "countries": [CountryRecord("FR", 0, 2, True)],
    }
    values.update(fields)
    return ArticleRecord(**values)


def repository_with_sources(url: str):  # type: ignore[no-untyped-def]
    from monitor.storage import repository_for

    repository = repository_for(url)
    repository.ensure_source("dpa", "Data Protection Authority", "regulator", "FR", "en")
    repository.ensure_source("daily", "The Daily", "press", "GB", "en")
    repository.ensure_source("wire", "Newswire", "press", "INTL", "en")
    return repository
