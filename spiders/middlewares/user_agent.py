"""A source's own ``user_agent`` (sources.yaml) on every request made for it, robots.txt included.

Scrapy's ``UserAgentMiddleware`` gives each request the crawl's ``USER_AGENT`` unless the request
already has one; this middleware runs before it and sets the source's agent where the source names
one. A request belongs to a source by its meta (an entry point's ``endpoint``, an article's
``source``) or, for requests that carry neither (robots.txt), by its site (host and port): the
sites of the source's homepage and entry points. Two sources on one site with different agents:
the first in sources.yaml wins for such requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler

from monitor.urls import InvalidURL, split_url


def _site(url: str) -> str | None:
    """``host[:port]``, the unit a robots.txt and a web server answer for."""
    try:
        return split_url(url).netloc
    except InvalidURL:
        return None


class SourceUserAgentMiddleware:
    """Downloader middleware (before Scrapy's UserAgentMiddleware at 500)."""

    def __init__(self) -> None:
        self.by_source: dict[str, str] = {}
        self.by_site: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceUserAgentMiddleware:
        middleware = cls()
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.learn(getattr(spider, "sources", None) or [])

    def learn(self, sources: Iterable[Any]) -> None:
        """Index the agents of ``sources`` (config ``Source`` objects) by id and by host."""
        for source in sources:
            agent = getattr(source, "user_agent", None)
            if not agent:
                continue
            self.by_source[source.id] = agent
            urls = [
                source.homepage or "",
                *source.feeds,
                *source.sitemaps,
                *(listing.url for listing in source.listings),
            ]
            for url in urls:
                site = _site(url) if url else None
                if site:
                    self.by_site.setdefault(site, agent)

    def agent_for(self, request: Request) -> str | None:
        endpoint = request.meta.get("endpoint") or {}
        source_id = endpoint.get("source_id") or getattr(request.meta.get("source"), "id", None)
        if source_id is not None:
            return self.by_source.get(source_id)
        site = _site(request.url)
        return self.by_site.get(site) if site else None

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if not self.by_source:
            return
        agent = self.agent_for(request)
        if agent:
            request.headers[b"User-Agent"] = agent.encode("latin-1", "replace")
