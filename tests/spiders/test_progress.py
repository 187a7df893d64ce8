"""The progress extension: off unless asked for; a log line with the run's counts when not on a terminal."""

from __future__ import annotations

import logging

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from spiders.extensions.progress import CrawlProgress


def test_off_unless_configured() -> None:
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler(settings_dict={}))


def test_log_line_carries_the_counts(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(settings_dict={"MONITOR_PROGRESS": True})
    crawler.stats.open_spider()
    extension = CrawlProgress.from_crawler(crawler)
    assert extension.interactive is False  # pytest captures stderr
    crawler.stats.inc_value("pages/fetched", 7)
    crawler.stats.inc_value("items/flagged", 2)
    with caplog.at_level(logging.INFO, logger="spiders.extensions.progress"):
        extension.tick()
    assert "(7 articles," in caplog.text and "2 flagged" in caplog.text
    assert "0 stored" in caplog.text


def test_a_dry_run_says_what_it_would_store() -> None:
    """A dry run counts ``items/previewed`` and stores nothing: the line must not say "0 stored"."""
    crawler = get_crawler(settings_dict={"MONITOR_PROGRESS": True})
    crawler.stats.open_spider()
    extension = CrawlProgress.from_crawler(crawler)
    crawler.stats.inc_value("items/previewed", 3)
    line = extension.line()
    assert "3 would be stored" in line and "0 stored" not in line


class _Scheduler:
    def __init__(self, size: int) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size


def test_line_says_what_is_left_per_source_and_estimates_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Queued and in-flight requests come from the engine; per-source counts from the signals; the
    estimate appears once responses give a rate."""
    import scrapy

    crawler = get_crawler(settings_dict={"MONITOR_PROGRESS": True})
    crawler.stats.open_spider()
    extension = CrawlProgress.from_crawler(crawler)
    engine = type("Engine", (), {})()
    engine.scheduler = _Scheduler(30)
    engine.downloader = type("Downloader", (), {"active": {1, 2}})()
    monkeypatch.setattr(extension, "engine", lambda: engine)
    requests = {
        "cnil": [
            scrapy.Request(f"https://cnil.example/{i}", meta={"endpoint": {"source_id": "cnil"}}) for i in range(25)
        ],
        "edpb": [
            scrapy.Request(f"https://edpb.example/{i}", meta={"endpoint": {"source_id": "edpb"}}) for i in range(9)
        ],
    }
    for batch in requests.values():
        for request in batch:
            extension.request_scheduled(request)
    for request in requests["edpb"][:7]:
        extension.request_done(request)
    assert "~" not in extension.line()  # no rate yet, no estimate
    clock = iter(range(100, 200))
    monkeypatch.setattr("spiders.extensions.progress.time.monotonic", lambda: float(next(clock)))
    for request in requests["cnil"][:10]:  # one response a second
        extension.response_received(scrapy.http.Response(request.url), request)
    line = extension.line()
    assert "32 queued" in line  # 30 in the scheduler, 2 in flight
    assert "~32 s left" in line
    assert "busiest: cnil 25 left, edpb 2 left" in line
