"""Stage 1: the canonical URL, the key every later stage and the database use."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Spider

from monitor.urls import canonical_url
from spiders.items import DocumentItem


class NormalizeUrlStage:
    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        item.canonical_url = canonical_url(item.url)
        item.fetched_at = item.fetched_at or datetime.now(UTC)
        return item
