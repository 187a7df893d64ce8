"""Incremental runs over the bundled fixture sites, measured by the fixture server's request log.

The first ``monitor run`` fetches everything; the second, over unchanged sites, sends only
conditional requests for the feeds, sitemaps and first listing pages (each answered 304), plus
the one robots.txt per host that every run reads afresh, and stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article
from tests.helpers.cli import monitor
from tests.helpers.config import write_demo_config
from tests.mockserver import FixtureServer, RequestRecord, render_sources


def conditional(record: RequestRecord) -> bool:
    return bool(record.header("If-None-Match") or record.header("If-Modified-Since"))


def article_count(database_url: str) -> int:
    with repository_for(database_url).sessions() as session:
        return session.scalar(select(func.count(Article.id))) or 0


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    work = tmp_path_factory.mktemp("incremental")
    database_url = f"sqlite:///{work / 'monitor.db'}"
    with FixtureServer() as server:
        write_demo_config(work / "config", server)
        first = monitor(work / "config", database_url, "run")
        first_log = server.request_log
        stored_after_first = article_count(database_url)
        server.clear_log()
        second = monitor(work / "config", database_url, "run")
        second_log = server.request_log
        yield {
            "first": first,
            "second": second,
            "first_log": first_log,
            "second_log": second_log,
            "stored_after_first": stored_after_first,
            "stored_after_second": article_count(database_url),
            "sources": render_sources(server)["sources"],
            "server": server,
        }
    dispose_all()


def test_first_run_fetches_and_stores(two_runs: dict) -> None:  # type: ignore[type-arg]
    assert two_runs["first"].returncode == 0, two_runs["first"].stderr[-3000:]
    assert two_runs["stored_after_first"] >= 40
    assert len(two_runs["first_log"]) > 3 * len(two_runs["second_log"])


def test_second_run_sends_only_conditional_requests_and_adds_nothing(two_runs: dict) -> None:  # type: ignore[type-arg]
    second = two_runs["second"]
    assert second.returncode == 0, second.stderr[-3000:]
    log: list[RequestRecord] = two_runs["second_log"]
    robots = [r for r in log if r.path == "/robots.txt"]
    others = [r for r in log if r.path != "/robots.txt"]
    assert len(robots) <= len(two_runs["server"].sites)  # one per host, as every run reads it afresh
    assert others, "the second run polled nothing"
    assert all(conditional(r) and r.status == 304 for r in others), [(r.site, r.path, r.status) for r in others]
    assert two_runs["stored_after_second"] == two_runs["stored_after_first"]
    assert "0 articles stored" in second.stdout


def test_second_run_touches_only_entry_points(two_runs: dict) -> None:  # type: ignore[type-arg]
    entry_points = set()
    for source in two_runs["sources"]:
        entry_points.update(source["feeds"])
        entry_points.update(source["sitemaps"])
        entry_points.update(listing["url"] for listing in source["listings"])
    server: FixtureServer = two_runs["server"]
    fetched = {server.base_url(r.site) + r.path for r in two_runs["second_log"] if r.path != "/robots.txt"}
    assert fetched == entry_points
