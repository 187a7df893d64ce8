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
    assert "7 articles fetched" in caplog.text and "2 flagged" in caplog.text
