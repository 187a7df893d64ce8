"""``monitor crawl URL``: one site, discovered from its URL, bounded by depth, pages and time.

Sitemaps named in robots.txt and feeds announced on the start page give their entries; then the
pages, link by link. A page with article metadata is stored (``looks_like_article``); any other
page is a listing: its links are followed one hop deeper, the documents it cites (PDF, DOCX) are
fetched, and its next page (``spiders.listings.next_page_link``) is read at the same depth, until
a page brings no link of its content area that is not requested or stored already. A next page
that answers 404 or 410 is past the last one: the paging ends there, without a failure.

What the crawl finds on the way (feeds and sitemaps that parsed, listings with their pages and
links, the pages and documents taken as articles) is kept in ``discovered``, of which ``monitor
crawl`` makes its suggested ``sources.yaml`` entry (``monitor.preview.suggest``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from types import SimpleNamespace
from typing import Any, cast

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from monitor.extraction.document import detect_kind
from monitor.stats import ARTICLES_SKIPPED_STORED
from monitor.storage.text import clean_url
from monitor.urls import InvalidURL, canonical_url, checked_url, join_url, request_url, same_site, split_url
from spiders import errors
from spiders.base import DOCUMENT_KINDS, MAX_DOCUMENTS_PER_PAGE, CrawlSource, MonitorSpider
from spiders.discovery import Discovered, feed_links, looks_like_article
from spiders.documents import content_links, document_links, page_tree
from spiders.feed_pool import FeedParsing, FeedParsingStopped, response_headers
from spiders.feeds import NotAFeed
from spiders.items import DocumentItem
from spiders.listings import NON_ARTICLE, article_links, next_page_link
from spiders.sitemaps import NotASitemap, parse_sitemap, sitemaps_from_robots

log = logging.getLogger(__name__)

ADHOC_SOURCE_ID = "adhoc"
# A next listing page answering one of these is past the last page, not a failure.
PAST_THE_END = (404, 410)


class AdhocSpider(MonitorSpider):
    name = "adhoc"

    def __init__(self, start_url: str, max_pages: int = 200, depth: int = 3, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Checked by ``monitor crawl`` already (a malformed URL is a usage error there); raises InvalidURL.
        self.start_url = checked_url(start_url)
        self.max_pages = max_pages
        self.max_depth = depth
        self.pages_requested = 0
        self.host = split_url(self.start_url).host
        self.source = SimpleNamespace(
            id=ADHOC_SOURCE_ID,
            language=None,
            timezone="UTC",
            name=self.host,
            max_documents_per_page=MAX_DOCUMENTS_PER_PAGE,
        )
        # In this thread unless the crawl gives it a worker pool (``from_crawler``), as SourceSpider.
        self.feed_parsing = FeedParsing(workers=0)
        # What the site turned out to hold: the suggested sources.yaml entry is made of it.
        self.discovered = Discovered(self.start_url)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> AdhocSpider:
        spider = cast(AdhocSpider, super().from_crawler(crawler, *args, **kwargs))
        spider.feed_parsing = FeedParsing.from_crawler(crawler)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        parts = split_url(self.start_url)
        robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
        if not self.settings.getbool("ROBOTSTXT_OBEY"):
            # Else the robots.txt middleware fetches it, once, and hands it over (robots_txt_received).
            yield scrapy.Request(
                robots,
                callback=self.parse_robots,
                errback=self.ignore,
                dont_filter=True,
                meta={"dont_obey_robotstxt": True, "handle_httpstatus_list": [404]},
                priority=20,
            )
        self.requested.add(canonical_url(self.start_url))
        yield self.endpoint_request(
            self.start_url,
            "listing",
            ADHOC_SOURCE_ID,
            self.parse_page,
            conditional=False,
            meta={"source": self.source},
            cb_kwargs={"depth": 0},
        )
        # Documents an earlier crawl of this site found cited on pages it stored, and did not store.
        for request in self.limited(self.pending_documents([self.source], site=self.start_url), depth=1):
            yield request

    def ignore(self, failure: Failure) -> None:
        log.info("no robots.txt for %s: %s", self.start_url, errors.classify_failure(failure)[1])

    def budget_left(self) -> bool:
        return self.pages_requested < self.max_pages

    def document_hosts(self, source: CrawlSource) -> set[str]:
        return {self.host}

    def cited_documents(self, response: TextResponse, source: CrawlSource) -> Iterator[scrapy.Request]:
        yield from self.limited(super().cited_documents(response, source), response.meta.get("depth", 0) + 1)

    def follow(
        self,
        url: str,
        depth: int,
        stored: set[str] | None = None,
        canonical: str | None = None,
        found_on: str | None = None,
    ) -> scrapy.Request | None:
        """A request for ``url`` (a checked one, see ``checked_links``), or None; ``stored`` is what
        ``stored_urls`` said of the listing's links."""
        canonical = canonical or canonical_url(url)
        if canonical in self.requested or not same_site(url, self.start_url) or not self.budget_left():
            return None
        if clean_url(canonical) in stored if stored is not None else self.repository.is_stored(canonical):
            self.crawler.stats.inc_value(ARTICLES_SKIPPED_STORED)
            return None
        self.requested.add(canonical)
        self.pages_requested += 1
        return scrapy.Request(
            request_url(url),
            callback=self.parse_page,
            errback=self.article_failed,
            cb_kwargs={"depth": depth},
            meta={"source": self.source, "checked_canonical": canonical, "found_on": found_on, "depth": depth},
        )

    def limited(self, requests: Iterator[scrapy.Request], depth: int | None = None) -> Iterator[scrapy.Request]:
        for request in requests:
            if not same_site(request.url, self.start_url):
                continue
            if not self.budget_left():
                self.crawler.stats.inc_value("adhoc/page_limit_reached")
                return
            self.pages_requested += 1
            if depth is not None:
                request.meta["depth"] = depth
            yield request

    def robots_txt_received(self, response: Response) -> None:
        """The robots.txt the robots.txt middleware fetched for a host: its sitemaps are read from it."""
        if not same_site(response.url, self.start_url) or self.crawler.engine is None:
            return
        for request in self.parse_robots(response):
            self.crawler.engine.crawl(request)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        found = sitemaps_from_robots(response.body, response.url)
        for sitemap in self.checked_links(ADHOC_SOURCE_ID, found, "robots.txt sitemap", response.url):
            if same_site(sitemap, self.start_url):
                yield self.endpoint_request(
                    sitemap,
                    "sitemap",
                    ADHOC_SOURCE_ID,
                    self.parse_sitemap,
                    conditional=False,
                    meta={"from_robots": True},
                )

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            kind, entries = parse_sitemap(response.body)
        except NotASitemap as exc:
            self.endpoint_broken(response, errors.NOT_A_FEED, str(exc), status=response.status)
            return
        if response.meta.get("from_robots") and entries:
            self.discovered.sitemaps[response.meta["endpoint"]["url"]] = len(entries)
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
        if entries:
            self.discovered.feeds[response.meta["endpoint"]["url"]] = len(entries)
        links = [
            (join_url(response.url, e.url), {"title": e.title, "summary": e.summary, "published": e.published})
            for e in entries
        ]
        for request in self.limited(self.article_requests(self.source, links, via="feed", found_on=response.url)):
            yield request

    def parse_article(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        """The base class's, noting each page or document it hands to the pipeline as an article."""
        for output in super().parse_article(response):
            if isinstance(output, DocumentItem):
                keys = set(_canonicals([response.url, *response.meta.get("redirect_urls", [])]))
                keys.update([output.checked_url] if output.checked_url else [])
                self.discovered.items.update(keys)
                if not isinstance(response, TextResponse) or response.meta.get("via") == "document":
                    self.discovered.documents.update(keys)
            yield output

    def document_was_a_page(self, response: Response) -> Iterator[Any]:
        """A link taken for a document that answers with a page is read as a page."""
        yield from self.parse_page(response, response.meta.get("depth", 1))

    def parse_page(self, response: Response, depth: int, paged: bool = False) -> Iterator[Any]:
        """A page is an article or document (yielded to the pipeline) or a listing (its links
        followed, its documents fetched, its next page read)."""
        if paged and response.status in PAST_THE_END:
            self.crawler.stats.inc_value("listings/past_last_page")
            log.info("listing page %s: %d, past the last page; paging ends", response.url, response.status)
            return
        try:
            self.requested.add(canonical_url(response.url))
        except InvalidURL:  # not reached: the request and each redirect passed the gate
            pass
        kind = detect_kind(response.body, (response.headers.get("Content-Type") or b"").decode("latin-1"))
        if not isinstance(response, TextResponse) or kind in DOCUMENT_KINDS:
            yield from self.parse_article(response)  # PDFs and other documents go to extraction
            return
        if depth == 0:
            self.discovered.start_page(response)
            for feed in self.checked_links(ADHOC_SOURCE_ID, feed_links(response), "feed", response.url):
                if same_site(feed, self.start_url):
                    yield self.endpoint_request(feed, "feed", ADHOC_SOURCE_ID, self.parse_feed, conditional=False)
        if depth > 0 and looks_like_article(response):
            yield from self.parse_article(response)
            return
        yield from self.parse_listing(response, depth)

    def parse_listing(self, response: TextResponse, depth: int) -> Iterator[scrapy.Request]:
        """A page that is neither an article nor a feed: followed, never stored."""
        self.note_redirects(response)
        self.listing_pages.add(canonical_url(response.url))
        root = page_tree(response)
        documents = [url for url in document_links(response, root) if same_site(url, self.start_url)]
        found = [url for url in article_links(response, None, root) if not NON_ARTICLE.search(url)]
        links = self.checked_links(ADHOC_SOURCE_ID, found, "listing", response.url) if depth < self.max_depth else []
        # One query for the listing's links, not one per link: an unchanged rerun of a big site
        # spent most of its time in these look-ups.
        canonicals = [canonical_url(url) for url in links]  # once a link: half a rerun's listing work
        cited = _canonicals(documents)
        stored = self.repository.stored_urls([*canonicals, *cited])
        content = set(_canonicals(content_links(response, root)))
        novel = self.novel(response, [*canonicals, *cited], stored, content)
        first = response.meta.get("listing_first") or canonical_url(response.url)
        self.discovered.listing_page(first, response.url, [key for key in [*canonicals, *cited] if key in content])
        self.discovered.read_as_listings.add(canonical_url(response.url))
        # Stored by an earlier crawl: articles all the same, for the suggested entry of a rerun.
        self.discovered.items.update(key for key in [*canonicals, *cited] if clean_url(key) in stored)
        self.discovered.documents.update(key for key in cited if clean_url(key) in stored)
        requests = self.document_requests(self.source, documents, response.url, {self.host}, MAX_DOCUMENTS_PER_PAGE)
        yield from self.limited(requests, depth + 1)
        for url, canonical in zip(links, canonicals, strict=True):
            request = self.follow(url, depth + 1, stored, canonical, found_on=response.url)
            if request is not None:
                yield request
        if depth >= self.max_depth:
            return
        following = next_page_link(response, root)
        if following:
            self.discovered.listings[first].paged = True
        if not novel:
            # Nothing in this page's content that was stored before this crawl or is new: an
            # unchanged listing, or an empty page past the end. Its next page would bring nothing.
            self.crawler.stats.inc_value("listings/nothing_new")
            return
        checked = self.checked_links(ADHOC_SOURCE_ID, [following], "next-page", response.url) if following else []
        if checked:
            yield from self.next_listing_page(checked[0], depth, response.url, frozenset([*canonicals, *cited]), first)

    def novel(self, response: TextResponse, keys: list[str], stored: set[str], content: set[str]) -> set[str]:
        """The links of the page's content area (``content``), on this site, that no crawl before
        this one stored, and that the page before it in the listing did not show (a menu that is
        not in a ``<nav>``): what makes the next page worth reading."""
        previous = response.meta.get("listing_links") or frozenset()
        return {
            key
            for key in keys
            if key in content
            and key not in previous
            and same_site(key, self.start_url)
            # Stored and requested by this crawl: stored by it, so new to it.
            and (clean_url(key) not in stored or key in self.requested)
        }

    def next_listing_page(
        self, url: str, depth: int, found_on: str, links: frozenset[str], first: str
    ) -> Iterator[scrapy.Request]:
        canonical = canonical_url(url)
        if canonical in self.requested or not same_site(url, self.start_url):
            return
        if not self.budget_left():
            self.crawler.stats.inc_value("adhoc/page_limit_reached")
            return
        self.requested.add(canonical)
        self.pages_requested += 1
        self.crawler.stats.inc_value("listings/pages")
        yield scrapy.Request(
            request_url(url),
            callback=self.parse_page,
            errback=self.article_failed,
            cb_kwargs={"depth": depth, "paged": True},
            meta={
                "source": self.source,
                "checked_canonical": canonical,
                "found_on": found_on,
                "depth": depth,
                "listing_links": links,
                "listing_first": first,  # the listing's first page: its pages are one listing
                "handle_httpstatus_list": list(PAST_THE_END),
            },
        )


def _canonicals(urls: Iterable[str]) -> list[str]:
    """The canonical URLs of those ``urls`` the gate lets through (the others are refused where they are followed)."""
    keys: list[str] = []
    for url in urls:
        try:
            keys.append(canonical_url(url))
        except InvalidURL:
            continue
    return keys
