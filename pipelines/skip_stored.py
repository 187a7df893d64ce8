"""Stage 2: drop a document whose canonical URL is already stored, or was seen earlier in this run.

Spiders already skip stored links before fetching; this catches redirects that land on a stored
URL, items no spider checked, and the same article reached through two entry points (feed and
sitemap) in one run.
"""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from monitor.storage import Repository
from spiders.database import crawl_repository
from spiders.items import DocumentItem


class SkipStoredStage:
    def __init__(self, repository: Repository, crawler: Crawler) -> None:
        self.repository = repository
        self.stats = crawler.stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipStoredStage:
        return cls(crawl_repository(crawler), crawler)

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        if item.canonical_url in self.seen:
            self.stats.inc_value("items/dropped/seen_in_run")
            raise DropItem(f"{item.canonical_url}: already processed in this run", log_level="INFO")
        self.seen.add(item.canonical_url)
        if item.checked_url == item.canonical_url:
            # The spider asked the database just before fetching, and the run lock keeps other
            # writers out: one query per article saved (about 2.4 ms in the crawl process).
            return item
        if not item.feed_updated and self.repository.is_stored(item.canonical_url):
            self.stats.inc_value("items/dropped/stored")
            raise DropItem(f"{item.canonical_url}: already stored", log_level="INFO")
        return item
