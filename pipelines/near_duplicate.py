"""Stage 5: a syndicated copy (the same press release at another outlet) points to the first copy seen.

The copy is still stored, matched and searchable; ``duplicate_of`` lets the digest show the story
once with "also reported by ...". Signatures of articles stored in the last
``MONITOR_NEAR_DUPLICATE_DAYS`` days are loaded at the run's first item, so a copy published days
after the original is caught, and each item of this run is added as it passes. Loading them
waits for that first item, so a run that finds nothing new never pays for it. The index holds
about 1.3 KB an article (``monitor.dedupe.similarity``), so a crawl process that loads the last
30 days' signatures of its sources grows by that, not by datasketch's 12 KB.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from monitor.storage import Repository
from monitor.storage.types import utcnow
from spiders.database import crawl_repository
from spiders.items import DocumentItem

if TYPE_CHECKING:
    from monitor.dedupe.similarity import NearDuplicateIndex

log = logging.getLogger(__name__)


class NearDuplicateStage:
    def __init__(self, repository: Repository, crawler: Crawler, window_days: int) -> None:
        self.repository = repository
        self.stats = crawler.stats
        self.window = timedelta(days=window_days)
        self.index: NearDuplicateIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NearDuplicateStage:
        days = crawler.settings.getint("MONITOR_NEAR_DUPLICATE_DAYS")
        if days <= 0:
            raise NotConfigured("near-duplicate detection off (MONITOR_NEAR_DUPLICATE_DAYS <= 0)")
        return cls(crawl_repository(crawler), crawler, days)

    def load(self) -> NearDuplicateIndex:
        from monitor.dedupe.similarity import NearDuplicateIndex

        index = NearDuplicateIndex()
        index.load(self.repository.fingerprints(since=utcnow() - self.window))
        log.info("near-duplicate check on: %d stored signatures from the last %s days", len(index), self.window.days)
        self.index = index
        return index

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        from monitor.dedupe.similarity import from_fingerprint, minhash

        index = self.index or self.load()
        # The extract stage signs the text in its worker; items from elsewhere are signed here.
        signature = from_fingerprint(item.fingerprint) if item.fingerprint is not None else minhash(item.text)
        if signature is None:
            self.stats.inc_value("items/near_duplicate/too_short")
            return item
        match = index.best_match(signature, exclude=item.canonical_url)
        if match is not None:
            item.duplicate_of = match.root
            self.stats.inc_value("items/near_duplicate")
            log.debug("%s is a copy of %s (similarity %.2f)", item.canonical_url, match.root, match.similarity)
        else:
            item.duplicate_of = None
        index.add(item.canonical_url, signature, item.duplicate_of)
        return item
