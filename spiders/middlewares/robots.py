"""robots.txt as Google and Bing read it: a server error means "stay away for now".

Scrapy's own ``RobotsTxtMiddleware`` treats a robots.txt that answers 5xx, 429 or never answers
as "no rules" and goes on crawling. A site that cannot serve its robots.txt is overloaded or in
maintenance, so this subclass skips the whole host for the rest of the run instead; a 404 still
means "everything allowed" (RFC 9309, 2.3.1.3 and 2.3.1.4).
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from spiders.errors import (
    CONNECTION,
    DNS,
    ROBOTS_UNREACHABLE,
    TIMEOUT,
    TLS,
    HostSkipped,
    RobotsDenied,
    classify_exception,
)

log = logging.getLogger(__name__)

# When robots.txt cannot be fetched because the host itself is unreachable, the host's problem
# is the better diagnosis ("dns" for a dead domain); robots_unreachable is for a host that
# answers but cannot serve its robots.txt.
HOST_LEVEL_CLASSES = frozenset({TIMEOUT, DNS, TLS, CONNECTION})

# Statuses that say "the server cannot answer now", not "there are no rules".
UNAVAILABLE_STATUSES = frozenset({429}) | frozenset(range(500, 600))


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware`` (same order, 100)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.unreachable: dict[str, tuple[str, str]] = {}  # netloc -> (error class, why)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StrictRobotsTxtMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("dont_obey_robotstxt") or not request.url.startswith(("http://", "https://")):
            return
        parser = await self.robot_parser(request)
        netloc = urlparse_cached(request).netloc
        if netloc in self.unreachable:
            self._stats.inc_value("robotstxt/host_skipped")
            error_class, why = self.unreachable[netloc]
            raise HostSkipped(f"robots.txt unreachable ({why}): {netloc} skipped for this run", error_class)
        self.process_request_2(parser, request)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        """Scrapy's check, its refusal given a type: the error class must not be read from a message."""
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:  # the only thing Scrapy's check raises: "Forbidden by robots.txt"
            raise RobotsDenied("forbidden by robots.txt") from exc

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The host's parser, the same for every request.

        Scrapy 2.19 lets each request that arrives while robots.txt is downloading await the same
        Deferred; Twisted hands its result to the first awaiter only, and the others get None,
        which Scrapy reads as "no rules": with several requests per host queued at start, robots.txt
        was not obeyed for most of them. The parser is stored before the Deferred fires, so it is
        read back from there.
        """
        first = await super().robot_parser(request)
        current = self._parsers.get(urlparse_cached(request).netloc)
        return first if isinstance(current, Deferred) else current

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status in UNAVAILABLE_STATUSES:
            self.unreachable[netloc] = (ROBOTS_UNREACHABLE, f"HTTP {response.status}")
            log.warning("robots.txt of %s answered %s: host skipped for this run", netloc, response.status)
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._resolve(netloc)
            return
        await super()._parse_robots(response, netloc, request)
        # The spider may read the same robots.txt (its Sitemap: lines) instead of fetching it again.
        received = getattr(self.crawler.spider, "robots_txt_received", None)
        if received is not None:
            received(response)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            error_class, cause = classify_exception(exc)
            self.unreachable[netloc] = (
                error_class if error_class in HOST_LEVEL_CLASSES else ROBOTS_UNREACHABLE,
                cause,
            )
            log.warning("robots.txt of %s failed (%s): host skipped for this run", netloc, cause)
        super()._robots_error(exc, netloc)

    def _resolve(self, netloc: str) -> None:
        waiting = self._parsers[netloc]
        self._parsers[netloc] = None
        if waiting is not None and hasattr(waiting, "callback"):
            waiting.callback(None)
