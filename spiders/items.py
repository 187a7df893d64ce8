"""The one item that flows through the pipeline: raw bytes in, extracted and matched fields out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: extraction workers import this module and need no storage
    from monitor.storage.records import CountryRecord, TopicRecord


@dataclass
class DocumentItem:
    """A fetched article page or document.

    Spiders fill the first block; pipeline stages fill the rest, in the order of
    ``pipelines.ITEM_PIPELINES``.
    """

    url: str
    source_id: str
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    source_language: str | None = None
    # The configured source's own jurisdiction (sources.yaml): the matcher's fallback subject for a
    # text that names none. The ad-hoc crawl has none.
    source_jurisdiction: str | None = None
    source_timezone: str = "UTC"
    feed_title: str | None = None
    feed_summary: str | None = None
    feed_published: datetime | None = None
    feed_updated: bool = False
    discovered_via: str = ""
    # The canonical URL the spider found not stored just before fetching; when the page did not
    # redirect elsewhere, the skip-stored stage need not ask the database again.
    checked_url: str | None = None
    # The page (listing, article, feed or sitemap) the link was found on: a document's citing page.
    found_on: str | None = None

    # Filled by the pipeline stages.
    canonical_url: str = ""
    content_type: str = "html"
    title: str = ""
    text: str = ""
    summary: str = ""
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    date_status: str | None = None
    language: str | None = None
    extraction_status: str = "pending"
    content_hash: str | None = None
    # MinHash signature of ``text`` (monitor.dedupe.similarity.fingerprint), made by the extract
    # stage in its worker process so the reactor thread never computes it.
    fingerprint: bytes | None = None
    duplicate_of: str | None = None
    # Set by the match stage, in the shape storage writes them (``MatchRecord.from_result``).
    topics: list[TopicRecord] = field(default_factory=list)
    countries: list[CountryRecord] = field(default_factory=list)
    flagged: bool = False
    reason: str = ""
