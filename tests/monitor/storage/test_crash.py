"""A crawl killed with SIGKILL at any point, then rerun, ends with the same articles as an
uninterrupted run: nothing lost, nothing doubled. Runs ``python -m monitor run`` as a subprocess
against a local site, on each database backend. The site holds its article pages until the test
lets them through, so each kill lands at its point however loaded the machine is."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.storage import repository_for
from monitor.storage.models import Article, Run
from tests.helpers.cli import Run as MonitorRun
from tests.helpers.cli import wait_until
from tests.helpers.config import write_config
from tests.helpers.db import count_rows
from tests.mockserver import SiteServer, write_news_site
from tests.mockserver.news_site import NEWS_POLITENESS, SITE, expected_urls, is_article, news_sources

pytestmark = pytest.mark.timeout(300)


def test_killed_runs_then_a_rerun_lose_and_double_nothing(database_url: str, tmp_path: Path) -> None:
    with SiteServer(write_news_site(tmp_path / "site"), held=is_article) as server:
        base = server.base_url(SITE)
        config = write_config(tmp_path / "config", news_sources(base), politeness=NEWS_POLITENESS)

        # 1. Killed once the feed and sitemap are polled, before any article is fetched:
        #    the saved validators must not make the next run's conditional GET a 304.
        server.hold(pages=0)
        with MonitorRun(config, database_url, "first") as first:
            wait_until(lambda: count_rows(database_url, "endpoints") >= 2, what="both endpoints polled")
            assert first.kill() == -signal.SIGKILL
        assert count_rows(database_url, "articles") == 0

        # 2. Killed while articles are being stored: four pages answered, the fifth held.
        server.hold(pages=4)
        with MonitorRun(config, database_url, "second") as second:
            wait_until(lambda: count_rows(database_url, "articles") >= 2, what="articles stored")
            assert second.kill() == -signal.SIGKILL

        # 3. Uninterrupted rerun.
        server.release()
        with MonitorRun(config, database_url, "third") as third:
            assert third.wait() == 0, third.stderr

    repository = repository_for(database_url)
    copy_url, release = f"{base}/daily/copy.html", f"{base}/dpa/release.html"
    with repository.sessions() as session:
        urls = list(session.scalars(select(Article.canonical_url)))
        pair = dict(
            session.execute(
                select(Article.canonical_url, Article.duplicate_of).where(
                    Article.canonical_url.in_([copy_url, release])
                )
            ).all()
        )
        statuses = sorted(session.scalars(select(Run.status)))
    assert len(urls) == len(set(urls))
    assert set(urls) == expected_urls(base)
    # The syndicated copy is one story with the regulator's release: the one stored second points
    # to the one stored first (the two sources are crawled side by side, so either may be first).
    assert pair in ({release: None, copy_url: release}, {copy_url: None, release: copy_url}), pair
    assert statuses == ["interrupted", "interrupted", "ok"]
