"""Ctrl-C during ``monitor run`` (issue 13, point 3): acknowledged at once, the items in flight
finished, the run recorded as interrupted (not failed), exit 130; a second Ctrl-C stops at once;
nothing stored is lost and the next run completes the crawl.

SIGINT goes to the whole process group, as a terminal sends it (the extraction workers get it too).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.interrupt import GRACEFUL, HARD
from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Run
from tests.helpers.cli import Run as Command
from tests.helpers.cli import monitor, wait_until
from tests.helpers.config import write_demo_config
from tests.mockserver import SiteServer

# Slow enough that a crawl of the demo sites is still going when the test presses Ctrl-C.
PAGE_DELAY = 0.25


@pytest.fixture
def slow_sites() -> Iterator[SiteServer]:
    with SiteServer(page_delay=PAGE_DELAY) as server:
        yield server
    dispose_all()


def stored(database_url: str) -> set[str]:
    with repository_for(database_url).sessions() as session:
        return set(session.scalars(select(Article.canonical_url)))


def runs(database_url: str) -> list[str]:
    with repository_for(database_url).sessions() as session:
        return [run.status for run in session.scalars(select(Run).order_by(Run.id))]


def test_one_ctrl_c_finishes_what_is_in_flight_and_the_next_run_completes(
    slow_sites: SiteServer, tmp_path: Path, sqlite_url: str
) -> None:
    # One request a host at a time: on a loaded machine a crawl at 8 a host would have every page
    # downloaded (and so finished as "in flight") before the three stored articles that the test
    # waits for, leaving nothing for the next run to take. Scrapy applies the per-host limit only
    # with a delay.
    config = write_demo_config(tmp_path / "config", slow_sites, concurrent_requests_per_domain=1, download_delay=0.05)
    with Command(config, sqlite_url, "interrupted", "--allow-private", "run") as crawl:
        wait_until(lambda: len(stored(sqlite_url)) >= 3 or crawl.poll() is not None, what="three stored articles")
        assert crawl.poll() is None, "the crawl ended before the test could interrupt it"
        os.killpg(crawl.pid, signal.SIGINT)
        wait_until(lambda: GRACEFUL in crawl.stderr, what="the acknowledgement")
        code = crawl.wait()
    before = stored(sqlite_url)
    assert code == 130, crawl.stderr[-3000:]
    assert "Traceback" not in crawl.stderr, crawl.stderr[-3000:]
    assert runs(sqlite_url) == ["interrupted"]
    complete = monitor(config, sqlite_url, "--allow-private", "run")
    assert complete.returncode == 0, complete.stderr[-3000:]
    after = stored(sqlite_url)
    assert before < after  # nothing lost, and the rest taken by the next run
    reference = tmp_path / "reference.db"
    fresh = monitor(config, f"sqlite:///{reference}", "--allow-private", "run")
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    assert after == stored(f"sqlite:///{reference}")  # the same set an uninterrupted crawl stores
    assert runs(sqlite_url) == ["interrupted", "ok"]


def test_a_second_ctrl_c_stops_at_once(slow_sites: SiteServer, tmp_path: Path, sqlite_url: str) -> None:
    config = write_demo_config(tmp_path / "config", slow_sites)
    with Command(config, sqlite_url, "twice", "--allow-private", "run") as crawl:
        wait_until(lambda: len(stored(sqlite_url)) >= 1 or crawl.poll() is not None, what="a stored article")
        assert crawl.poll() is None, "the crawl ended before the test could interrupt it"
        os.killpg(crawl.pid, signal.SIGINT)
        wait_until(lambda: GRACEFUL in crawl.stderr, what="the first acknowledgement")
        os.killpg(crawl.pid, signal.SIGINT)
        code = crawl.wait()
    assert code == 130, crawl.stderr[-3000:]
    assert HARD in crawl.stderr, crawl.stderr[-3000:]
    assert runs(sqlite_url) == ["interrupted"]
