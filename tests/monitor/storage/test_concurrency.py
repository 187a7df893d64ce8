"""Two runs at once: one proceeds, the other exits at once with "already running" (exit 4).
A database that is down stops a run before any fetch, with one line."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from .crawl_site import REPO, monitor_command, serve_site, start_run, write_config

pytestmark = pytest.mark.timeout(180)


def test_two_runs_started_at_once_one_proceeds(database_url: str, tmp_path: Path) -> None:
    with serve_site(tmp_path / "site") as (base, log):
        config = write_config(tmp_path / "config", base)
        runs = [start_run(config, database_url, "a"), start_run(config, database_url, "b")]
        deadline = time.monotonic() + 90
        while all(run.poll() is None for run in runs):
            assert time.monotonic() < deadline, "neither run exited"
            time.sleep(0.05)
        loser = next(run for run in runs if run.poll() is not None)
        winner = next(run for run in runs if run is not loser)
        still_running = winner.poll() is None
        winner.kill()
        loser.kill_group()
        err = loser.stderr
    assert loser.poll() == 4, err
    assert still_running, "the refused run must exit while the other is still crawling"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "already running (pid" in lines[0] and str(winner.pid) in lines[0]


def test_a_database_that_is_down_stops_the_run_before_any_fetch(tmp_path: Path) -> None:
    down = "postgresql+psycopg://monitor:secret@127.0.0.1:1/monitor"
    with serve_site(tmp_path / "site") as (base, log):
        config = write_config(tmp_path / "config", base)
        result = subprocess.run(
            monitor_command(config, down, "run"), cwd=REPO, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("monitor: error: database") and "secret" not in lines[0]
    assert log == []
