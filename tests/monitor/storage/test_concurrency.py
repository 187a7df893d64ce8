"""Two runs at once: one proceeds, the other exits at once with "already running" (exit 4).
A database that is down stops a run before any fetch, with one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT
from tests.helpers.cli import Run, monitor_command, wait_until
from tests.helpers.config import write_config
from tests.mockserver import SiteServer, write_news_site
from tests.mockserver.news_site import NEWS_POLITENESS, SITE, is_article, news_sources

pytestmark = pytest.mark.timeout(240)


def test_two_runs_started_at_once_one_proceeds(database_url: str, tmp_path: Path) -> None:
    # The articles are held: whichever run takes the lock cannot finish before the test says so,
    # so the other one exits only if it does not wait for the lock.
    with SiteServer(write_news_site(tmp_path / "site"), held=is_article) as server:
        server.hold()
        config = write_config(tmp_path / "config", news_sources(server.base_url(SITE)), politeness=NEWS_POLITENESS)
        with Run(config, database_url, "a") as a, Run(config, database_url, "b") as b:
            wait_until(lambda: a.poll() is not None or b.poll() is not None, timeout=150, what="a run to exit")
            loser, winner = (a, b) if a.poll() is not None else (b, a)
            winner_running = winner.poll() is None
        err = loser.stderr
    assert loser.poll() == 4, err
    assert winner_running, winner.stderr
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "already running (pid" in lines[0] and str(winner.pid) in lines[0]


def test_a_database_that_is_down_stops_the_run_before_any_fetch(tmp_path: Path) -> None:
    down = "postgresql+psycopg://monitor:secret@127.0.0.1:1/monitor"
    with SiteServer(write_news_site(tmp_path / "site")) as server:
        config = write_config(tmp_path / "config", news_sources(server.base_url(SITE)), politeness=NEWS_POLITENESS)
        command = monitor_command(config, down, "--allow-private", "--quiet", "run")
        result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
        log = server.request_log
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("monitor: error: database") and "secret" not in lines[0]
    assert log == []
