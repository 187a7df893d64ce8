"""What every spider of ours shares: endpoint requests with conditional GET, health records,
article requests that skip stored URLs, and the article callback that yields ``DocumentItem``.

Nothing is fetched twice: every article, document and page request is for ``request_url`` (no
tracking parameters, no fragment) and claimed by its canonical URL in ``requested`` first; a
redirect to a page already requested or stored is not followed (``spiders.dupefilter``); a page
whose ``rel=canonical`` names another form claims that form too. Both kinds of alias are kept in
the database (``url_aliases``), so the next crawl skips a link to either form.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from monitor.extraction.document import detect_kind
from monitor.stats import ARTICLES_SKIPPED_STORED, ENDPOINTS_FAILED, PAGES_FETCHED, PAGES_NOT_MODIFIED
from monitor.storage import Repository
from monitor.storage.records import CitedDocument, EndpointResult
from monitor.storage.text import clean_url
from monitor.urls import InvalidURL, canonical_url, checked_url, host_of, request_url, same_site, split_url
from spiders import errors
from spiders.database import crawl_repository
from spiders.discovery import declared_canonical, looks_like_article
from spiders.documents import document_links, within_hosts
from spiders.errors import classify_failure
from spiders.items import DocumentItem

log = logging.getLogger(__name__)

# Article failures that a later run cannot undo: refused by the site's robots.txt, by our own
# address check or by the URL gate (a redirect to a malformed URL). They keep nothing unpromoted;
# a source with one such link would otherwise never get a conditional GET again.
DELIBERATE_REFUSALS = frozenset({errors.ROBOTS_DENIED, errors.UNSAFE, errors.INVALID_URL})

# Stats of links refused by the URL gate (``monitor.urls.checked_url``): in all, and per source (+ "/<id>").
LINKS_INVALID = f"links/{errors.INVALID_URL}"

# Article pages are fetched after the feeds and listings that name them, so a run that is cut
# short (timeout, page limit) has at least polled every source once.
ENDPOINT_PRIORITY = 10
# Documents (PDF, DOCX) one page may cite that are fetched at most, the first ones in page order:
# the default of a source's ``max_documents_per_page`` and the ad-hoc crawl's bound.
MAX_DOCUMENTS_PER_PAGE = 10
DOCUMENT_KINDS = frozenset({"pdf", "docx"})
# A cited document still to fetch (``pending_documents``) is given up after this many runs failed
# on it (a 5xx, a timeout, a pipeline error), or at once when the answer cannot change: the
# document is gone (404, 410), too large, or refused by us or by the site's robots.txt.
MAX_DOCUMENT_FAILURES = 5
DOCUMENT_GONE = (404, 410)
DOCUMENT_REFUSALS = DELIBERATE_REFUSALS | {errors.TOO_LARGE}


class CrawlSource(Protocol):
    """What the article callbacks read of a source: a configured ``Source`` or the ad-hoc crawl's."""

    @property
    def id(self) -> str: ...

    @property
    def language(self) -> str | None: ...

    @property
    def timezone(self) -> str: ...


