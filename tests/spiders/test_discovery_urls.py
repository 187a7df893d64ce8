"""Canonical URLs applied before a request is made, and the aliases that keep a later crawl from
fetching another form of a stored page: built through Scrapy's real factory over SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from monitor.config.schema import Listing, Source
from monitor.settings_defaults import DEFAULTS
from monitor.storage import dispose_all, repository_for
from monitor.storage.records import ArticleRecord
from monitor.urls import InvalidURL, canonical_url, request_url
from spiders.dupefilter import RedirectAwareDupeFilter
from spiders.items import DocumentItem
from spiders.source_spider import SourceSpider

BASE = "https://www.dpa.example"


def test_request_url_drops_tracking_parameters_and_the_fragment_and_keeps_the_rest_as_written() -> None:
    assert request_url(f"{BASE}:443/a?utm_source=x&b=2&a=1&fbclid=F&mtm_campaign=c#top") == f"{BASE}/a?b=2&a=1"
    assert request_url(f"{BASE}/a?utm_medium=rss") == f"{BASE}/a"
    assert request_url(f"{BASE}/a?tx_news_pi1%5Bnews%5D=12&cHash=9") == f"{BASE}/a?tx_news_pi1%5Bnews%5D=12&cHash=9"
    with pytest.raises(InvalidURL):
        request_url("http://[::1/x")


def test_a_trailing_slash_and_index_html_are_other_urls_unless_the_server_says_otherwise() -> None:
    """Kept apart: ``/x`` and ``/x/`` are different resources on many servers. They become one by a
    redirect or a ``rel=canonical`` (the aliases below)."""
    assert canonical_url(f"{BASE}/news/x") != canonical_url(f"{BASE}/news/x/")
    assert canonical_url(f"{BASE}/news/") != canonical_url(f"{BASE}/news/index.html")
    assert canonical_url(f"{BASE}:443/news/x#a") == canonical_url(f"{BASE}/news/x?utm_source=y")


def make_spider(tmp_path: Path, source: Source) -> SourceSpider:
    crawler = get_crawler(SourceSpider, {**DEFAULTS, "MONITOR_DB_URL": f"sqlite:///{tmp_path / 'm.db'}"})
    spider = SourceSpider.from_crawler(crawler, sources=[source])
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def store(spider: SourceSpider, url: str) -> None:
    spider.repository.upsert_article(
        ArticleRecord(canonical_url=canonical_url(url), url=url, source_id="dpa", title="t", text="text")
    )


SOURCE = Source(
    id="dpa",
    name="DPA",
    kind="regulator",
    jurisdiction="IE",
    homepage=f"{BASE}/",
    listings=[Listing(url=f"{BASE}/en/news", first_page=0)],
)


@pytest.fixture
def spider(tmp_path: Path) -> Iterator[SourceSpider]:
    made = make_spider(tmp_path, SOURCE)
    made.repository.ensure_source("dpa", "DPA", "regulator", "IE", "en")
    yield made
    dispose_all()


def test_one_request_for_the_forms_of_one_link_from_any_entry_point(spider: SourceSpider) -> None:
    links: list[tuple[str, dict[str, Any]]] = [(f"{BASE}/en/news/a?utm_source=rss", {}), (f"{BASE}/en/news/a#x", {})]
    requests = list(spider.article_requests(SOURCE, links, via="feed"))
    assert [r.url for r in requests] == [f"{BASE}/en/news/a"]
    assert not list(spider.article_requests(SOURCE, [(f"{BASE}/en/news/a", {})], via="sitemap"))


def redirected(url: str, *hops: str, source: bool = True) -> scrapy.Request:
    meta = {"redirect_urls": list(hops), **({"source": SOURCE} if source else {})}
    return scrapy.Request(url, meta=meta)


def test_a_redirect_to_a_page_requested_in_this_crawl_is_not_followed_and_becomes_its_alias(
    spider: SourceSpider,
) -> None:
    dupefilter = RedirectAwareDupeFilter.from_crawler(spider.crawler)
    list(spider.article_requests(SOURCE, [(f"{BASE}/2026/03/post/", {})], via="listing"))
    assert dupefilter.request_seen(redirected(f"{BASE}/2026/03/post/", f"{BASE}/2026/03/post"))
    # A redirect to a page nobody asked for is followed once.
    assert not dupefilter.request_seen(redirected(f"{BASE}/2026/04/other/", f"{BASE}/?p=7"))
    assert dupefilter.request_seen(redirected(f"{BASE}/2026/04/other/", f"{BASE}/?p=8"))
    store(spider, f"{BASE}/2026/03/post/")
    # The next crawl: the link that redirected counts as stored, the target being stored.
    assert spider.repository.stored_urls([canonical_url(f"{BASE}/2026/03/post")])
    assert not spider.repository.stored_urls([canonical_url(f"{BASE}/?p=7")])  # its target is not stored


def test_a_redirect_to_a_stored_article_is_not_followed(spider: SourceSpider) -> None:
    store(spider, f"{BASE}/news/x/")
    store(spider, f"{BASE}/news/z/")
    dupefilter = RedirectAwareDupeFilter.from_crawler(spider.crawler)
    assert dupefilter.request_seen(redirected(f"{BASE}/news/x/", f"{BASE}/news/x"))
    assert spider.repository.stored_urls([canonical_url(f"{BASE}/news/x")])
    # A listing page's redirect is followed, whatever is stored (only articles are looked up).
    assert not dupefilter.request_seen(redirected(f"{BASE}/news/z/", f"{BASE}/news/z", source=False))


def article(url: str, canonical: str | None, found_on: str | None = None) -> HtmlResponse:
    head = f"<link rel='canonical' href='{canonical}'>" if canonical else ""
    body = f"<html><head>{head}<meta property='og:type' content='article'></head><body><p>Text.</p></body></html>"
    request = scrapy.Request(
        url, meta={"source": SOURCE, "via": "listing", "checked_canonical": canonical_url(url), "found_on": found_on}
    )
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=request)


def items(spider: SourceSpider, response: HtmlResponse) -> list[DocumentItem]:
    return [thing for thing in spider.parse_article(response) if isinstance(thing, DocumentItem)]


def test_rel_canonical_claims_the_other_form_and_a_later_copy_is_not_stored_twice(spider: SourceSpider) -> None:
    first = items(spider, article(f"{BASE}/en/news/guidance?lang=en", f"{BASE}/en/news/guidance"))
    assert len(first) == 1
    # A later link to the declared form is not requested in this crawl...
    assert not list(spider.article_requests(SOURCE, [(f"{BASE}/en/news/guidance", {})], via="listing"))
    # ...and another URL of the page (a Drupal /node/N) that declares the same canonical is not stored.
    assert not items(spider, article(f"{BASE}/node/42", f"{BASE}/en/news/guidance"))
    store(spider, f"{BASE}/en/news/guidance?lang=en")
    assert spider.repository.stored_urls([canonical_url(f"{BASE}/en/news/guidance")])


@pytest.mark.parametrize(
    ("canonical", "found_on"),
    [
        (f"{BASE}/", None),  # every page pointing at the home page
        (f"{BASE}/en/news", None),  # ...or at the news section, read as a listing in this crawl
        (f"{BASE}/en/press", f"{BASE}/en/press"),  # ...or at the page that linked to it
        ("https://other.example/en/news/guidance", None),  # another site's copy
    ],
)
def test_an_untrustworthy_rel_canonical_is_ignored(spider: SourceSpider, canonical: str, found_on: str | None) -> None:
    spider.listing_pages.add(canonical_url(f"{BASE}/en/news"))
    spider.requested.update({canonical_url(f"{BASE}/"), canonical_url(f"{BASE}/en/press")})
    assert len(items(spider, article(f"{BASE}/en/news/one", canonical, found_on))) == 1
    assert len(items(spider, article(f"{BASE}/en/news/two", canonical, found_on))) == 1


def listing_response(url: str, body: str, page: int) -> HtmlResponse:
    meta = {"endpoint": {"kind": "listing", "source_id": "dpa", "url": SOURCE.listings[0].url}}
    html = (
        f"<html><body><nav><a href='/en/about-us'>About</a> <a href='/'>Home</a></nav><main>{body}</main></body></html>"
    )
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=scrapy.Request(url, meta=meta))


def parse_listing(spider: SourceSpider, response: HtmlResponse, page: int) -> list[scrapy.Request]:
    return list(spider.parse_listing(response, SOURCE, SOURCE.listings[0], page))


def test_a_listing_pages_on_through_links_this_run_already_requested(spider: SourceSpider) -> None:
    """The feed (or the home page) named page 0's articles first: page 1 is still read."""
    list(spider.article_requests(SOURCE, [(f"{BASE}/en/news/a", {}), (f"{BASE}/en/news/b", {})], via="feed"))
    body = "<a href='/en/news/a'>A</a> <a href='/en/news/b'>B</a> <a href='?page=1' rel='next'>Next</a>"
    requests = parse_listing(spider, listing_response(f"{BASE}/en/news", body, 0), 0)
    assert [r.url for r in requests] == [f"{BASE}/en/news?page=1"]


