"""Polls the configured sources: their feeds, listing pages and sitemaps, in one crawl.

One spider for all sources, rather than a spider per source or per entry type, so that Scrapy's
scheduler interleaves hosts and its per-domain concurrency and AutoThrottle apply across them.

With ``probe=True`` (``monitor sources check``) each entry point is fetched once, without
conditional headers, and nothing else: no article, no second listing page, no child sitemap.

Feeds are parsed off the reactor thread, in a bounded worker process (``spiders.feed_pool``),
and a run requests at most ``max_entries_per_feed`` entries of a feed that are not stored yet,
newest first; the source's validators then stay unpromoted, so the next run reads the feed in
full and takes the next-newest.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameter

from monitor.config.entry_points import entry_points
from monitor.config.schema import JsonApi, Listing, Source
from monitor.extraction.dates import settle_date
from monitor.urls import canonical_url, host_of, join_url, request_url
from spiders import errors
from spiders.base import CrawlSource, MonitorSpider
from spiders.documents import document_links, page_tree, within_hosts
from spiders.feed_pool import FeedParsing, FeedParsingStopped, response_headers
from spiders.feeds import FeedEntry, NotAFeed
from spiders.json_api import NotAnApiAnswer, parse_json_api
from spiders.listings import article_links, next_page
from spiders.sitemaps import NotASitemap, SitemapEntry, parse_sitemap, sitemaps_from_robots

log = logging.getLogger(__name__)

# A feed entry whose <updated> is this much later than its <published> was revised after
# publication; a smaller gap is the CMS stamping both fields at save time.
REVISION_GAP = timedelta(minutes=5)
# Child sitemaps of an index followed at most; news sites split by month and keep decades.
MAX_CHILD_SITEMAPS = 50
# A later listing page answering one of these is past the last page, not a failure.
PAST_THE_END = (404, 410)


class SourceSpider(MonitorSpider):
    name = "sources"

    def __init__(self, sources: list[Source], *args: Any, probe: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = sources
        self.probe = probe
        self.record_validators = not probe
        self.started_at = datetime.now(UTC)
        # Listing entry points whose last crawl never completed, read before this run records any.
        self.unfinished: set[str] = set()
        # In this thread unless the crawl gives it a worker pool (``from_crawler``).
        self.feed_parsing = FeedParsing(workers=0)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = cast(SourceSpider, super().from_crawler(crawler, *args, **kwargs))
        spider.feed_parsing = FeedParsing.from_crawler(crawler)
        return spider

    @classmethod
    def covered_sources(cls, **spider_kwargs: Any) -> list[str]:
        if spider_kwargs.get("probe"):
            return []
        return [source.id for source in spider_kwargs.get("sources", [])]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        conditional = not self.probe
        if not self.probe:
            self.unfinished = self.repository.unfinished_endpoints([source.id for source in self.sources])
        for source in self.sources:
            # Every kind of entry point from one registry (monitor.config.entry_points), each
            # answered by its parse_<kind> callback.
            for point in entry_points(source):
                yield self.endpoint_request(
                    point.url,
                    point.kind,
                    source.id,
                    getattr(self, f"parse_{point.kind}"),
                    conditional=conditional,
                    cb_kwargs={"source": source, **point.kwargs},
                )
            if source.discover_sitemaps and source.homepage:
                robots = urljoin(source.homepage, "/robots.txt")
                yield scrapy.Request(
                    robots,
                    callback=self.parse_robots,
                    errback=self.robots_failed,
                    cb_kwargs={"source": source},
                    meta={"handle_httpstatus_list": [404, 410]},
                    dont_filter=True,
                )
        if not self.probe:
            # The documents that earlier runs' articles cite and no run stored: their articles are
            # stored, so no page of this run leads to them again.
            for request in self.pending_documents(self.sources):
                yield request

    def _articles(
        self, source: Source, links: list[tuple[str, dict[str, Any]]], via: str, found_on: str | None = None
    ) -> Iterator[scrapy.Request]:
        if self.probe:
            return iter(())
        return self.article_requests(source, links, via=via, found_on=found_on)

    def _newest(self, dates: list[datetime | None]) -> datetime | None:
        newest = max((d for d in dates if d is not None), default=None)
        return settle_date(newest, datetime.now(UTC))[0] if newest else None

    # -- feeds ---------------------------------------------------------------------------
    async def parse_feed(self, response: Response, source: Source) -> AsyncIterator[scrapy.Request]:
        if self.not_modified(response):
            return
        self.crawler.stats.inc_value("feeds/fetched")
        try:
            _title, entries = await self.feed_parsing.parse(
                response.body, response.url, source.timezone, response_headers(response)
            )
        except FeedParsingStopped:
            return
        except NotAFeed as exc:
            self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            return
        revised = self._revised(response, entries)
        links = []
        for entry in entries_newest_first(entries):
            # Joined without raising; a link no parser can read is refused by name at the gate.
            url = join_url(response.url, entry.url)
            extra = {
                "title": entry.title,
                "summary": entry.summary,
                "published": entry.published or entry.updated,
                "feed_updated": url in revised,
            }
            links.append((url, extra))
        links, note = self._capped(source, response.url, links, len(entries))
        if note is None and entries and not any(e.published or e.updated for e in entries):
            note = f"undated: none of its {len(entries)} entries carries a date"
        self.endpoint_ok(response, len(entries), self._newest([e.published or e.updated for e in entries]), note)
        for request in self._articles(source, links, "feed", response.url):
            yield request

    def _capped(
        self, source: Source, feed_url: str, links: list[tuple[str, dict[str, Any]]], in_feed: int
    ) -> tuple[list[tuple[str, dict[str, Any]]], str | None]:
        """At most ``max_entries_per_feed`` links not stored yet, newest first, and the note for the
        source's health when some were left for later runs.

        Counted among the links not stored, so that the next run, which reads the same feed, takes
        the next-newest rather than the same ones again; a run that leaves some keeps the source's
        validators unpromoted, so the next run gets the feed in full instead of a 304.
        """
        limit = source.max_entries_per_feed or self.settings.getint("MONITOR_MAX_ENTRIES_PER_FEED")
        if self.probe or len(links) <= limit:
            return links, None
        canonical = {url: _canonical(url) for url, _extra in links}
        stored = self.repository.stored_urls(
            key for url, extra in links if (key := canonical[url]) is not None and not extra.get("feed_updated")
        )
        fresh = [
            (url, extra)
            for url, extra in links
            if extra.get("feed_updated") or (canonical[url] not in stored and canonical[url] not in self.requested)
        ]
        if len(fresh) <= limit:
            return fresh, None
        self.source_incomplete(source.id)
        self.crawler.stats.inc_value("feeds/entries_left_for_later", len(fresh) - limit)
        note = (
            f"took the {limit:,} newest of {len(fresh):,} entries not stored yet ({in_feed:,} in the feed); "
            "the rest on later runs"
        )
        log.warning("source %s: feed %s: %s", source.id, feed_url, note)
        return fresh[:limit], note

    def _revised(self, response: Response, entries: list[FeedEntry]) -> set[str]:
        """URLs of stored articles whose feed entry says they changed after we fetched them."""
        candidates = {
            url: e.updated
            for e in entries
            if e.updated
            and (e.published is None or e.updated - e.published > REVISION_GAP)
            and (url := join_url(response.url, e.url))
            and _canonical(url) is not None
        }
        if not candidates:
            return set()
        fetched = self.stored_fetch_times(candidates)
        revised = {
            url
            for url, updated in candidates.items()
            if canonical_url(url) in fetched and updated is not None and updated > fetched[canonical_url(url)]
        }
        if revised:
            self.crawler.stats.inc_value("articles/revised", len(revised))
        return revised

    # -- sitemaps ------------------------------------------------------------------------
    def parse_robots(self, response: Response, source: Source) -> Iterator[scrapy.Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        configured = set(source.sitemaps)
        found = sitemaps_from_robots(response.body, response.url)
        for sitemap in self.checked_links(source.id, found, "robots.txt sitemap", response.url):
            if sitemap not in configured:
                yield self.endpoint_request(
                    sitemap,
                    "sitemap",
                    source.id,
                    self.parse_sitemap,
                    conditional=not self.probe,
                    cb_kwargs={"source": source},
                )

    def robots_failed(self, failure: Failure) -> None:
        error_class, cause = errors.classify_failure(failure)
        request = getattr(failure, "request", None)  # set by Scrapy on a request's errback failure
        log.info("robots.txt for sitemap discovery at %s: %s (%s)", getattr(request, "url", "?"), cause, error_class)

    def _fresh(self, source: Source, entries: list[SitemapEntry], kind: str) -> list[SitemapEntry]:
        """Entries within the source's ``sitemap_max_age_days`` (undated ones are kept) and, for
        article entries, matching its ``sitemap_link_pattern``."""
        kept = entries
        if source.sitemap_max_age_days is not None:
            cutoff = self.started_at - timedelta(days=source.sitemap_max_age_days)
            kept = [e for e in kept if e.lastmod is None or e.lastmod >= cutoff]
            self.crawler.stats.inc_value("sitemaps/entries_too_old", len(entries) - len(kept))
        if source.sitemap_link_pattern and kind == "urlset":
            pattern = re.compile(source.sitemap_link_pattern)
            kept = [e for e in kept if pattern.search(e.url)]
        return kept

    # -- JSON APIs -----------------------------------------------------------------------
    def parse_json_api(self, response: Response, source: Source, api: JsonApi, page: int) -> Iterator[scrapy.Request]:
        """One answer of a JSON news API: its items become article requests, as a feed's do, and
        its next page is read while pages bring something new (at most ``max_pages``)."""
        if self.not_modified(response):
            return
        try:
            answer = parse_json_api(response.body, api, source.timezone)
        except NotAnApiAnswer as exc:
            if page == api.first_page:
                self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            else:  # the pages past this one were not read: the next run pages on through it
                self.source_incomplete(source.id)
                log.warning("source %s: API page %s: %s (not_a_feed)", source.id, response.url, exc)
            return
        links = [
            (join_url(response.url, e.url), {"title": e.title, "summary": e.summary, "published": e.published})
            for e in entries_newest_first(answer.entries)
        ]
        if page == api.first_page:
            links, note = self._capped(source, response.url, links, answer.items)
            self.endpoint_ok(response, answer.items, self._newest([e.published for e in answer.entries]), note)
        if self.probe:
            return
        requests = list(self._articles(source, links, "json_api", response.url))
        yield from requests
        if not requests or page - api.first_page + 1 >= api.max_pages:
            return
        following = answer.next_url
        if following is None and api.page_param:
            following = add_or_replace_parameter(response.url, api.page_param, str(page + 1))
        checked = self.checked_links(source.id, [following], "next-page", response.url) if following else []
        if checked and checked[0] != response.url:
            yield scrapy.Request(
                checked[0],
                callback=self.parse_json_api,
                errback=self.listing_page_failed,
                cb_kwargs={"source": source, "api": api, "page": page + 1},
                meta={"endpoint": {"kind": "json_api", "source_id": source.id, "url": api.url}},
            )

    def parse_sitemap(self, response: Response, source: Source) -> Iterator[scrapy.Request]:
        if self.not_modified(response):
            return
        try:
            kind, entries = parse_sitemap(response.body)
        except NotASitemap as exc:
            self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            return
        self.endpoint_ok(response, len(entries), self._newest([e.lastmod for e in entries]))
        entries = self._fresh(source, entries, kind)
        if self.probe:
            return
        if kind == "sitemapindex":
            newest_first = sorted(entries, key=lambda e: e.lastmod or self.started_at, reverse=True)
            children = [entry.url for entry in newest_first[:MAX_CHILD_SITEMAPS]]
            for child in self.checked_links(source.id, children, "sitemap", response.url):
                yield self.endpoint_request(
                    child, "sitemap", source.id, self.parse_sitemap, cb_kwargs={"source": source}
                )
            return
        links = [(entry.url, {"title": entry.title, "published": entry.lastmod}) for entry in entries]
        yield from self._articles(source, links, "sitemap", response.url)

    # -- listings ------------------------------------------------------------------------
    def parse_listing(
        self, response: Response, source: Source, listing: Listing, page: int
    ) -> Iterator[scrapy.Request]:
        if self.not_modified(response):
            return
        if page != listing.first_page and response.status in PAST_THE_END:
            # A pager's next link (or a page_url template) past the last page: the end, not a failure.
            self.crawler.stats.inc_value("listings/past_last_page")
            log.info("source %s: listing page %s: %d, past the last page", source.id, response.url, response.status)
            return
        if not isinstance(response, TextResponse):
            self.endpoint_broken(response, errors.NOT_A_FEED, "listing page is not HTML", status=response.status)
            return
        self.listing_pages.add(canonical_url(response.url))
        root = page_tree(response)
        links = article_links(response, listing, root, content_only=True)
        if page == listing.first_page:
            # Said in health, for ``sources check`` to point at the selector (monitor/cli/hints.py).
            empty = (
                None if links else f"no links: no article link on the page (link_selector {listing.link_selector!r})"
            )
            self.endpoint_ok(response, len(links), None, empty)
        if self.probe:
            return
        self.crawler.stats.inc_value("listings/pages")
        # The requests are exactly the links neither stored nor already requested in this run,
        # and (without a link_selector, which says itself which links count) the documents that
        # the page's content area cites.
        hosts = self.document_hosts(source)
        cited: list[str] = []
        if not listing.link_selector:
            cited = [url for url in document_links(response, root) if within_hosts(url, hosts)]
            cited = cited[: source.max_documents_per_page]
        # New: not stored by an earlier run. A link this run requested already (from the feed,
        # the home page's teasers) is new all the same, and the next page may hold more.
        fresh = len(self.not_stored_before([*links, *cited]))
        yield from self.article_requests(source, [(url, {}) for url in links], via="listing", found_on=response.url)
        yield from self.document_requests(source, cited, response.url, hosts, len(cited))
        limit = listing.max_pages or self.settings.getint("MONITOR_MAX_PAGES_PER_LISTING")
        pages_done = page - listing.first_page + 1
        # Regulators' CMSs answer 200 with an empty list past the last page, and an unchanged
        # site needs no second page: stop when a page brings nothing new. When the last crawl of
        # this listing did not complete (killed, cut by the time limit, an article not stored),
        # page on while pages have links at all: the pages it never reached may hold articles
        # that are not stored.
        resume = listing.url in self.unfinished
        if (fresh == 0 and not (resume and links)) or pages_done >= limit:
            if fresh and pages_done >= limit:
                self.crawler.stats.inc_value("listings/page_limit_reached")
            return
        following = next_page(response, listing, page, root)
        checked = self.checked_links(source.id, [following], "next-page", response.url) if following else []
        if checked and canonical_url(checked[0]) not in self.listing_pages:
            yield scrapy.Request(
                request_url(checked[0]),
                callback=self.parse_listing,
                errback=self.listing_page_failed,
                cb_kwargs={"source": source, "listing": listing, "page": page + 1},
                meta={
                    "endpoint": {"kind": "listing", "source_id": source.id, "url": listing.url},
                    "handle_httpstatus_list": list(PAST_THE_END),
                },
            )

    def document_hosts(self, source: CrawlSource) -> set[str]:
        """The hosts of the source's homepage and entry points: a document there is the source's."""
        configured = cast(Source, source)
        urls = [point.url for point in entry_points(configured)] + [configured.homepage or ""]
        return {host for url in urls if (host := host_of(url))}

    def listing_page_failed(self, failure: Failure) -> None:
        """A later listing page failing is logged; the endpoint's health follows its first page."""
        error_class, cause = errors.classify_failure(failure)
        self.crawler.stats.inc_value("listings/page_failed")
        # The pages past this one were not read: the next run must page on through it.
        request = getattr(failure, "request", None)  # set by Scrapy on a request's errback failure
        endpoint = (request.meta.get("endpoint") if request is not None else None) or {}
        if endpoint.get("source_id"):
            self.source_incomplete(endpoint["source_id"])
        log.warning("listing page %s: %s (%s)", getattr(request, "url", "?"), cause, error_class)


def entries_newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Dated entries newest first, then the undated ones in the feed's own order."""
    dated = [e for e in entries if (e.published or e.updated) is not None]
    undated = [e for e in entries if (e.published or e.updated) is None]
    dated.sort(key=lambda e: e.published or e.updated or datetime.min.replace(tzinfo=UTC), reverse=True)
    return dated + undated


def _canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ValueError:
        return None
