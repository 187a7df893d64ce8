"""Plain records that the pipeline hands to storage; they keep ``monitor.storage`` free of Scrapy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class TopicRecord:
    topic: str
    score: float
    terms: list[str]
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CountryRecord:
    code: str
    rank: int
    mentions: int
    focus: bool


@dataclass
class ArticleRecord:
    canonical_url: str
    url: str
    source_id: str
    title: str
    text: str
    summary: str = ""
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    content_type: str = "html"
    extraction_status: str = "ok"
    date_status: str | None = None
    content_hash: str | None = None
    flagged: bool = False
    reason: str = ""
    duplicate_of: str | None = None
    # ``similarity.fingerprint(text)`` when the caller already has it (the extract stage makes it).
    fingerprint: bytes | None = None
    topics: list[TopicRecord] = field(default_factory=list)
    countries: list[CountryRecord] = field(default_factory=list)


@dataclass
class EndpointResult:
    """What one fetch of a feed, listing or sitemap said about that endpoint's health."""

    source_id: str
    url: str
    kind: str
    status: int | None
    error_class: str | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items_seen: int = 0
    newest_item_at: datetime | None = None
    # The run that fetched it; None for a probe, whose validators are never kept.
    run_id: int | None = None
