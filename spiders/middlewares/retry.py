"""Bounded retries with exponential backoff, and ``Retry-After`` honoured on 429 and 503.

Scrapy's ``RetryMiddleware`` re-queues a failed request at once, which hammers a site that is
already struggling, and ignores ``Retry-After``. This subclass waits before handing back the
retry (the wait holds no download slot: Scrapy counts only transferring requests against the
per-domain limit). A ``Retry-After`` beyond ``MONITOR_RETRY_AFTER_CAP`` is not waited out: the
response goes to the spider as the failure it is, and the host is left alone for the rest of the
run; the next scheduled run tries again.
"""

from __future__ import annotations

import email.utils
import logging
import time
from datetime import UTC
from typing import Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet import task

from spiders.errors import BLOCKED, HostSkipped

log = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = frozenset({429, 503})


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else time.time()
    return max(0.0, when.timestamp() - current)


class BackoffRetryMiddleware(RetryMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.retry.RetryMiddleware`` (same order, 550).

    Settings (defaults in ``monitor.settings_defaults``): ``MONITOR_RETRY_BACKOFF`` (first wait,
    seconds; doubled per retry), ``MONITOR_RETRY_BACKOFF_MAX`` and ``MONITOR_RETRY_AFTER_CAP``
    (seconds); Scrapy's ``RETRY_*`` settings as for ``RetryMiddleware``.
    """

    def __init__(self, settings: BaseSettings, *, backoff: float, backoff_max: float, retry_after_cap: float) -> None:
        super().__init__(settings)  # RETRY_ENABLED, RETRY_TIMES, RETRY_HTTP_CODES, ... as Scrapy reads them
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.retry_after_cap = retry_after_cap
        self.paused: dict[str, float] = {}  # netloc -> monotonic time until which it asked to be left alone

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(
            crawler.settings,
            backoff=crawler.settings.getfloat("MONITOR_RETRY_BACKOFF"),
            backoff_max=crawler.settings.getfloat("MONITOR_RETRY_BACKOFF_MAX"),
            retry_after_cap=crawler.settings.getfloat("MONITOR_RETRY_AFTER_CAP"),
        )
        middleware.crawler = crawler
        return middleware

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        netloc = urlparse_cached(request).netloc
        until = self.paused.get(netloc)
        if until is not None and time.monotonic() < until:
            self.crawler.stats.inc_value("retry/host_paused")
            raise HostSkipped(f"{netloc} asked us to wait (Retry-After beyond the cap); left for the next run", BLOCKED)
        return None

    def delay_for(self, request: Request) -> float:
        attempt = int(request.meta.get("retry_times", 0))
        return float(min(self.backoff * (2**attempt), self.backoff_max))

    # Scrapy (2.13+) awaits coroutine middleware methods; RetryMiddleware declares the sync form.
    async def process_response(  # type: ignore[override]  # coroutine override, see above
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = self.delay_for(request)
        if response.status in RETRY_AFTER_STATUSES:
            wanted = parse_retry_after(response.headers.get("Retry-After"))
            if wanted is not None and wanted > self.retry_after_cap:
                netloc = urlparse_cached(request).netloc
                self.paused[netloc] = time.monotonic() + wanted
                request.meta["retry_after"] = wanted
                self.crawler.stats.inc_value("retry/retry_after_beyond_cap")
                log.warning(
                    "%s answered %s with Retry-After %.0f s (cap %.0f s): left alone until the next run",
                    netloc,
                    response.status,
                    wanted,
                    self.retry_after_cap,
                )
                return response
            if wanted is not None:
                self.crawler.stats.inc_value("retry/retry_after_honoured")
                delay = max(delay, wanted)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(delay)
        return retry

    async def process_exception(  # type: ignore[override]  # coroutine override, as process_response
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        delay = self.delay_for(request)
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(delay)
        return retry

    async def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        from twisted.internet import reactor

        await maybe_deferred_to_future(task.deferLater(reactor, seconds))


__all__ = ["BackoffRetryMiddleware", "parse_retry_after"]
