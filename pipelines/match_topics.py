"""Stage 6: topic rules from ``watchlists.yaml``; a fired rule flags the item, with its evidence."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler

from monitor.matching import topic_matcher_for
from monitor.matching.explain import reason_line
from spiders.items import DocumentItem


class TopicMatchStage:
    def __init__(self, watchlists: Path, crawler: Crawler) -> None:
        self.matcher = topic_matcher_for(watchlists)  # the automaton is built once per process
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TopicMatchStage:
        return cls(Path(crawler.settings.get("MONITOR_WATCHLISTS")), crawler)

    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        hits = self.matcher.match(item.title, item.text, item.language)
        item.topics = [
            {"topic": hit.topic, "score": hit.score, "terms": list(hit.terms),
             "evidence": [asdict(evidence) for evidence in hit.evidence]}
            for hit in hits
        ]
        item.flagged = bool(hits)
        item.reason = reason_line(hits)
        if hits:
            self.stats.inc_value("items/flagged")
            for hit in hits:
                self.stats.inc_value(f"topics/{hit.topic}")
        return item