def test_an_unchanged_listing_stops_at_its_first_page(spider: SourceSpider) -> None:
    store(spider, f"{BASE}/en/news/a")
    body = "<a href='/en/news/a'>A</a> <a href='?page=1' rel='next'>Next</a>"
    assert parse_listing(spider, listing_response(f"{BASE}/en/news", body, 0), 0) == []


def test_a_listing_page_fetches_the_documents_it_cites_on_the_sources_hosts(spider: SourceSpider) -> None:
    body = (
        "<table><tr><td><a href='/sites/default/files/decision.pdf'>Decision</a></td></tr>"
        "<tr><td><a href='/system/files/decisions/d-7'>Decision 7 (PDF)</a></td></tr>"
        "<tr><td><a href='https://cdn.other.example/files/x.pdf'>Elsewhere</a></td></tr></table>"
    )
    requests = parse_listing(spider, listing_response(f"{BASE}/en/news", body, 0), 0)
    documents = [r for r in requests if r.meta.get("via") == "document"]
    assert [r.url for r in documents] == [f"{BASE}/sites/default/files/decision.pdf"]
    listed = [r for r in requests if r.meta.get("via") == "listing"]
    assert [r.url for r in listed] == [f"{BASE}/system/files/decisions/d-7"]  # no extension: a link like any
    assert all(r.meta["found_on"] == f"{BASE}/en/news" for r in requests)
    assert f"{BASE}/en/about-us" not in {r.url for r in requests}  # the menu is not the listing


