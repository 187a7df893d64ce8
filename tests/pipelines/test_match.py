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


def test_the_source_jurisdiction_reaches_the_matcher_as_the_fallback_subject(crawler: Crawler) -> None:
    stage = build_from_crawler(MatchStage, crawler)
    item = DocumentItem(url="https://meity.example/a", source_id="meity", body=b"", source_jurisdiction="IN")
    item.title = "Data localisation rules for cloud providers"
    item.text = "The ministry requires that personal data of citizens be stored on servers inside the country."
    item.language = "en"
    item = stage.process_item(item)
    # The text names no jurisdiction: the source's is its subject, stored with no mention.
    assert [(c.code, c.focus, c.mentions) for c in item.countries] == [("IN", True, 0)]
    adhoc = DocumentItem(url="https://x.example/a", source_id="adhoc", body=b"")
    adhoc.title, adhoc.text, adhoc.language = item.title, item.text, "en"
    assert stage.process_item(adhoc).countries == [], "the ad-hoc crawl has no jurisdiction to fall back on"


def test_an_article_page_carries_its_sources_jurisdiction(crawler: Crawler) -> None:
    from scrapy.http import HtmlResponse, Request

    from monitor.config.schema import Source
    from spiders.source_spider import SourceSpider

    source = Source(id="ndsa", name="NDSA", kind="regulator", jurisdiction="CN", feeds=["https://ndsa.example/f"])
    spider = SourceSpider.from_crawler(crawler, sources=[])
    request = Request("https://ndsa.example/a", meta={"source": source, "via": "feed"})
    response = HtmlResponse(request.url, body=b"<html><title>x</title></html>", request=request)
    (item,) = spider.parse_article(response)
    assert item.source_jurisdiction == "CN"
