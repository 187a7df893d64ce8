"""Last stage: upsert the article by canonical URL; a rerun never adds a row twice."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.crawler import Crawler

from monitor.stats import ITEMS_STORED
from monitor.storage import Repository
from monitor.storage.records import ArticleRecord
from spiders.database import crawl_repository
from spiders.items import DocumentItem

log = logging.getLogger(__name__)


class StoreStage:
    def __init__(self, repository: Repository, crawler: Crawler) -> None:
        self.repository = repository
        self.stats = crawler.stats
        self.sources_seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreStage:
        return cls(crawl_repository(crawler), crawler)

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        record = ArticleRecord(
            canonical_url=item.canonical_url,
            url=item.url,
            source_id=item.source_id,
            title=item.title,
            text=item.text,
            summary=item.summary,
            published_at=item.published_at,
            fetched_at=item.fetched_at,
            language=item.language,
            content_type=item.content_type,
            extraction_status=item.extraction_status,
            date_status=item.date_status,
            content_hash=item.content_hash,
            flagged=item.flagged,
            reason=item.reason,
            duplicate_of=item.duplicate_of,
            fingerprint=item.fingerprint,
            found_on=item.found_on,
            topics=item.topics,
            countries=item.countries,
        )
        outcome = self.repository.upsert_article(record)
        if item.discovered_via == "document":
            # A document a page cited (``spiders.base.MonitorSpider.pending_documents``) is no
            # longer to fetch once stored, under the URL it was asked for and the one it ended at.
            self.repository.forget_documents({item.canonical_url, item.checked_url or item.canonical_url})
        self.stats.inc_value(f"items/{outcome}")
        if outcome != "unchanged":
            self.stats.inc_value(ITEMS_STORED)
        return item
