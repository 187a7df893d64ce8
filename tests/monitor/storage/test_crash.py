"""A crawl killed with SIGKILL at any point, then rerun, ends with the same articles as an
uninterrupted run: nothing lost, nothing doubled. Runs ``python -m monitor run`` as a subprocess
against a local site, on each database backend."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.storage import repository_for
from monitor.storage.models import Article, Run

from .crawl_site import count_rows, expected_urls, serve_site, start_run, wait_until, write_config

pytestmark = pytest.mark.timeout(240)


def test_killed_runs_then_a_rerun_lose_and_double_nothing(database_url: str, tmp_path: Path) -> None:
    with serve_site(tmp_path / "site") as (base, log):
        config = write_config(tmp_path / "config", base)

        # 1. Killed just after polling the feed and sitemap, before their articles are stored:
        #    the saved validators must not make the next run's conditional GET a 304.
        first = start_run(config, database_url, "first")
        wait_until(lambda: count_rows(database_url, "endpoints") >= 2, what="both endpoints polled")
        assert first.kill() == -signal.SIGKILL
        after_first = count_rows(database_url, "articles")

        # 2. Killed while articles are being stored.
        second = start_run(config, database_url, "second")
        wait_until(lambda: count_rows(database_url, "articles") >= after_first + 2, what="articles stored")
        assert second.kill() == -signal.SIGKILL
        after_second = count_rows(database_url, "articles")
        assert after_second < len(expected_urls(base)), "the second run was not interrupted; slow the site down"

        # 3. Uninterrupted rerun.
        third = start_run(config, database_url, "third")
        assert third.wait(timeout=180) == 0, third.stderr

    repository = repository_for(database_url)
    with repository.sessions() as session:
        urls = list(session.scalars(select(Article.canonical_url)))
        copy = session.scalars(select(Article).where(Article.canonical_url.endswith("/daily/copy.html"))).one()
        statuses = sorted(session.scalars(select(Run.status)))
    assert len(urls) == len(set(urls)) == len(expected_urls(base))
    assert set(urls) == expected_urls(base)
    # The syndicated copy is one story with the regulator's release, whichever was stored first.
    release = f"{base}/dpa/release.html"
    assert copy.duplicate_of == release or repository.stored_urls([release])
    assert statuses == ["interrupted", "interrupted", "ok"]
