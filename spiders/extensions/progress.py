"""Shows how far a crawl has got: a live status line on a terminal, a log line a minute otherwise.

The line says what was fetched, what is still queued or in flight, what was stored and flagged,
the sources with the most left to do, and, once the crawl has a rate and its queue (the listings
and feeds read, their articles queued), an estimate of the time left. Counts come from the
crawler's stats and signals, so the figures are the ones stored with the run.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter, deque
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.internet import task

from monitor.stats import (
    ENDPOINTS_FAILED,
    ITEMS_FLAGGED,
    ITEMS_PREVIEWED,
    ITEMS_STORED,
    PAGES_FETCHED,
    PAGES_NOT_MODIFIED,
)

log = logging.getLogger(__name__)

# A terminal redraws cheaply; a log file (cron, systemd) wants a line a minute at most.
TERMINAL_INTERVAL = 0.5
LOG_INTERVAL = 60.0
# The rate behind the estimate: responses over this many seconds (recent, so a slow host that
# is all that is left shows in the estimate).
RATE_WINDOW = 30.0
# Sources named on the line, those with the most requests left.
BUSIEST = 3


def _source_of(request: Request) -> str | None:
    endpoint = request.meta.get("endpoint") or {}
    return endpoint.get("source_id") or getattr(request.meta.get("source"), "id", None)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


class CrawlProgress:
    """Enabled by ``MONITOR_PROGRESS`` (on by default); switches itself off otherwise (``NotConfigured``)."""

    def __init__(self, crawler: Crawler, interactive: bool) -> None:
        self.crawler = crawler
        self.interactive = interactive
        self.loop: task.LoopingCall | None = None
        self.status: Any = None
        # Per source: requests scheduled and answered, so "left" is what is queued or in flight.
        self.scheduled: Counter[str] = Counter()
        self.answered: Counter[str] = Counter()
        self.stored: Counter[str] = Counter()
        self.responses: deque[float] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        if not crawler.settings.getbool("MONITOR_PROGRESS"):
            raise NotConfigured("progress display off")
        extension = cls(crawler, interactive=sys.stderr.isatty())
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.request_done, signal=signals.request_left_downloader)
        crawler.signals.connect(extension.request_done, signal=signals.request_dropped)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    # -- counting ------------------------------------------------------------------------
    def request_scheduled(self, request: Request, spider: Spider | None = None) -> None:
        self.scheduled[_source_of(request) or "-"] += 1

    def request_done(self, request: Request, spider: Spider | None = None) -> None:
        """Answered, failed, or refused by the scheduler as a duplicate."""
        self.answered[_source_of(request) or "-"] += 1

    def response_received(self, response: Response, request: Request, spider: Spider | None = None) -> None:
        now = time.monotonic()
        self.responses.append(now)
        while self.responses and now - self.responses[0] > RATE_WINDOW:
            self.responses.popleft()

    def item_scraped(self, item: Any, spider: Spider | None = None) -> None:  # noqa: ANN401 - any item
        source_id = getattr(item, "source_id", None)
        if source_id:
            self.stored[source_id] += 1

    # -- the line ------------------------------------------------------------------------
    def engine(self) -> Any:  # noqa: ANN401 - Scrapy's ExecutionEngine
        """The crawl's engine, or None before the crawl starts (Crawler.engine raises then)."""
        try:
            return self.crawler.engine
        except (RuntimeError, AttributeError):
            return None

    def pending(self) -> int:
        """Requests queued in the scheduler or in flight in the downloader, exactly."""
        engine = self.engine()
        scheduler = getattr(engine, "scheduler", None)
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        downloader = getattr(engine, "downloader", None)
        return queued + len(getattr(downloader, "active", ()) or ())

    def left(self, pending: int) -> Counter[str]:
        """Requests left per source, from the signals (a request a middleware refused before the
        downloader is never "done", so each source's figure is capped at the exact total)."""
        return Counter(
            {s: min(n - self.answered[s], pending) for s, n in self.scheduled.items() if n > self.answered[s]}
        )

    def estimate(self, pending: int) -> str | None:
        """Time left at the recent rate; None until there is a rate to go by."""
        if pending <= 0 or len(self.responses) < 5:
            return None
        span = self.responses[-1] - self.responses[0]
        if span <= 0:
            return None
        rate = (len(self.responses) - 1) / span
        return f"~{_duration(pending / rate)} left"

    def line(self) -> str:
        stats = self.crawler.stats
        value = stats.get_value if stats is not None else (lambda _key, default=0: default)
        pending = self.pending()
        left = self.left(pending)
        parts = [
            f"{value('response_received_count', 0)} responses ({value(PAGES_FETCHED, 0)} articles, "
            f"{value(PAGES_NOT_MODIFIED, 0)} not modified)",
            f"{pending} queued",
            # A dry run stores nothing: it says what it would have stored.
            f"{value(ITEMS_PREVIEWED)} would be stored"
            if value(ITEMS_PREVIEWED, None) is not None
            else f"{value(ITEMS_STORED, 0)} stored",
            f"{value(ITEMS_FLAGGED, 0)} flagged",
        ]
        failures = value(ENDPOINTS_FAILED, 0)
        if failures:
            parts.append(f"{failures} endpoint failures")
        estimate = self.estimate(pending)
        if estimate:
            parts.append(estimate)
        busiest = [f"{source} {left[source]} left" for source, _n in left.most_common(BUSIEST) if source != "-"]
        if busiest:
            parts.append("busiest: " + ", ".join(busiest))
        return " · ".join(parts)

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
