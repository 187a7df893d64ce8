"""The dispatcher's tick and the job life cycle on PostgreSQL, with a list standing in for the broker."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from monitor.cluster.dispatcher import Dispatcher
from monitor.cluster.jobs import JobStore
from monitor.cluster.task import run_job, task_lock
from monitor.config import AppConfig, load_config
from monitor.storage import Database, open_database
from monitor.storage.models import Job
from tests.helpers import REPO_ROOT
from tests.helpers.config import write_config


def _source(source_id: str, host: str) -> dict[str, Any]:
    return {
        "id": source_id,
        "name": source_id,
        "kind": "regulator",
        "jurisdiction": "FR",
        "feeds": [f"https://{host}/{source_id}/feed.xml"],
    }


SOURCES = [
    _source("edpb", "www.edpb.europa.eu"),
    _source("edps", "edps.europa.eu"),
    _source("cnil", "www.cnil.fr"),
    _source("ico", "ico.org.uk"),
    _source("noyb", "noyb.eu"),
]


@pytest.fixture
def config(tmp_path: Path, pg_schema_url: str) -> AppConfig:
    directory = write_config(
        tmp_path / "config",
        SOURCES,
        schedules=[{"name": "yearly", "cron": "0 0 1 1 *"}],
        cluster={"batch_size": 2, "max_attempts": 2, "retry_delay": 0, "job_timeout": 60, "term_grace": 5},
    )
    return load_config(directory, pg_schema_url)


@pytest.fixture
def database(config: AppConfig) -> Iterator[Database]:
    database = open_database(config.database_url)
    for source in config.sources:
        database.repository.ensure_source(source.id, source.name)
    yield database
    database.close()


@pytest.fixture
def sent() -> list[int]:
    return []


@pytest.fixture
def dispatcher(config: AppConfig, database: Database, sent: list[int]) -> Dispatcher:
    return Dispatcher(config, database, sent.append)


def _jobs(database: Database) -> list[Job]:
    with database.sessions() as session:
        return list(session.scalars(select(Job).order_by(Job.id)))


def test_a_tick_packs_due_sources_by_domain_and_sends_only_committed_ids(
    dispatcher: Dispatcher, database: Database, sent: list[int]
) -> None:
    report = dispatcher.tick()
    jobs = _jobs(database)
    # Never dispatched, so in id order; the two europa.eu sources together; at most two a job.
    assert [job.sources for job in jobs] == [["cnil"], ["edpb", "edps"], ["ico", "noyb"]]
    assert sent == report.dispatched == [job.id for job in jobs]
    assert all(job.state == "queued" and job.published_at is not None for job in jobs)
    assert {key for job in jobs for key in job.keys} == {"europa.eu", "cnil.fr", "ico.org.uk", "noyb.eu"}
    # Outstanding jobs hold their keys: the next tick writes nothing, and nothing is due anyway.
    assert dispatcher.tick().dispatched == []


def test_a_job_whose_task_died_is_lost_and_its_sources_dispatched_again(
    dispatcher: Dispatcher, database: Database, sent: list[int]
) -> None:
    dispatcher.tick()
    store = JobStore(database.sessions)
    first = _jobs(database)[0]
    with task_lock(database.engine, first.id) as mine:
        assert mine
        assert store.start(first.id, "w1") is not None
        assert store.mark_lost() == []  # its task lives
        with task_lock(database.engine, first.id) as second:
            assert not second  # a second delivery while the first task lives is a duplicate
    # The task is gone (its lock with it): lost, and the sources come back in a new job.
    assert store.mark_lost() == [first.id]
    report = dispatcher.tick()
    again = [job for job in _jobs(database) if job.id in report.dispatched]
    assert [job.sources for job in again] == [first.sources]
    assert store.start(first.id, "w2") is None  # the old message, redelivered late, does nothing


def test_a_finished_job_is_never_started_again_and_its_sources_wait_for_their_schedule(
    dispatcher: Dispatcher, database: Database
) -> None:
    dispatcher.tick()
    store = JobStore(database.sessions)
    job = _jobs(database)[0]
    started = store.start(job.id, "w1")
    assert started is not None and started.attempts == 1
    store.finish(job.id, "done", run_id=None, exit_code=0, left_out=[job.sources[0]], error=None)
    assert store.start(job.id, "w1") is None
    assert not store.settle(job.id, 1, "failed", exit_code=1, error="late")  # done stays done
    report = dispatcher.tick()
    # The source the crawl left out (its host was busy) is due again; the one it crawled is not.
    assert [job.sources for job in _jobs(database) if job.id in report.dispatched] == [[job.sources[0]]]


def _fake_crawl(tmp_path: Path, codes: list[int]) -> Any:
    """A stand-in for `monitor run --job`: exits with the next of ``codes`` on each start."""
    counter = tmp_path / "starts"
    counter.write_text("0")
    script = (
        "import sys, pathlib; p = pathlib.Path(sys.argv[1]); n = int(p.read_text()); "
        "p.write_text(str(n + 1)); sys.exit(int(sys.argv[2 + n]))"
    )
    return lambda job_id, allow_private: [sys.executable, "-c", script, str(counter), *map(str, codes)]


@pytest.mark.parametrize(
    ("codes", "outcome", "state", "attempts"),
    [
        ([1, 0], "done", "running", 2),  # a failed crawl is retried; the crawl itself records 'done'
        ([139, 1], "failed", "failed", 2),  # crashed, then failed again: given up after max_attempts
        ([4], "skipped", "skipped", 1),  # its hosts busy elsewhere
        ([2], "failed", "failed", 1),  # bad config: no retry
    ],
)
def test_the_task_maps_the_crawls_exit_codes(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    config: AppConfig,
    dispatcher: Dispatcher,
    database: Database,
    codes: list[int],
    outcome: str,
    state: str,
    attempts: int,
) -> None:
    monkeypatch.setattr("monitor.cluster.task.crawl_argv", _fake_crawl(tmp_path, codes))
    dispatcher.tick()
    job = _jobs(database)[0]
    result = run_job(job.id, "w1", config=config)
    assert (result.outcome, result.attempts) == (outcome, attempts)
    assert JobStore(database.sessions).state(job.id) == state
    assert run_job(job.id, "w1", config=config).outcome in ("finished-already", "done", "gave-up")


def test_the_worker_process_never_imports_scrapy_or_twisted(config: AppConfig) -> None:
    probe = (
        "import sys; from monitor.config import load_config; from monitor.cluster.worker import build_app; "
        "import monitor.cluster.task, monitor.cluster.jobs; build_app(load_config(sys.argv[1], sys.argv[2])); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(config.config_dir), config.database_url],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "MONITOR_BROKER_URL": "redis://127.0.0.1:1/0"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_sources_list_shows_each_sources_last_job_and_worker(
    config: AppConfig, dispatcher: Dispatcher, database: Database
) -> None:
    from typer.testing import CliRunner

    from monitor.cli import _register
    from monitor.cli.app import app

    dispatcher.tick()
    store = JobStore(database.sessions)
    first = _jobs(database)[0]
    store.start(first.id, "crawl@m1")
    _register()
    result = CliRunner().invoke(
        app,
        ["--config", str(config.config_dir), "--db", config.database_url, "sources", "list"],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    assert "last job" in result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") > 5}
    assert f"#{first.id} running on crawl@m1" in rows[first.sources[0]]
    assert f"#{first.id + 1} queued" in rows["edpb"]