def test_an_article_page_fetches_what_it_cites(spider: SourceSpider) -> None:
    html = (
        "<html><head><meta property='og:type' content='article'></head><body><main><article><p>Text.</p>"
        "<a href='/files/annex.pdf'>Annex</a> <a href='/en/news/other'>Other</a></article></main>"
        "<footer><a href='/files/accessibility.pdf'>Accessibility (PDF)</a></footer></body></html>"
    )
    url = f"{BASE}/en/news/press-release"
    request = scrapy.Request(url, meta={"source": SOURCE, "via": "listing", "checked_canonical": canonical_url(url)})
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=request)
    produced = list(spider.parse_article(response))
    assert isinstance(produced[0], DocumentItem)
    cited = [r for r in produced if isinstance(r, scrapy.Request)]
    assert [(r.url, r.meta["found_on"]) for r in cited] == [(f"{BASE}/files/annex.pdf", url)]
    # Its decoded text is not kept while the item waits for extraction (the item has the body).
    assert response._cached_ubody is None
    assert "Annex" in response.text


def test_a_page_past_the_last_one_ends_the_paging_quietly(spider: SourceSpider) -> None:
    url = f"{BASE}/en/news?page=9"
    meta = {"endpoint": {"kind": "listing", "source_id": "dpa", "url": SOURCE.listings[0].url}}
    response = HtmlResponse(url, status=404, body=b"<html>Not found</html>", request=scrapy.Request(url, meta=meta))
    assert parse_listing(spider, response, 9) == []
    assert spider.crawler.stats.get_value("listings/past_last_page") == 1
    assert "dpa" not in spider.sources_with_failed_articles
    assert not spider.failed_sources


def test_an_alias_counts_as_stored_while_its_article_is_on_both_backends(database_url: str) -> None:
    repository = repository_for(database_url)
    repository.ensure_source("dpa", "DPA", "regulator", "IE", "en")
    post, short, gone = f"{BASE}/2026/03/post/", f"{BASE}/?p=7", f"{BASE}/?p=8"
    repository.record_aliases({short: post, gone: f"{BASE}/never-stored/"})
    repository.record_aliases({short: f"{BASE}/elsewhere/"})  # the first target stays
    assert repository.stored_urls([short, gone]) == set()
    repository.upsert_article(ArticleRecord(canonical_url=post, url=post, source_id="dpa", title="t", text="x"))
    assert repository.stored_urls([short, gone, post]) == {short, post}
    dispose_all()


def test_a_page_whose_canonical_is_the_url_that_redirected_to_it_is_stored(spider: SourceSpider) -> None:
    requested = f"{BASE}/en/news/a"
    list(spider.article_requests(SOURCE, [(requested, {})], via="listing"))
    response = article(f"{BASE}/en/news/a?session=1", requested)
    response.meta["redirect_urls"] = [requested]
    response.meta["checked_canonical"] = canonical_url(requested)
    assert len(items(spider, response)) == 1
