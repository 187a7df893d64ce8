"""Polls the configured sources: their feeds, listing pages and sitemaps, in one crawl.

One spider for all sources, rather than a spider per source or per entry type, so that Scrapy's
scheduler interleaves hosts and its per-domain concurrency and AutoThrottle apply across them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from monitor.config.schema import Listing, Source
from spiders import errors
from spiders.base import MonitorSpider
from spiders.feeds import NotAFeed, parse_feed
from spiders.listings import article_links, next_page
from spiders.sitemaps import NotASitemap, parse_sitemap

log = logging.getLogger(__name__)


class SourceSpider(MonitorSpider):
    name = "sources"

    def __init__(self, sources: list[Source], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = sources

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            for feed in source.feeds:
                yield self.endpoint_request(
                    feed, "feed", source.id, self.parse_feed, cb_kwargs={"source": source}
                )
            for sitemap in source.sitemaps:
                yield self.endpoint_request(
                    sitemap, "sitemap", source.id, self.parse_sitemap, cb_kwargs={"source": source}
                )
            for listing in source.listings:
                yield self.endpoint_request(
                    listing.url,
                    "listing",
                    source.id,
                    self.parse_listing,
                    cb_kwargs={"source": source, "listing": listing, "page": listing.first_page},
                )

    # -- feeds ---------------------------------------------------------------------------
    def parse_feed(self, response: Response, source: Source) -> Iterator[scrapy.Request]:
        if self.not_modified(response):
            return
        self.crawler.stats.inc_value("feeds/fetched")
        try:
            _title, entries = parse_feed(response.body, response.url)
        except NotAFeed as exc:
            self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            return
        newest = max((e.published or e.updated for e in entries if e.published or e.updated), default=None)
        self.endpoint_ok(response, len(entries), newest)
        links = [
            (
                response.urljoin(entry.url),
                {
                    "title": entry.title,
                    "summary": entry.summary,
                    "published": entry.published or entry.updated,
                },
            )
            for entry in entries
        ]
        yield from self.article_requests(source, links, via="feed")

    # -- sitemaps ------------------------------------------------------------------------
    def parse_sitemap(
        self, response: Response, source: Source, since: datetime | None = None
    ) -> Iterator[scrapy.Request]:
        if self.not_modified(response):
            return
        try:
            kind, entries = parse_sitemap(response.body)
        except NotASitemap as exc:
            self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            return
        newest = max((e.lastmod for e in entries if e.lastmod), default=None)
        self.endpoint_ok(response, len(entries), newest)
        if kind == "sitemapindex":
            for entry in entries:
                yield self.endpoint_request(
                    entry.url, "sitemap", source.id, self.parse_sitemap, cb_kwargs={"source": source}
                )
            return
        links = [(entry.url, {"title": entry.title, "published": entry.lastmod}) for entry in entries]
        yield from self.article_requests(source, links, via="sitemap")

    # -- listings ------------------------------------------------------------------------
    def parse_listing(
        self, response: Response, source: Source, listing: Listing, page: int
    ) -> Iterator[scrapy.Request]:
        if self.not_modified(response):
            return
        if not isinstance(response, TextResponse):
            self.endpoint_broken(
                response, errors.NOT_A_FEED, "listing page is not HTML", status=response.status
            )
            return
        links = article_links(response, listing)
        if page == listing.first_page:
            self.endpoint_ok(response, len(links), None)
        fresh = self.new_link_count(links)
        self.crawler.stats.inc_value("listings/pages")
        yield from self.article_requests(source, [(url, {}) for url in links], via="listing")
        limit = listing.max_pages or self.settings.getint("MONITOR_MAX_PAGES_PER_LISTING", 5)
        pages_done = page - listing.first_page + 1
        # Regulators' CMSs answer 200 with an empty list past the last page, and an unchanged
        # site needs no second page: stop when a page brings nothing new.
        if fresh == 0 or pages_done >= limit:
            return
        following = next_page(response, listing, page)
        if following and following != response.url:
            yield scrapy.Request(
                following,
                callback=self.parse_listing,
                errback=self.listing_page_failed,
                cb_kwargs={"source": source, "listing": listing, "page": page + 1},
                meta={"endpoint": {"kind": "listing", "source_id": source.id, "url": listing.url}},
            )

    def listing_page_failed(self, failure: Any) -> None:
        """A later listing page failing is logged; the endpoint's health follows its first page."""
        error_class, cause = errors.classify_failure(failure)
        self.crawler.stats.inc_value("listings/page_failed")
        log.warning("listing page %s: %s (%s)", getattr(failure.request, "url", "?"), cause, error_class)
