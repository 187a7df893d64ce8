"""Stage 1: the canonical URL, the key every later stage and the database use."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Spider
from scrapy.exceptions import DropItem

from monitor.urls import InvalidURL, canonical_url
from spiders.items import DocumentItem


class NormalizeUrlStage:
    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        try:
            item.canonical_url = canonical_url(item.url)
        except InvalidURL as exc:  # not reached: every request and redirect passed the same gate
            raise DropItem(str(exc)) from exc
        item.fetched_at = item.fetched_at or datetime.now(UTC)
        return item
