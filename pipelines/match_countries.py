"""Stage 7: the jurisdictions an item mentions, most salient first, and the ones it is about."""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler

from monitor.matching import country_matcher_for
from spiders.items import DocumentItem


class CountryMatchStage:
    def __init__(self, watchlists: Path) -> None:
        self.matcher = country_matcher_for(watchlists)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CountryMatchStage:
        return cls(Path(crawler.settings.get("MONITOR_WATCHLISTS")))

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        hits = self.matcher.match(item.title, item.text, item.language)
        item.countries = [
            {"code": hit.code, "rank": rank, "mentions": hit.mentions, "focus": hit.focus}
            for rank, hit in enumerate(hits)
        ]
        return item
