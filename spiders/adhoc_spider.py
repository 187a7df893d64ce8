"""``monitor crawl URL``: one site, discovered from its URL, bounded by depth, pages and time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any, cast

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from monitor.stats import ARTICLES_SKIPPED_STORED
from monitor.storage.text import clean_url
from monitor.urls import InvalidURL, canonical_url, checked_url, join_url, same_site, split_url
from spiders import errors
from spiders.base import MonitorSpider
from spiders.discovery import feed_links, looks_like_article
from spiders.feed_pool import FeedParsing, FeedParsingStopped, response_headers
from spiders.feeds import NotAFeed
from spiders.listings import NON_ARTICLE, article_links
from spiders.sitemaps import NotASitemap, parse_sitemap, sitemaps_from_robots

log = logging.getLogger(__name__)

ADHOC_SOURCE_ID = "adhoc"


class AdhocSpider(MonitorSpider):
    name = "adhoc"

    def __init__(self, start_url: str, max_pages: int = 200, depth: int = 3, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Checked by ``monitor crawl`` already (a malformed URL is a usage error there); raises InvalidURL.
        self.start_url = checked_url(start_url)
        self.max_pages = max_pages
        self.max_depth = depth
        self.pages_requested = 0
        self.source = SimpleNamespace(id=ADHOC_SOURCE_ID, language=None, timezone="UTC", name=split_url(start_url).host)
        self.visited: set[str] = set()
        # In this thread unless the crawl gives it a worker pool (``from_crawler``), as SourceSpider.
        self.feed_parsing = FeedParsing(workers=0)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> AdhocSpider:
        spider = cast(AdhocSpider, super().from_crawler(crawler, *args, **kwargs))
        spider.feed_parsing = FeedParsing.from_crawler(crawler)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        parts = split_url(self.start_url)
        robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
        yield scrapy.Request(
            robots,
            callback=self.parse_robots,
            errback=self.ignore,
            dont_filter=True,
            meta={"dont_obey_robotstxt": True, "handle_httpstatus_list": [404]},
            priority=20,
        )
        yield self.endpoint_request(
            self.start_url,
            "listing",
            ADHOC_SOURCE_ID,
            self.parse_page,
            conditional=False,
            cb_kwargs={"depth": 0},
        )

    def ignore(self, failure: Failure) -> None:
        log.info("no robots.txt for %s: %s", self.start_url, errors.classify_failure(failure)[1])

    def budget_left(self) -> bool:
        return self.pages_requested < self.max_pages

    def follow(
        self, url: str, depth: int, stored: set[str] | None = None, canonical: str | None = None
    ) -> scrapy.Request | None:
        """A request for ``url`` (a checked one, see ``checked_links``), or None; ``stored`` is what
        ``stored_urls`` said of the listing's links."""
        canonical = canonical or canonical_url(url)
        if canonical in self.visited or not same_site(url, self.start_url) or not self.budget_left():
            return None
        if clean_url(canonical) in stored if stored is not None else self.repository.is_stored(canonical):
            self.crawler.stats.inc_value(ARTICLES_SKIPPED_STORED)
            return None
        self.visited.add(canonical)
        self.pages_requested += 1
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.article_failed,
            cb_kwargs={"depth": depth},
            meta={"source": self.source, "checked_canonical": canonical},
        )

    def limited(self, requests: Iterator[scrapy.Request]) -> Iterator[scrapy.Request]:
        for request in requests:
            if not same_site(request.url, self.start_url):
                continue
            if not self.budget_left():
                self.crawler.stats.inc_value("adhoc/page_limit_reached")
                return
            self.pages_requested += 1
            yield request

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        found = sitemaps_from_robots(response.body, response.url)
        for sitemap in self.checked_links(ADHOC_SOURCE_ID, found, "robots.txt sitemap", response.url):
            if same_site(sitemap, self.start_url):
                yield self.endpoint_request(sitemap, "sitemap", ADHOC_SOURCE_ID, self.parse_sitemap, conditional=False)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            kind, entries = parse_sitemap(response.body)
        except NotASitemap as exc:
            self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            return
        if kind == "sitemapindex":
            children = self.checked_links(ADHOC_SOURCE_ID, [e.url for e in entries[:50]], "sitemap", response.url)
            for child in children:
                yield self.endpoint_request(child, "sitemap", ADHOC_SOURCE_ID, self.parse_sitemap, conditional=False)
            return
        entries = sorted(entries, key=lambda e: e.lastmod.timestamp() if e.lastmod else 0, reverse=True)
        links = [(e.url, {"title": e.title, "published": e.lastmod}) for e in entries]
        yield from self.limited(self.article_requests(self.source, links, via="sitemap", found_on=response.url))

    async def parse_feed(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Parsed in the crawl's bounded feed worker, with the response's headers (its charset)."""
        try:
            _title, entries = await self.feed_parsing.parse(
                response.body, response.url, "UTC", response_headers(response)
            )
        except FeedParsingStopped:
            return
        except NotAFeed as exc:
            self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            return
        links = [
            (join_url(response.url, e.url), {"title": e.title, "summary": e.summary, "published": e.published})
            for e in entries
        ]
        for request in self.limited(self.article_requests(self.source, links, via="feed", found_on=response.url)):
            yield request

    def parse_page(self, response: Response, depth: int) -> Iterator[Any]:
        """A page is an article (yielded to the pipeline) or a listing (its links followed)."""
        try:
            self.visited.add(canonical_url(response.url))
        except InvalidURL:  # not reached: the request and each redirect passed the gate
            pass
        if not isinstance(response, TextResponse):
            yield from self.parse_article(response)  # PDFs and other documents go to extraction
            return
        if depth == 0:
            for feed in self.checked_links(ADHOC_SOURCE_ID, feed_links(response), "feed", response.url):
                if same_site(feed, self.start_url):
                    yield self.endpoint_request(feed, "feed", ADHOC_SOURCE_ID, self.parse_feed, conditional=False)
        if depth > 0 and looks_like_article(response):
            yield from self.parse_article(response)
            return
        if depth >= self.max_depth:
            return
        found = [url for url in article_links(response, None) if not NON_ARTICLE.search(url)]
        links = self.checked_links(ADHOC_SOURCE_ID, found, "listing", response.url)
        # One query for the listing's links, not one per link: an unchanged rerun of a big site
        # spent most of its time in these look-ups.
        canonicals = [canonical_url(url) for url in links]  # once a link: half a rerun's listing work
        stored = self.repository.stored_urls(canonicals)
        for url, canonical in zip(links, canonicals, strict=True):
            request = self.follow(url, depth + 1, stored, canonical)
            if request is not None:
                yield request
