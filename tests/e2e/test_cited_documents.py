"""A document that a stored article cites is not lost when its fetch fails or the run stops first.

A stored article is never fetched again, so the next run would never meet its document links
again: the documents still to fetch are kept in the database (``pending_documents``) from before
the article is stored, and each run asks for them, through ``monitor run`` and ``monitor crawl URL``
alike. A document that is gone (404) is given up at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select

from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, PendingDocument
from monitor.urls import canonical_url
from tests.e2e.test_cms_discovery import serve, source
from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver.routes import Reply, RouteHandler, RouteServer

Row = TypeVar("Row", Article, PendingDocument)

PDF = "/sites/default/files/2026-04/annual-report-summary.pdf"
CITED_BY = "/en/news/annual-report-2026"


def rows_by_url(database_url: str, model: type[Row]) -> dict[str, Row]:
    """The rows of ``model`` (stored articles, pending documents) by canonical URL."""
    with repository_for(database_url).sessions() as session:
        rows = {row.canonical_url: row for row in session.scalars(select(model))}
        session.expunge_all()
    dispose_all()
    return rows


def stored(database_url: str) -> dict[str, Article]:
    return rows_by_url(database_url, Article)


def pending(database_url: str) -> dict[str, PendingDocument]:
    return rows_by_url(database_url, PendingDocument)


def failing_first(server: RouteServer, path: str, status: int) -> list[bool]:
    """Make ``path`` answer ``status`` until the returned switch is set to False."""
    working = server.routes[path]
    failing = [True]

    def route(handler: RouteHandler) -> Reply | None:
        return Reply(status, b"temporarily unavailable", content_type="text/plain") if failing[0] else working(handler)

    server.routes[path] = route
    return failing


@pytest.mark.parametrize("command", ["run", "crawl"])
def test_a_document_whose_fetch_failed_is_fetched_by_the_next_run_though_its_article_is_stored(
    command: str, tmp_path: Path
) -> None:
    server, site = serve("drupal")
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    failing = failing_first(server, PDF, 503)
    with server:
        base = server.url("")
        sources = [source(site, base)] if command == "run" else []
        config = write_config(tmp_path / "config", sources, allowed_private_hosts=[server.hostport])
        arguments = ("run",) if command == "run" else ("crawl", server.url(site.start), "--max-pages", "100")
        first = monitor(config, database_url, *arguments)
        tries = server.hits(PDF)  # the first run's fetch and Scrapy's retries of the 503
        after_first = stored(database_url)
        left = pending(database_url)
        failing[0] = False
        second = monitor(config, database_url, *arguments)
        fetched = server.hits(PDF) - tries
        third = monitor(config, database_url, *arguments)
    document, article = canonical_url(base + PDF), canonical_url(base + CITED_BY)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    assert article in after_first and document not in after_first
    assert set(left) == {document}
    assert canonical_url(left[document].found_on or "") == article
    assert left[document].failures == 1 and "503" in (left[document].last_error or "")
    assert second.returncode == 0, second.stdout + second.stderr[-3000:]
    rows = stored(database_url)
    assert document in rows, second.stderr[-3000:]
    assert rows[document].content_type == "pdf" and rows[document].extraction_status == "ok"
    assert canonical_url(rows[document].found_on or "") == article  # its citing page, from the first run
    assert pending(database_url) == {}
    assert server.hits(CITED_BY) == 1  # the stored article was not fetched again to find it
    assert tries >= 1 and fetched == 1  # fetched once by the second run...
    assert third.returncode == 0, third.stderr[-3000:]
    assert server.hits(PDF) == tries + 1  # ...and not again by the third


def test_a_cited_document_that_is_gone_is_given_up_at_once(tmp_path: Path) -> None:
    server, site = serve("drupal")
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    failing_first(server, PDF, 404)
    with server:
        base = server.url("")
        config = write_config(tmp_path / "config", [source(site, base)], allowed_private_hosts=[server.hostport])
        first = monitor(config, database_url, "run")
        second = monitor(config, database_url, "run")
    assert first.returncode == 0 and second.returncode == 0, first.stderr[-3000:] + second.stderr[-3000:]
    assert canonical_url(base + PDF) not in stored(database_url)
    assert pending(database_url) == {}
    assert server.hits(PDF) == 1
