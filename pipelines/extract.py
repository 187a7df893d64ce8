"""Stage 3: text, title, date and language from HTML (trafilatura) or PDF (pypdf).

A document whose text cannot be read (encrypted or scanned PDF) is kept with its status, so an
analyst sees that the regulator published something; a page with no article text is dropped.
"""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from monitor.extraction import extract_document
from spiders.items import DocumentItem

log = logging.getLogger(__name__)


class ExtractStage:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractStage:
        return cls(crawler)

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        result = extract_document(
            item.body,
            item.url,
            item.headers.get("content-type"),
            feed_title=item.feed_title,
            feed_summary=item.feed_summary,
            feed_published=item.feed_published,
            timezone=item.source_timezone,
            language_hint=item.source_language,
            fetched_at=item.fetched_at,
        )
        item.body = b""  # the bytes are not needed past this point; do not hold them for the whole run
        item.content_type = result.kind
        item.extraction_status = result.status
        self.stats.inc_value(f"extract/{result.kind}/{result.status}")
        if result.status in ("skipped", "empty"):
            raise DropItem(f"{item.url}: {result.detail or result.status}")
        if result.status != "ok":
            log.warning(
                "source %s: %s: PDF %s (%s); stored without text",
                item.source_id,
                item.url,
                result.status,
                result.detail,
            )
        item.title = result.title or item.feed_title or item.url
        item.text = result.text
        item.summary = result.summary
        item.published_at = result.published_at
        item.date_status = result.date_status
        item.language = result.language
        item.content_hash = result.content_hash
        self.stats.inc_value("items/extracted")
        return item
