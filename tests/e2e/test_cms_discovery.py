"""Discovery on sites shaped like real CMSs (``tests/mockserver/cms_sites.py``), through the CLI.

``monitor crawl URL`` twice on each site: the first run stores every article and document of its
manifest, once, fetching no URL twice (counted in the server's own request log) and nothing a
complete crawl should leave alone (a footer PDF, a page past the end); the second run fetches no
article, document or alias again and stores nothing. Then the same for configured listings
through ``monitor run``: a PDF linked only from its press release is fetched by ``run`` too, and a
404 past a listing's last page ends the paging without failing the source.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article
from monitor.urls import canonical_url
from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver.cms_sites import BUILDERS, CmsSite, build
from tests.mockserver.routes import Hit, RouteServer

ROBOTS = "/robots.txt"


def stored(database_url: str) -> list[Article]:
    with repository_for(database_url).sessions() as session:
        rows = list(session.scalars(select(Article)))
        session.expunge_all()
    dispose_all()
    return rows


def keys(base: str, paths: set[str] | dict[str, str]) -> set[str]:
    return {canonical_url(base + path) for path in paths}


def serve(name: str) -> tuple[RouteServer, CmsSite]:
    server = RouteServer(name)
    site = build(name, server.url(""))
    server.routes.update(site.routes)
    return server, site


def check_first_run(site: CmsSite, base: str, log: list[Hit], rows: list[Article]) -> None:
    manifest = site.manifest
    by_key = Counter(row.canonical_url for row in rows)
    assert all(count == 1 for count in by_key.values()), by_key
    expected = keys(base, manifest.articles) | keys(base, manifest.documents)
    assert set(by_key) == expected, {"missing": expected - set(by_key), "extra": set(by_key) - expected}
    documents = {row.canonical_url: row for row in rows if row.canonical_url in keys(base, manifest.documents)}
    for path, cited_by in manifest.documents.items():
        row = documents[canonical_url(base + path)]
        assert row.content_type in ("pdf", "docx") and row.extraction_status == "ok", (path, row.content_type)
        assert row.found_on and canonical_url(row.found_on) == canonical_url(base + cited_by), (path, row.found_on)
    articles = [row for row in rows if row.canonical_url in keys(base, manifest.articles)]
    assert all(row.content_type == "html" for row in articles)
    fetched = Counter(hit.path for hit in log if hit.path != ROBOTS)
    assert all(count == 1 for count in fetched.values()), {path: n for path, n in fetched.items() if n > 1}
    assert not manifest.never & set(fetched), manifest.never & set(fetched)


def check_second_run(site: CmsSite, base: str, first: list[Hit], second: list[Hit]) -> None:
    manifest = site.manifest
    things = keys(base, manifest.articles) | keys(base, manifest.documents) | keys(base, manifest.aliases)
    again = [hit.path for hit in second if canonical_url(base + hit.path) in things]
    assert not again, again
    assert {hit.path for hit in second} <= {hit.path for hit in first}  # nothing new, nothing twice
    assert not manifest.never & {hit.path for hit in second}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_crawl_twice_stores_every_article_and_document_once(name: str, tmp_path: Path) -> None:
    server, site = serve(name)
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    with server:
        base = server.url("")
        config = write_config(tmp_path / "config", [], allowed_private_hosts=[server.hostport])
        arguments = ("crawl", server.url(site.start), "--max-pages", "100", "--depth", "3", "--time-limit", "120")
        first = monitor(config, database_url, *arguments)
        first_log = list(server.log)
        rows = stored(database_url)
        second = monitor(config, database_url, *arguments)
        second_log = server.log[len(first_log) :]
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    check_first_run(site, base, first_log, rows)
    check_second_run(site, base, first_log, second_log)
    assert len(stored(database_url)) == len(rows)
    assert "0 articles stored" in second.stdout, second.stdout


def source(site: CmsSite, base: str, **extra: Any) -> dict[str, Any]:
    listings = [{**listing, "url": base + str(listing["url"])} for listing in site.listings]
    return {
        "id": site.name,
        "name": f"{site.name} fixture",
        "kind": "regulator",
        "jurisdiction": "EU",
        "homepage": base + "/",
        "listings": listings,
        **extra,
    }


def test_run_on_configured_listings_pages_on_and_fetches_the_documents_pages_cite(tmp_path: Path) -> None:
    """The Drupal site's news listing (``?page=N`` from 0, no selector) and its decisions table."""
    server, site = serve("drupal")
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    with server:
        base = server.url("")
        config = write_config(tmp_path / "config", [source(site, base)], allowed_private_hosts=[server.hostport])
        first = monitor(config, database_url, "run")
        first_log = list(server.log)
        rows = stored(database_url)
        second = monitor(config, database_url, "run")
        second_log = server.log[len(first_log) :]
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    assert second.returncode == 0, second.stdout + second.stderr[-3000:]
    check_first_run(site, base, first_log, rows)
    check_second_run(site, base, first_log, second_log)
    # An unchanged site: the two entry points are read again, and nothing behind them.
    assert {hit.path for hit in second_log} - {ROBOTS} == {"/en/news", "/en/decisions"}, second_log


def test_a_404_past_the_last_listing_page_ends_the_paging_without_failing_the_source(tmp_path: Path) -> None:
    """The ASP.NET pager says "Next >" on its last page too; the page after it answers 404."""
    server, site = serve("aspnet")
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    with server:
        base = server.url("")
        entry = {**source(site, base), "listings": [{"url": base + "/News.aspx", "max_pages": 10}]}
        config = write_config(tmp_path / "config", [entry], allowed_private_hosts=[server.hostport])
        result = monitor(config, database_url, "run")
        log = list(server.log)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "0 sources failed" in result.stdout, result.stdout
    assert Hit("aspnet", "/News.aspx?pg=4", 404) in log
    paths = {canonical_url(base + hit.path) for hit in log}
    assert keys(base, site.manifest.articles) <= paths
    with repository_for(database_url).sessions() as session:
        health = {row.url: row for row in repository_for(database_url).endpoints()}
    dispose_all()
    assert health[base + "/News.aspx"].error_class is None
    assert health[base + "/News.aspx"].consecutive_failures == 0
    del session