class MonitorSpider(scrapy.Spider):
    """Base class; subclasses produce endpoint requests in ``start``."""

    name = "monitor-base"
    custom_settings: dict[str, Any] | None = {"DUPEFILTER_CLASS": "spiders.dupefilter.RedirectAwareDupeFilter"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Canonical URLs this crawl has requested (articles, documents, pages) or learnt to be one of them.
        self.requested: set[str] = set()
        # Canonical URLs of the pages read as listings: never taken as an article's rel=canonical
        # (CMSs that point every article's canonical at the news section exist).
        self.listing_pages: set[str] = set()
        self.failed_sources: dict[str, list[str]] = {}
        # The crawl's database, handed over in ``from_crawler`` (``spiders.database``).
        self.repository: Repository
        # False for probes (``monitor sources check``): a probe fetches no articles, so its
        # validators must not let the next real run take a 304 as "nothing new".
        self.record_validators = True
        # Sources with an article (or a later listing page) that this run did not store: the run
        # leaves their validators unpromoted, so the next run reads them in full (``finish_run``).
        self.sources_with_failed_articles: set[str] = set()

    @classmethod
    def covered_sources(cls, **spider_kwargs: Any) -> list[str]:
        """The source ids a crawl with these arguments sets out to cover (recorded with the run)."""
        return []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MonitorSpider:
        spider: MonitorSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.repository = crawl_repository(crawler)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        return spider

    @property
    def run_id(self) -> int | None:
        """The run this crawl records its fetches under; None for probes and bare spiders in tests."""
        if not self.record_validators:
            return None
        value = self.settings.get("MONITOR_RUN_ID")
        return int(value) if value is not None else None

    def source_incomplete(self, source_id: str) -> None:
        """Something of this source was not stored: keep this run's validators of it unpromoted."""
        self.sources_with_failed_articles.add(source_id)

    def item_failed(self, item: object, response: Response | None, spider: scrapy.Spider, failure: Failure) -> None:
        """A pipeline stage raised (not DropItem): the article was fetched but never stored."""
        source_id = getattr(item, "source_id", None)
        if source_id:
            self.source_incomplete(source_id)
        if isinstance(item, DocumentItem) and item.discovered_via == "document" and item.checked_url:
            cause = f"{type(failure.value).__name__}: {failure.value}"
            self.document_not_stored(item.source_id, item.checked_url, item.url, errors.OTHER, cause)

    def item_dropped(
        self, item: object, response: Response | None, exception: BaseException, spider: scrapy.Spider
    ) -> None:
        """A stage dropped the item on purpose (no text in it, stored already): a cited document
        that was fetched and read is no longer to fetch."""
        if isinstance(item, DocumentItem) and item.discovered_via == "document" and item.checked_url:
            self.settle_documents([item.checked_url])

    # -- endpoints (feeds, listings, sitemaps) --------------------------------------------
    def endpoint_request(
        self,
        url: str,
        kind: str,
        source_id: str,
        callback: Callable[..., object],
        *,
        conditional: bool = True,
        meta: dict[str, Any] | None = None,
        cb_kwargs: dict[str, Any] | None = None,
    ) -> scrapy.Request:
        """A request for a feed, sitemap or listing. ``url`` is a configured one (checked when the
        config is loaded) or a found one that ``checked_links`` let through; it stays the endpoint's
        key, and the request is for the form the URL gate returns."""
        headers: dict[str, str] = {}
        if conditional:
            state = self.repository.endpoint_state(url)
            if state is not None:
                if state.etag:
                    headers["If-None-Match"] = state.etag
                if state.last_modified:
                    headers["If-Modified-Since"] = state.last_modified
        request_meta = {
            "endpoint": {"kind": kind, "source_id": source_id, "url": url},
            "handle_httpstatus_list": [304],
        }
        request_meta.update(meta or {})
        # Claimed like an article: a sitemap that names the listing page does not fetch it again.
        self.requested.add(canonical_url(url))
        return scrapy.Request(
            checked_url(url),
            callback=callback,
            errback=self.endpoint_failed,
            headers=headers,
            meta=request_meta,
            cb_kwargs=cb_kwargs or {},
            priority=ENDPOINT_PRIORITY,
            dont_filter=True,
        )

    def not_modified(self, response: Response) -> bool:
        """Record a 304 and tell the caller there is nothing to parse."""
        if response.status != 304:
            return False
        self.crawler.stats.inc_value(PAGES_NOT_MODIFIED)
        endpoint = response.meta["endpoint"]
        self.repository.record_endpoint(
            EndpointResult(
                source_id=endpoint["source_id"],
                url=endpoint["url"],
                kind=endpoint["kind"],
                status=304,
                run_id=self.run_id,
            )
        )
        return True

    def endpoint_ok(
        self, response: Response, items_seen: int, newest: datetime | None, note: str | None = None
    ) -> None:
        endpoint = response.meta["endpoint"]
        self.crawler.stats.inc_value(f"endpoints/{endpoint['kind']}/ok")
        note = note or moved_note(response, endpoint["url"])
        self.repository.record_endpoint(
            EndpointResult(
                source_id=endpoint["source_id"],
                url=endpoint["url"],
                kind=endpoint["kind"],
                status=response.status,
                etag=_header(response, "ETag") if self.record_validators else None,
                last_modified=_header(response, "Last-Modified") if self.record_validators else None,
                items_seen=items_seen,
                newest_item_at=newest,
                note=note,
                run_id=self.run_id,
            )
        )

    def endpoint_broken(
        self,
        response_or_meta: Response | dict[str, Any],
        error_class: str,
        cause: str,
        status: int | None = None,
    ) -> None:
        meta = response_or_meta.meta if isinstance(response_or_meta, Response) else response_or_meta
        endpoint = meta["endpoint"]
        self.crawler.stats.inc_value(ENDPOINTS_FAILED)
        self.crawler.stats.inc_value(f"{ENDPOINTS_FAILED}/{error_class}")
        self.failed_sources.setdefault(endpoint["source_id"], []).append(f"{endpoint['url']}: {error_class}: {cause}")
        log.error(
            "source %s: %s %s: %s (%s)",
            endpoint["source_id"],
            endpoint["kind"],
            endpoint["url"],
            cause,
            error_class,
        )
        self.repository.record_endpoint(
            EndpointResult(
                source_id=endpoint["source_id"],
                url=endpoint["url"],
                kind=endpoint["kind"],
                status=status,
                error_class=error_class,
                error=cause,
            )
        )

    def endpoint_failed(self, failure: Failure) -> None:
        error_class, cause = classify_failure(failure)
        request = getattr(failure, "request", None)
        meta = request.meta if request is not None else {}
        response = getattr(failure.value, "response", None)
        if meta.get("retry_after"):
            cause = f"{cause}; Retry-After {meta['retry_after']:.0f} s is beyond the cap, the next run tries again"
        if "endpoint" in meta:
            self.endpoint_broken(meta, error_class, cause, status=getattr(response, "status", None))

    # -- links ---------------------------------------------------------------------------
    def refuse_link(self, source_id: str, error: InvalidURL, via: str, found_on: str | None = None) -> None:
        """One link refused by the URL gate: one log line naming it and why, counted in the stats;
        the page it was found on and the rest of its links go on."""
        self.crawler.stats.inc_value(LINKS_INVALID)
        self.crawler.stats.inc_value(f"{LINKS_INVALID}/{source_id}")
        where = f" on {found_on}" if found_on else ""
        log.warning("source %s: %s link refused%s: %s (%s)", source_id, via, where, error, errors.INVALID_URL)

    def checked_links(self, source_id: str, urls: Iterable[str], via: str, found_on: str | None = None) -> list[str]:
        """The links that pass the URL gate, in the form it returns; each other one is refused by itself."""
        kept: list[str] = []
        for url in urls:
            try:
                kept.append(checked_url(url))
            except InvalidURL as error:
                self.refuse_link(source_id, error, via, found_on)
        return kept

    # -- articles ------------------------------------------------------------------------
    def article_requests(
        self,
        source: CrawlSource,
        links: Iterable[tuple[str, dict[str, Any]]],
        via: str,
        found_on: str | None = None,
        callback: Callable[..., object] | None = None,
    ) -> Iterator[scrapy.Request]:
        """Requests for the links not stored yet and not requested earlier in this run.

        Each link passes the URL gate first: a malformed one is refused alone (``refuse_link``).
        The request is for ``request_url`` (no tracking parameters, no fragment), claimed by its
        canonical URL, so two forms of one link are one request.
        """
        pending: list[tuple[str, str, dict[str, Any]]] = []
        for url, extra in links:
            try:
                checked = request_url(url)
            except InvalidURL as error:
                self.refuse_link(source.id, error, via, found_on)
                continue
            pending.append((checked, canonical_url(checked), extra))
        stored = self.repository.stored_urls(
            canonical for _url, canonical, extra in pending if not extra.get("feed_updated")
        )
        for url, canonical, extra in pending:
            if canonical in self.requested or (canonical in stored and not extra.get("feed_updated")):
                self.crawler.stats.inc_value(ARTICLES_SKIPPED_STORED)
                continue
            self.requested.add(canonical)
            yield scrapy.Request(
                url,
                callback=callback or self.parse_article,
                errback=self.article_failed,
                meta={
                    "source": source,
                    "feed": extra,
                    "via": via,
                    "checked_canonical": canonical,
                    "found_on": found_on,
                },
            )

    def document_requests(
        self, source: CrawlSource, urls: Iterable[str], found_on: str, hosts: Iterable[str], limit: int
    ) -> Iterator[scrapy.Request]:
        """Requests for the documents a page cites: the first ``limit`` links on ``hosts``, in page
        order, that are neither stored nor requested yet."""
        allowed = set(hosts)
        cited = [url for url in urls if within_hosts(url, allowed)][: max(limit, 0)]
        yield from self.article_requests(source, [(url, {}) for url in cited], via="document", found_on=found_on)

    def document_hosts(self, source: CrawlSource) -> set[str]:
        """The hosts whose documents a page of ``source`` may make us fetch; none by default."""
        return set()

    def cited_documents(self, response: TextResponse, source: CrawlSource) -> Iterator[scrapy.Request]:
        """Requests for the documents an article page cites (its content area; see ``spiders.documents``)."""
        hosts = self.document_hosts(source)
        limit = getattr(source, "max_documents_per_page", MAX_DOCUMENTS_PER_PAGE)
        if not hosts or not limit:
            return
        hosts.add(split_url(response.url).host)
        yield from self.document_requests(source, document_links(response), response.url, hosts, limit)

    def not_stored_before(self, urls: Iterable[str]) -> set[str]:
        """The canonical URLs of ``urls`` that no earlier run stored: not stored, or stored by this
        run (which requests only what is not stored). What makes a listing's next page worth reading."""
        keys = []
        for url in urls:
            try:
                keys.append(canonical_url(url))
            except InvalidURL:
                continue
        stored = self.repository.stored_urls(keys) if keys else set()
        return {key for key in keys if clean_url(key) not in stored or key in self.requested}

    def stored_fetch_times(self, urls: Iterable[str]) -> dict[str, datetime]:
        """canonical URL -> when the stored copy was fetched, for the given URLs that are stored
        (a URL the gate refuses is not stored, and is refused when its request is made)."""
        canonicals: set[str] = set()
        for url in urls:
            try:
                canonicals.add(canonical_url(url))
            except InvalidURL:
                continue
        return self.repository.stored_fetch_times(canonicals) if canonicals else {}

    # -- cited documents not stored yet ------------------------------------------------------
    def remember_documents(self, source: CrawlSource, requests: list[scrapy.Request]) -> None:
        """Keep the documents these requests are for until they are stored (``pending_documents``)."""
        if not requests or not self.record_validators:
            return
        self.repository.remember_documents(
            CitedDocument(request.meta["checked_canonical"], request.url, source.id, request.meta.get("found_on"))
            for request in requests
        )

    def pending_documents(self, sources: Iterable[CrawlSource], site: str | None = None) -> Iterator[scrapy.Request]:
        """Requests for the documents that stored articles of ``sources`` cite and that no run has
        stored yet (on ``site`` only, when given). Each is claimed in ``requested``, so a revised
        article that cites it again in this run does not ask for it a second time.

        One a document may no longer be fetched for (its source cites none any more, or not from
        that host) is forgotten; one that another path stored (an alias, a sitemap) is settled.
        """
        if not self.record_validators:
            return
        by_id = {source.id: source for source in sources}
        pending = [
            document
            for document in self.repository.pending_documents(list(by_id))
            if site is None or same_site(document.url, site)
        ]
        if not pending:
            return
        stored = self.repository.stored_urls(document.canonical_url for document in pending)
        wanted: dict[tuple[str, str | None], list[str]] = {}
        settled = []
        for document in pending:
            source = by_id[document.source_id]
            configured = self.document_hosts(source)
            allowed = bool(configured) and getattr(source, "max_documents_per_page", MAX_DOCUMENTS_PER_PAGE) != 0
            hosts = configured | {host_of(document.found_on) or ""} if document.found_on else configured
            if clean_url(document.canonical_url) in stored or not allowed or not within_hosts(document.url, hosts):
                settled.append(document.canonical_url)
                continue
            wanted.setdefault((document.source_id, document.found_on), []).append(document.url)
        self.settle_documents(settled)
        for (source_id, found_on), urls in wanted.items():
            self.crawler.stats.inc_value("documents/pending_requested", len(urls))
            yield from self.article_requests(
                by_id[source_id], [(url, {}) for url in urls], via="document", found_on=found_on
            )

    def settle_documents(self, canonical_urls: Iterable[str | None]) -> None:
        """These cited documents are stored, or have been read and hold nothing to store."""
        keys = [url for url in canonical_urls if url]
        if keys and self.record_validators:
            self.repository.forget_documents(keys)

    def document_not_stored(
        self, source_id: str, canonical: str, url: str, error_class: str, cause: str, status: int | None = None
    ) -> None:
        """A cited document failed in this run: kept for the next run, up to ``MAX_DOCUMENT_FAILURES``
        runs; given up at once when a later run cannot fare better."""
        if not self.record_validators:
            return
        if error_class in DOCUMENT_REFUSALS or status in DOCUMENT_GONE:
            self.repository.forget_documents([canonical])
            self.crawler.stats.inc_value("documents/given_up")
            return
        failures = self.repository.document_failed(canonical, f"{cause} ({error_class})")
        if failures >= MAX_DOCUMENT_FAILURES:
            self.repository.forget_documents([canonical])
            self.crawler.stats.inc_value("documents/given_up")
            log.warning(
                "source %s: document %s: given up after %d runs failed to fetch it: %s (%s)",
                source_id,
                url,
                failures,
                cause,
                error_class,
            )
        elif failures:
            log.info(
                "source %s: document %s: kept for the next run (%d of %d)",
                source_id,
                url,
                failures,
                MAX_DOCUMENT_FAILURES,
            )

    # -- aliases -------------------------------------------------------------------------
    def redirect_known(self, request: scrapy.Request) -> bool:
        """Asked by the duplicate filter of each redirected request: True (not followed) when its
        target was requested in this crawl or, for an article, is stored; the URLs that led to it
        are recorded as its aliases either way."""
        try:
            target = canonical_url(request.url)
        except InvalidURL:
            return False
        hops = [canonical_url(url) for url in request.meta.get("redirect_urls", []) if _gated(url)]
        known = target in self.requested or ("source" in request.meta and self.repository.is_stored(target))
        self.requested.update(hops)
        self.requested.add(target)
        self.record_aliases({hop: target for hop in hops})
        if known:
            self.crawler.stats.inc_value("articles/redirect_to_known")
        return known

    def record_aliases(self, aliases: dict[str, str]) -> None:
        aliases = {alias: target for alias, target in aliases.items() if alias != target}
        if aliases and self.record_validators:  # a probe writes nothing but health
            self.repository.record_aliases(aliases)

    def trusted_canonical(self, response: TextResponse) -> str | None:
        """The canonical URL of the page's ``rel=canonical``, when it can be believed: on the same
        site, not its home page, not a page this crawl read as a listing, not the page that linked
        here (CMSs that point every article at the section front exist)."""
        declared = declared_canonical(response)
        if declared is None:
            return None
        try:
            key = canonical_url(checked_url(declared))
        except InvalidURL:
            return None
        if not same_site(key, response.url) or split_url(key).rest in ("", "/") or key in self.listing_pages:
            return None
        found_on = response.meta.get("found_on")
        if found_on and _gated(found_on) and canonical_url(found_on) == key:
            return None
        return key

    def is_duplicate_by_canonical(self, response: TextResponse) -> bool:
        """True when the page's trusted ``rel=canonical`` names another URL that this crawl requested
        or that is stored: the page is that one under another URL, and is not stored twice. Else
        that URL is claimed, so a later link to it is not fetched."""
        declared = self.trusted_canonical(response)
        key = canonical_url(response.url)
        # The page's own forms: its URL, the one requested, those that redirected to it.
        own = {key, response.meta.get("checked_canonical")}
        own.update(canonical_url(url) for url in response.meta.get("redirect_urls", []) if _gated(url))
        if declared is None or declared in own:
            return False
        if declared in self.requested or self.repository.is_stored(declared):
            self.record_aliases({key: declared})
            self.crawler.stats.inc_value("articles/duplicate_by_canonical")
            return True
        self.requested.add(declared)
        self.record_aliases({declared: key})
        return False

    def note_redirects(self, response: Response) -> None:
        """The URLs that redirected to this response are aliases of it."""
        hops = [url for url in response.meta.get("redirect_urls", []) if _gated(url)]
        if not hops:
            return
        target = canonical_url(response.url)
        self.requested.add(target)
        self.record_aliases({canonical_url(hop): target for hop in hops})

    # -- the article callback ------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        source = response.meta["source"]
        self.note_redirects(response)
        via = response.meta.get("via")
        kind = detect_kind(response.body, _header(response, "Content-Type"))
        page = response if isinstance(response, TextResponse) and kind == "html" else None
        if via == "sitemap" and page is not None and not looks_like_article(page):
            # Sitemaps list every page of a site (contact, legal notice, section fronts); only
            # pages that carry article metadata are news.
            self.crawler.stats.inc_value("articles/not_article")
            return
        if via == "document" and kind not in DOCUMENT_KINDS and not (page is not None and looks_like_article(page)):
            self.settle_documents([response.meta.get("checked_canonical")])
            yield from self.document_was_a_page(response)
            return
        if page is not None and self.is_duplicate_by_canonical(page):
            if via == "document":
                self.settle_documents([response.meta.get("checked_canonical")])
            return
        documents = list(self.cited_documents(page, source)) if page is not None else []
        # Kept in the database before the page can be stored: a stored page is never read again,
        # so a run that stops before these are fetched, or a fetch that fails, would lose them.
        self.remember_documents(source, documents)
        yield self.document_item(response)
        if page is not None:
            release_text(page)
        yield from documents

    def document_was_a_page(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        """A link taken for a document answered with a page that is no article either: not stored
        (the ad-hoc crawl reads it as a page; an article is stored as one)."""
        self.crawler.stats.inc_value("documents/not_a_document")
        return iter(())

    def document_item(self, response: Response) -> DocumentItem:
        source = response.meta["source"]
        feed = response.meta.get("feed") or {}
        self.crawler.stats.inc_value(PAGES_FETCHED)
        return DocumentItem(
            url=response.url,
            source_id=source.id,
            body=response.body,
            status=response.status,
            headers={
                key.decode("latin-1").lower(): value[0].decode("latin-1")
                for key, value in response.headers.items()
                if value
            },
            source_language=getattr(source, "language", None),
            source_jurisdiction=getattr(source, "jurisdiction", None),
            source_timezone=getattr(source, "timezone", "UTC"),
            feed_title=feed.get("title"),
            feed_summary=feed.get("summary"),
            feed_published=feed.get("published"),
            feed_updated=bool(feed.get("feed_updated")),
            discovered_via=response.meta.get("via", ""),
            checked_url=response.meta.get("checked_canonical"),
            found_on=response.meta.get("found_on"),
        )

    def article_failed(self, failure: Failure) -> None:
        error_class, cause = classify_failure(failure)
        request = getattr(failure, "request", None)
        source = request.meta.get("source") if request is not None else None
        self.crawler.stats.inc_value("articles/failed")
        self.crawler.stats.inc_value(f"articles/failed/{error_class}")
        if source is not None and error_class not in DELIBERATE_REFUSALS:
            # Keep this run's ETag/Last-Modified of the source unsaved, so the next run reads its
            # feeds and listings in full and asks for the missing article again.
            self.source_incomplete(source.id)
        if source is not None and request is not None and request.meta.get("via") == "document":
            response = getattr(failure.value, "response", None)
            canonical = request.meta.get("checked_canonical")
            if canonical:
                status = getattr(response, "status", None)
                self.document_not_stored(source.id, canonical, request.url, error_class, cause, status)
        log.warning(
            "source %s: article %s: %s (%s)",
            getattr(source, "id", "?"),
            getattr(request, "url", "?"),
            cause,
            error_class,
        )


def moved_note(response: Response, configured: str) -> str | None:
    """ "moved: 301 to URL" (or "redirected: 302 to URL") when the configured URL answered through
    redirects, so that ``sources check`` can say which URL to configure: a feed that moved, or one
    sent to another language."""
    if not response.meta.get("redirect_urls") or response.url == configured:
        return None
    reasons = [str(r) for r in response.meta.get("redirect_reasons", []) if isinstance(r, int)]
    permanent = all(r in ("301", "308") for r in reasons) and bool(reasons)
    return f"{'moved' if permanent else 'redirected'}: {', '.join(reasons) or 'redirect'} to {response.url}"


def _gated(url: str) -> bool:
    """True when the URL passes the gate (every request and redirect did; this guards the rest)."""
    try:
        checked_url(url)
    except InvalidURL:
        return False
    return True


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def release_text(response: TextResponse) -> None:
    """Forget the page's decoded text that Scrapy caches on the response (``response.text``).

    Scrapy keeps a response until the pipeline is done with every item of its callback, and an
    article's item waits for the extraction worker, which gets the body bytes; the decoded copy
    (two to four times the body for a page that is not ASCII) would wait beside it for nothing.
    A later ``response.text`` decodes the body again.
    """
    if getattr(response, "_cached_ubody", None) is not None:
        response._cached_ubody = None
