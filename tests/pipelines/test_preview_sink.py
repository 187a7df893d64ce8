"""The dry run's last stage: the store stage's place, what would be stored kept on the crawler."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.crawler import Crawler

from monitor.stats import ITEMS_PREVIEWED
from monitor.storage.records import CountryRecord, TopicRecord
from pipelines import ITEM_PIPELINES, PREVIEW_SINK, STORE_STAGE, dry_run_pipelines
from pipelines.preview_sink import PreviewSink, previewed
from spiders.items import DocumentItem


def test_the_sink_takes_the_store_stage_place_and_the_order_stays() -> None:
    swapped = dry_run_pipelines(ITEM_PIPELINES)
    assert STORE_STAGE not in swapped and swapped[PREVIEW_SINK] == ITEM_PIPELINES[STORE_STAGE]
    assert sorted(swapped, key=swapped.__getitem__)[:-1] == sorted(ITEM_PIPELINES, key=ITEM_PIPELINES.__getitem__)[:-1]
    assert max(swapped.values()) == swapped[PREVIEW_SINK]  # still the last stage


def test_the_sink_keeps_each_item_as_the_store_stage_would_store_it(crawler: Crawler) -> None:
    sink = PreviewSink.from_crawler(crawler)
    item = DocumentItem(url="https://dpa.example/news/1?utm_source=x", source_id="dpa", body=b"")
    item.canonical_url = "https://dpa.example/news/1"
    item.title, item.language, item.flagged = "Transfers suspended", "en", True
    item.published_at = datetime(2026, 11, 2, tzinfo=UTC)
    item.topics = [TopicRecord("cross_border_transfers", 0.8, ["transfer"])]
    item.countries = [CountryRecord("FR", 0, 2, True), CountryRecord("US", 1, 1, False)]
    assert sink.process_item(item) is item
    (kept,) = previewed(crawler)
    assert kept.to_dict() | {"url": None} == {
        "url": None,
        "canonical_url": "https://dpa.example/news/1",
        "source": "dpa",
        "title": "Transfers suspended",
        "published_at": "2026-11-02T00:00:00+00:00",
        "language": "en",
        "content_type": "html",
        "extraction_status": "pending",
        "topics": [{"topic": "cross_border_transfers", "score": 0.8, "terms": ["transfer"]}],
        "countries": ["FR"],
        "mentioned_countries": ["FR", "US"],
        "flagged": True,
        "reason": "",
        "duplicate_of": None,
        "found_on": None,
    }
    assert crawler.stats.get_value(ITEMS_PREVIEWED) == 1
