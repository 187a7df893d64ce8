"""``pipelines/match.py``: the matcher is built at the first item, not when the crawl starts."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.utils.misc import build_from_crawler

from pipelines.match import MatchStage
from spiders.items import DocumentItem


def test_matcher_is_built_at_the_first_item(crawler: Crawler) -> None:
    stage = build_from_crawler(MatchStage, crawler)
    assert stage.matcher is None  # a crawl that finds nothing new never builds it
    item = DocumentItem(url="https://edb.example/a", source_id="edb", body=b"")
    item.title = "EU-US Data Privacy Framework: adequacy decision adopted"
    item.text = "The European Commission adopted its adequacy decision for the EU-US Data Privacy Framework."
    item.language = "en"
    item = stage.process_item(item)
    assert stage.matcher is not None
    assert item.flagged and "adequacy_decisions" in {t.topic for t in item.topics}
    # Most salient first: EU (3 mentions, two in the title) before US (2).
    assert [c.code for c in item.countries] == ["EU", "US"]
    # Stored as they come: the rank is the matcher's order, most salient first.
    assert [c.rank for c in item.countries] == list(range(len(item.countries)))


def test_matcher_is_built_when_the_extraction_pool_starts(crawler: Crawler) -> None:
    # Built while the workers boot, not when their first result is back and a backlog waits.
    from pipelines.extract import pool_started

    stage = build_from_crawler(MatchStage, crawler)
    crawler.signals.send_catch_log(pool_started)
    assert stage.matcher is not None
