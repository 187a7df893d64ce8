"""A JSON news API as a source's entry point (issue 14, point 3), through ``monitor run`` against a
loopback API shaped like the Federal Register's (a next-page URL in the answer) and one that pages by
a query parameter: every item's article stored once, paging stops at a page with nothing new, and a
second run is one conditional request answered 304."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Endpoint
from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver import Reply, RouteServer
from tests.mockserver.fault_pages import ARTICLE

TODAY = datetime.now(UTC).date()
ETAG = '"fr-documents-v1"'


def document(base: str, number: int) -> dict[str, object]:
    day = TODAY - timedelta(days=number)
    return {
        "title": f"Export controls on cloud services for data center operators, notice {number}",
        "type": "Notice",
        "abstract": "The Bureau amends the Export Administration Regulations for cross-border data storage.",
        "document_number": f"2026-2{number:04d}",
        "html_url": f"{base}/documents/{day:%Y/%m/%d}/2026-2{number:04d}/export-controls.html",
        "publication_date": f"{day:%Y-%m-%d}",
    }


def federal_register(site: RouteServer, hits: list[str]) -> list[str]:
    """Two answer pages of two documents each, linked by next_page_url, with an ETag on page 1."""
    base = site.url("").rstrip("/")
    pages = {1: [document(base, 1), document(base, 2)], 2: [document(base, 3), document(base, 4)]}

    def api(handler: object) -> Reply:
        path = handler.path  # type: ignore[attr-defined]  # http.server handler
        hits.append(path)
        page = 2 if "page=2" in path else 1
        if page == 1 and handler.headers.get("If-None-Match") == ETAG:  # type: ignore[attr-defined]
            return Reply(304, b"", headers={"ETag": ETAG})
        answer = {
            "count": 4,
            "total_pages": 2,
            "next_page_url": f"{base}/api/v1/documents.json?order=newest&page=2" if page == 1 else None,
            "results": pages[page],
        }
        return Reply(
            200,
            json.dumps(answer).encode(),
            headers={"ETag": ETAG} if page == 1 else None,
            content_type="application/json",
        )

    site.routes["/api/v1/documents.json"] = api
    urls = []
    for docs in pages.values():
        for doc in docs:
            path = str(doc["html_url"]).removeprefix(base)
            site.routes[path] = lambda h, title=doc["title"]: Reply(
                200, ARTICLE.format(title=title, extra="Published in the Federal Register.").encode()
            )
            urls.append(str(doc["html_url"]))
    site.routes["/robots.txt"] = lambda h: Reply(
        200, b"User-agent: *\nDisallow: /documents/search\n", content_type="text/plain"
    )
    return urls


def test_json_api_source_is_paged_stored_once_and_then_answered_304(tmp_path: Path, sqlite_url: str) -> None:
    hits: list[str] = []
    with RouteServer("federalregister") as site:
        urls = federal_register(site, hits)
        api = {
            "url": site.url("/api/v1/documents.json?order=newest"),
            "items": "results",
            "link": "html_url",
            "date": "publication_date",
            "summary": "abstract",
            "next": "next_page_url",
        }
        sources = [
            {
                "id": "bis",
                "name": "BIS",
                "kind": "executive",
                "jurisdiction": "US",
                "timezone": "America/New_York",
                "json_apis": [api],
            }
        ]
        config = write_config(tmp_path / "config", sources, allowed_private_hosts=[site.hostport])
        first = monitor(config, sqlite_url, "run")
        first_hits = list(hits)
        hits.clear()
        second = monitor(config, sqlite_url, "run")
        article_hits = [site.hits(url.removeprefix(site.url("").rstrip("/"))) for url in urls]
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    with repository_for(sqlite_url).sessions() as session:
        stored = {a.url: a for a in session.scalars(select(Article))}
        endpoint = session.scalars(select(Endpoint)).one()
    assert set(stored) == set(urls)
    assert all(count == 1 for count in article_hits), article_hits  # each article fetched once, over two runs
    assert [h for h in first_hits if "page=2" in h], first_hits  # paged through next_page_url
    assert hits == ["/api/v1/documents.json?order=newest"]  # the second run: one conditional request, a 304
    assert endpoint.kind == "json_api" and endpoint.etag == ETAG and endpoint.error_class is None
    assert stored[urls[0]].published_at is not None
    dispose_all()


def test_paged_by_parameter_and_a_broken_answer_is_named(tmp_path: Path, sqlite_url: str) -> None:
    """An API with a page parameter (no next URL) stops at the page that brings nothing new; an
    API answering an HTML error page is that source's not_a_feed error, in one line."""
    requested: list[str] = []
    with RouteServer("news-api") as site:
        base = site.url("").rstrip("/")

        def news(handler: object) -> Reply:
            path = handler.path  # type: ignore[attr-defined]
            requested.append(path)
            page = int(path.rsplit("page=", 1)[1]) if "page=" in path else 1
            entries = [{"title": f"Release {page}", "link": f"{base}/news/release-{page}.html"}] if page <= 2 else []
            return Reply(200, json.dumps({"feed": {"entry": entries}}).encode(), content_type="application/json")

        site.routes["/news/v2"] = news
        site.routes["/broken/v2"] = lambda h: Reply(200, b"<html><body>Maintenance</body></html>")
        for page in (1, 2):
            site.routes[f"/news/release-{page}.html"] = lambda h, page=page: Reply(
                200, ARTICLE.format(title=f"Release {page} on data flows", extra="").encode()
            )
        site.routes["/robots.txt"] = lambda h: Reply(404, b"")
        paged = {"url": site.url("/news/v2?pick=1"), "items": "feed.entry", "page_param": "page", "max_pages": 5}
        broken = {"url": site.url("/broken/v2"), "items": "feed.entry"}
        sources = [
            {"id": "gc-news", "name": "GC news", "kind": "executive", "jurisdiction": "CA", "json_apis": [paged]},
            {"id": "broken", "name": "Broken", "kind": "executive", "jurisdiction": "CA", "json_apis": [broken]},
        ]
        config = write_config(tmp_path / "config", sources, allowed_private_hosts=[site.hostport])
        result = monitor(config, sqlite_url, "run")
    assert result.returncode == 3, result.stderr[-3000:]
    with repository_for(sqlite_url).sessions() as session:
        stored = {a.url for a in session.scalars(select(Article))}
    assert stored == {f"{base}/news/release-1.html", f"{base}/news/release-2.html"}
    assert requested == [
        "/news/v2?pick=1",
        "/news/v2?pick=1&page=2",
        "/news/v2?pick=1&page=3",
    ]  # page 3 brought nothing
    failure = [line for line in result.stderr.splitlines() if line.startswith("source broken failed: ")]
    cause = "not_a_feed: not JSON (JSONDecodeError: Expecting value: line 1 column 1 (char 0))"
    assert failure == [f"source broken failed: {site.url('/broken/v2')}: {cause}"], result.stderr[-3000:]
    dispose_all()
