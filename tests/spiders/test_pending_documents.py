"""The documents an article cites are kept in the database until stored (``MonitorSpider.pending_documents``),
over a real SQLite database and Scrapy's real factory: kept before the article can be stored,
asked for by the next run, settled once stored or read, given up when a later run cannot fare better."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from monitor.config.schema import Source
from monitor.settings_defaults import DEFAULTS
from monitor.storage import Repository, dispose_all, repository_for
from monitor.storage.records import ArticleRecord
from monitor.urls import canonical_url
from spiders.base import MAX_DOCUMENT_FAILURES
from spiders.items import DocumentItem
from spiders.source_spider import SourceSpider

BASE = "https://dpa.example"
ARTICLE = f"{BASE}/news/cloud-decision"
PDF = f"{BASE}/files/decision-2026-11.pdf"
PAGE = """<html><head><title>Decision on the cloud contract</title></head><body>
<nav><a href="/files/annual-plan.pdf">Annual plan (PDF)</a></nav>
<main><article><h1>Decision on the cloud contract</h1>
<p>The authority has decided on the transfer of pupils' data to a US provider.
Read <a href="/files/decision-2026-11.pdf">the decision (PDF, 1 MB)</a>.</p></article></main></body></html>"""


def source(**extra: object) -> Source:
    return Source(
        id="dpa", name="DPA", kind="regulator", jurisdiction="FR", feeds=[f"{BASE}/rss"], homepage=f"{BASE}/", **extra
    )


def spider_for(tmp_path: Path, configured: Source, probe: bool = False) -> tuple[SourceSpider, Repository]:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    crawler = get_crawler(SourceSpider, {**DEFAULTS, "MONITOR_DB_URL": url})
    spider = SourceSpider.from_crawler(crawler, sources=[configured], probe=probe)
    crawler.spider = spider
    crawler.stats.open_spider()
    repository = repository_for(url)
    repository.ensure_source(configured.id, configured.name)
    return spider, repository


@pytest.fixture(autouse=True)
def _dispose() -> object:
    yield
    dispose_all()


def article_response(configured: Source) -> HtmlResponse:
    meta = {"source": configured, "via": "feed", "checked_canonical": canonical_url(ARTICLE), "found_on": f"{BASE}/rss"}
    return HtmlResponse(ARTICLE, body=PAGE.encode(), encoding="utf-8", request=scrapy.Request(ARTICLE, meta=meta))


def fetched_pdf() -> DocumentItem:
    """The cited PDF as the spider hands it to the pipeline after fetching it."""
    return DocumentItem(url=PDF, source_id="dpa", body=b"", discovered_via="document", checked_url=canonical_url(PDF))


def pending_urls(repository: Repository) -> list[str]:
    return [document.url for document in repository.pending_documents(["dpa"])]


def start_requests(spider: SourceSpider) -> list[scrapy.Request]:
    async def gather() -> list[scrapy.Request]:
        return [request async for request in spider.start()]

    return asyncio.run(gather())


def test_the_documents_are_kept_before_the_article_is_handed_to_storage(tmp_path: Path) -> None:
    configured = source()
    spider, repository = spider_for(tmp_path, configured)
    output = spider.parse_article(article_response(configured))
    item = next(output)
    assert isinstance(item, DocumentItem) and item.url == ARTICLE
    # Already in the database when the pipeline gets the article: a stop after it is stored loses nothing.
    (document,) = repository.pending_documents(["dpa"])
    assert (document.url, document.found_on, document.failures) == (PDF, ARTICLE, 0)
    assert [request.url for request in output] == [PDF]  # the menu's PDF is no citation


def test_the_next_run_asks_for_a_pending_document_and_storing_it_settles_it(tmp_path: Path) -> None:
    configured = source()
    first, repository = spider_for(tmp_path, configured)
    list(first.parse_article(article_response(configured)))
    repository.upsert_article(ArticleRecord(canonical_url(ARTICLE), ARTICLE, "dpa", "Decision", "text"))
    second, _ = spider_for(tmp_path, configured)
    requests = [r for r in start_requests(second) if r.meta.get("via") == "document"]
    assert [(r.url, r.meta["found_on"]) for r in requests] == [(PDF, ARTICLE)]
    assert canonical_url(PDF) in second.requested  # a revised article citing it again asks no second time
    from pipelines.store import StoreStage

    item = fetched_pdf()
    item.canonical_url = canonical_url(PDF)
    StoreStage(repository, second.crawler).process_item(item)
    assert pending_urls(repository) == []


def test_a_pending_document_stored_under_another_url_is_settled_without_a_fetch(tmp_path: Path) -> None:
    configured = source()
    first, repository = spider_for(tmp_path, configured)
    list(first.parse_article(article_response(configured)))
    target = f"{BASE}/sites/default/files/decision.pdf"
    repository.upsert_article(ArticleRecord(target, target, "dpa", "Decision", "text"))
    repository.record_aliases({canonical_url(PDF): target})  # it redirected there in the run that stored it
    second, _ = spider_for(tmp_path, configured)
    assert [r for r in start_requests(second) if r.meta.get("via") == "document"] == []
    assert pending_urls(repository) == []


def test_a_source_that_no_longer_fetches_documents_forgets_its_pending_ones(tmp_path: Path) -> None:
    first, repository = spider_for(tmp_path, source())
    list(first.parse_article(article_response(source())))
    second, _ = spider_for(tmp_path, source(max_documents_per_page=0))
    assert [r for r in start_requests(second) if r.meta.get("via") == "document"] == []
    assert pending_urls(repository) == []


def failure(request: scrapy.Request, status: int) -> Failure:
    from scrapy.spidermiddlewares.httperror import HttpError

    error = HttpError(Response(request.url, status=status, request=request), "Ignoring non-200 response")
    result = Failure(error)
    result.request = request  # as Scrapy sets it for an errback
    return result


def test_a_failing_document_is_kept_for_five_runs_then_given_up_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    configured = source()
    first, repository = spider_for(tmp_path, configured)
    (request,) = [r for r in first.parse_article(article_response(configured)) if isinstance(r, scrapy.Request)]
    for run in range(1, MAX_DOCUMENT_FAILURES + 1):
        spider, _ = spider_for(tmp_path, configured)
        if run > 1:
            (request,) = [r for r in start_requests(spider) if r.meta.get("via") == "document"]
        with caplog.at_level(logging.WARNING, logger="spiders.base"):
            spider.article_failed(failure(request, 503))
        if run < MAX_DOCUMENT_FAILURES:
            (document,) = repository.pending_documents(["dpa"])
            assert document.failures == run
    assert pending_urls(repository) == []
    assert f"given up after {MAX_DOCUMENT_FAILURES} runs failed to fetch it" in caplog.text
    assert PDF in caplog.text
    last, _ = spider_for(tmp_path, configured)
    assert [r for r in start_requests(last) if r.meta.get("via") == "document"] == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_document_that_is_gone_is_given_up_at_once(tmp_path: Path, status: int) -> None:
    configured = source()
    spider, repository = spider_for(tmp_path, configured)
    (request,) = [r for r in spider.parse_article(article_response(configured)) if isinstance(r, scrapy.Request)]
    spider.article_failed(failure(request, status))
    assert pending_urls(repository) == []


def test_a_document_read_but_dropped_by_the_pipeline_is_settled(tmp_path: Path) -> None:
    """A scanned PDF with no text layer: fetched and read, nothing to store, not fetched every run."""
    configured = source()
    spider, repository = spider_for(tmp_path, configured)
    list(spider.parse_article(article_response(configured)))
    item = fetched_pdf()
    spider.item_dropped(item, None, DropItem("no text"), spider)
    assert pending_urls(repository) == []


def test_a_pipeline_error_on_a_document_counts_as_a_failed_run(tmp_path: Path) -> None:
    configured = source()
    spider, repository = spider_for(tmp_path, configured)
    list(spider.parse_article(article_response(configured)))
    item = fetched_pdf()
    spider.item_failed(item, None, spider, Failure(RuntimeError("worker died")))
    (document,) = repository.pending_documents(["dpa"])
    assert document.failures == 1 and "worker died" in (document.last_error or "")


def test_a_probe_keeps_and_asks_for_nothing(tmp_path: Path) -> None:
    configured = source()
    first, repository = spider_for(tmp_path, configured)
    list(first.parse_article(article_response(configured)))
    probe, _ = spider_for(tmp_path, configured, probe=True)
    assert [r for r in start_requests(probe) if r.meta.get("via") == "document"] == []
    assert pending_urls(repository) == [PDF]
