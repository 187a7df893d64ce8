"""Stage 6: topics and jurisdictions, in one pass of one automaton over the title and text.

A fired topic rule flags the item; the evidence (rule, surface strings, character spans) and a
one-line reason go with it so the digest can say why.

The matcher is built at the crawl's first item (when the extraction pool starts, or at the first
item here without one): the gazetteer and automaton take a moment to build (~0.3 s), which a crawl
that finds nothing new (an unchanged rerun) need not spend. The watchlist
file itself is validated before the crawl starts (``monitor.runner``), so a bad rule is still a
config error and not a failure at the first item.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler

from monitor.matching import Matcher
from monitor.stats import ITEMS_FLAGGED
from monitor.storage.records import MatchRecord
from pipelines.extract import pool_started
from spiders.items import DocumentItem


class MatchStage:
    def __init__(self, watchlists: Path, crawler: Crawler) -> None:
        self.watchlists = watchlists
        self.matcher: Matcher | None = None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MatchStage:
        stage = cls(Path(crawler.settings.get("MONITOR_WATCHLISTS")), crawler)
        crawler.signals.connect(stage.build, signal=pool_started)
        return stage

    def build(self) -> Matcher:
        if self.matcher is None:
            self.matcher = Matcher.from_file(self.watchlists)  # cached: one build per process
        return self.matcher

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        matcher = self.matcher or self.build()
        result = matcher.match(item.title, item.text, item.language, jurisdiction=item.source_jurisdiction)
        match = MatchRecord.from_result(result)
        item.topics = match.topics
        item.countries = match.countries
        item.flagged = match.flagged
        item.reason = match.reason
        if match.flagged:
            self.stats.inc_value(ITEMS_FLAGGED)
            for topic in match.topics:
                self.stats.inc_value(f"topics/{topic.topic}")
        return item
