"""Two `monitor run` processes on one PostgreSQL: crawls of different hosts run side by side, a
crawl of a host another run holds leaves that source for the next slot (exit 3, one line why),
and the run still going is neither interrupted nor robbed of its validators.

The sites are on distinct loopback addresses (127.0.0.2, 127.0.0.3): Scrapy and the locks key
on the host name, not the port. The first run's articles are held until the test lets them go,
so "at the same time" does not depend on timing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from monitor.storage import repository_for
from monitor.storage.models import Article, Run, RunSource
from monitor.storage.repository import EndpointState
from tests.helpers.cli import Run as MonitorRun
from tests.helpers.cli import wait_until
from tests.helpers.config import write_config
from tests.helpers.db import count_rows
from tests.mockserver import SiteServer, write_news_site
from tests.mockserver.news_site import NEWS_POLITENESS, SITE, is_article

pytestmark = pytest.mark.timeout(300)


def _feed_source(source_id: str, base: str) -> dict[str, Any]:
    return {
        "id": source_id,
        "name": source_id.upper(),
        "kind": "regulator",
        "jurisdiction": "FR",
        "feeds": [f"{base}/dpa/feed.xml"],
    }


def test_runs_of_other_hosts_proceed_and_a_held_host_is_left_for_later(pg_schema_url: str, tmp_path: Path) -> None:
    database_url = pg_schema_url
    root = write_news_site(tmp_path / "site")
    with (
        SiteServer(root, held=is_article, host="127.0.0.2") as slow,
        SiteServer(root, host="127.0.0.3") as fast,
    ):
        slow.hold(pages=2)
        slow_feed_url = f"{slow.base_url(SITE)}/dpa/feed.xml"
        sources = [_feed_source("slow", slow.base_url(SITE)), _feed_source("fast", fast.base_url(SITE))]
        config = write_config(tmp_path / "config", sources, politeness=NEWS_POLITENESS)
        with MonitorRun(
            config, database_url, "first", "--allow-private", "--quiet", "run", "--source", "slow"
        ) as first:
            wait_until(lambda: count_rows(database_url, "articles") >= 2, what="the first run's articles")
            # The second run covers both hosts: 127.0.0.2 is the first run's, 127.0.0.3 is free.
            with MonitorRun(config, database_url, "second", "--allow-private", "--quiet", "run") as second:
                assert second.wait() == 3, second.stderr
            assert first.poll() is None, first.stderr  # still held: it ran beside the second one
            repository = repository_for(database_url)
            slow_feed = repository.endpoint_state(slow_feed_url)
            with repository.sessions() as session:
                statuses = {run.id: run.status for run in session.scalars(select(Run))}
                covered = {(row.run_id, row.source_id): row.status for row in session.scalars(select(RunSource))}
            slow.release()
            assert first.wait() == 0, first.stderr
        fast_urls = {r.path for r in fast.request_log}
    assert "source slow skipped: 127.0.0.2 is being crawled by another run (pid" in second.stderr
    assert sorted(statuses.values()) == ["ok", "running"]  # the second start interrupted nothing
    assert sorted(covered.values()) == ["complete", "running"]  # the second run covered 'fast' only
    assert "/dpa/feed.xml" in fast_urls
    assert slow_feed == EndpointState(None, None)  # the second run's finish left the first's pending
    with repository.sessions() as session:
        hosts = {urlsplit(url).hostname for url in session.scalars(select(Article.canonical_url))}
        final = sorted(session.scalars(select(Run.status)))
    assert hosts == {"127.0.0.2", "127.0.0.3"}
    assert final == ["ok", "ok"]
    assert repository.endpoint_state(slow_feed_url) != EndpointState(None, None)
