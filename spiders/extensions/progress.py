"""Shows a crawl's progress: a live status line on a terminal, a periodic log line otherwise.

Counts come from the crawler's stats, so the figures are the ones stored with the run.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from monitor.stats import ENDPOINTS_FAILED, ITEMS_FLAGGED, ITEMS_STORED, PAGES_FETCHED, PAGES_NOT_MODIFIED

log = logging.getLogger(__name__)

# A terminal redraws cheaply; a log file (cron, systemd) wants a line a minute at most.
TERMINAL_INTERVAL = 0.5
LOG_INTERVAL = 60.0


class CrawlProgress:
    """Enabled by ``MONITOR_PROGRESS`` (on by default); switches itself off otherwise (``NotConfigured``)."""

    def __init__(self, crawler: Crawler, interactive: bool) -> None:
        self.crawler = crawler
        self.interactive = interactive
        self.loop: task.LoopingCall | None = None
        self.status: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        if not crawler.settings.getbool("MONITOR_PROGRESS"):
            raise NotConfigured("progress display off")
        extension = cls(crawler, interactive=sys.stderr.isatty())
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        stats = self.crawler.stats
        value = stats.get_value if stats is not None else (lambda _key, default=0: default)
        return (
            f"{value('response_received_count', 0)} responses, {value(PAGES_FETCHED, 0)} articles fetched, "
            f"{value(PAGES_NOT_MODIFIED, 0)} not modified, {value(ITEMS_STORED, 0)} stored, "
            f"{value(ITEMS_FLAGGED, 0)} flagged, {value(ENDPOINTS_FAILED, 0)} endpoint failures"
        )

    def spider_opened(self, spider: Spider) -> None:
        if self.interactive:
            from rich.console import Console

            self.status = Console(stderr=True).status(self.line())
            self.status.start()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(TERMINAL_INTERVAL if self.interactive else LOG_INTERVAL, now=False)

    def tick(self) -> None:
        if self.status is not None:
            self.status.update(self.line())
        else:
            log.info("progress: %s", self.line())

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.status is not None:
            self.status.stop()
