"""Run bookkeeping under concurrent runs: a start never interrupts a live run, only a dead one.

A run holds a lease (``crawl_locks``) while it lives; the next start marks 'running' runs whose
lease is free as interrupted. Runs are held by real child processes here, so "dead" means what
it means in production: the process is gone (SIGKILL), and the kernel or server dropped its lock.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from monitor.storage import repository_for
from monitor.storage.lock import crawl_locks
from monitor.storage.models import Run, RunSource
from monitor.storage.records import EndpointResult
from monitor.storage.repository import EndpointState, Repository
from tests.helpers.cli import wait_until

# A run in another process: its lease held until it is killed. Prints its run id.
HOLDER = """
import sys, time
from monitor.storage import repository_for
from monitor.storage.lock import crawl_locks
from monitor.storage.records import EndpointResult
repository = repository_for(sys.argv[1])
source = sys.argv[2]
with crawl_locks(repository.engine, set(sys.argv[3:])) as lease:
    run = repository.start_run("run", [source], lease=lease.token)
    feed = f"https://{source}.example/feed.xml"
    repository.record_endpoint(EndpointResult(source, feed, "feed", 200, etag='"held"', run_id=run))
    print(run, flush=True)
    time.sleep(120)
"""


class Holder:
    """A child process that started a run and holds it open."""

    def __init__(self, database_url: str, source: str, *keys: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, database_url, source, *keys], stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.isdigit(), f"holder did not start a run: {line!r}"
        self.run_id = int(line)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(60)

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def repository(database_url: str) -> Repository:
    repository = repository_for(database_url)
    for source_id in ("a", "b"):
        repository.ensure_source(source_id, source_id.upper(), "regulator", "EU", "en")
    return repository


@pytest.fixture
def holder(database_url: str, repository: Repository) -> Iterator[Holder]:
    started = Holder(database_url, "a", "a.example")
    yield started
    started.close()


def _status(repository: Repository, run_id: int) -> tuple[str, dict[str, str]]:
    with repository.sessions() as session:
        run = session.get(Run, run_id)
        assert run is not None
        rows = session.execute(select(RunSource.source_id, RunSource.status).where(RunSource.run_id == run_id))
        return run.status, {source_id: status for source_id, status in rows}


def test_a_start_leaves_a_live_run_alone_and_interrupts_it_once_its_process_died(
    repository: Repository, holder: Holder
) -> None:
    other = repository.start_run("check")  # another start while the holder's run lives
    assert _status(repository, holder.run_id) == ("running", {"a": "running"})
    assert repository.interrupt_dead_runs() == [other]  # leaseless: presumed dead, unlike the holder
    holder.kill()
    # PostgreSQL frees the lock when it notices the closed socket; the bound only catches a hang.
    wait_until(lambda: holder.run_id in repository.interrupt_dead_runs(), timeout=60, what="the dead run")
    assert _status(repository, holder.run_id) == ("interrupted", {"a": "incomplete"})


def test_a_run_records_who_holds_it(repository: Repository, holder: Holder) -> None:
    with repository.sessions() as session:
        run = session.get(Run, holder.run_id)
        assert run is not None
        assert (run.pid, bool(run.host), bool(run.lease)) == (holder.process.pid, True, True)


def test_a_finishing_run_never_promotes_a_live_or_killed_runs_validators(
    database_url: str, repository: Repository, holder: Holder
) -> None:
    if repository.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one crawl at a time (its file lock): no second live run to finish beside")
    with crawl_locks(repository.engine, {"b.example"}) as lease:
        mine = repository.start_run("run", ["b"], lease=lease.token)
        feed = "https://b.example/feed.xml"
        repository.record_endpoint(EndpointResult("b", feed, "feed", 200, etag='"b1"', run_id=mine))
        repository.finish_run(mine, "ok", {"finish_reason": "finished"})
    assert repository.endpoint_state(feed) == EndpointState('"b1"', None)
    held = "https://a.example/feed.xml"
    assert repository.endpoint_state(held) == EndpointState(None, None)  # still the holder's, pending
    holder.kill()
    wait_until(lambda: holder.run_id in repository.interrupt_dead_runs(), timeout=60, what="the dead run")
    assert repository.endpoint_state(held) == EndpointState(None, None)
    assert repository.unfinished_endpoints(["a"]) == {held}  # the next crawl of a reads it in full
