"""The cluster's processes for a test: dispatchers and workers, each in its own process group.

Every wait is on a condition read from the database or the oracle, bounded only to catch a hang.
Whatever a test leaves running is killed at the end: the groups it started and the crawl
processes the oracle saw (those have sessions of their own).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from monitor.scheduler.child import die_with_parent_hook
from monitor.storage.engine import make_engine
from tests.helpers import REPO_ROOT
from tests.helpers.cli import wait_until
from tests.helpers.config import write_config

# Bounds that only catch a hung cluster; a loaded 2-core machine takes far less.
SETTLE_TIMEOUT = 400

CLUSTER_POLITENESS = {
    "obey_robots_txt": False,
    "concurrent_requests_per_domain": 1,
    "download_delay": 0.05,  # > 0: with 0, Scrapy 2.19 sends a burst past CONCURRENT_REQUESTS_PER_DOMAIN
    "autothrottle": False,
    "retry_times": 1,
    "crawl_timeout": 100,
}


def cluster_settings(**overrides: Any) -> dict[str, Any]:
    settings = {
        "batch_size": 5,
        "tick_seconds": 1,
        "job_timeout": 120,
        "term_grace": 5,
        "visibility_timeout": 150,
        "restore_interval": 2,
        "max_attempts": 2,
        "retry_delay": 1,
        "requeue_after": 120,
    }
    return {**settings, **overrides}


def write_cluster_config(directory: Path, sources: list[dict[str, Any]], **cluster: Any) -> Path:
    return write_config(
        directory,
        sources,
        politeness=CLUSTER_POLITENESS,
        # Once each: never dispatched is due at once, the next slot is next January.
        schedules=[{"name": "all", "cron": "0 0 1 1 *"}],
        cluster=cluster_settings(**cluster),
    )


class Proc:
    def __init__(self, argv: list[str], log: Path, env: dict[str, str]) -> None:
        self.log = log
        with log.open("w") as out:
            # Killed with pytest, even by a SIGKILL that skips the fixtures' teardown: a stray worker
            # would take later runs' jobs from the shared test database and hold its host locks.
            self.process = subprocess.Popen(
                argv,
                cwd=REPO_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                preexec_fn=die_with_parent_hook(),
            )
        self.pid = self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self, signum: int = signal.SIGKILL) -> None:
        """Signal the main process only (its children must die by themselves)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Cluster:
    """Dispatchers and workers over one config, one database and one broker."""

    def __init__(self, config: Path, database_url: str, broker_url: str) -> None:
        self.config = config
        self.database_url = database_url
        self.env = {**os.environ, "MONITOR_BROKER_URL": broker_url, "PYTHONUNBUFFERED": "1"}
        self.procs: list[Proc] = []
        self.engine = make_engine(database_url, poolclass=NullPool)

    def _start(self, name: str, *args: str) -> Proc:
        argv = [sys.executable, "-m", "monitor", "--config", str(self.config), "--db", self.database_url]
        proc = Proc([*argv, "--allow-private", *args], self.config.parent / f"{name}.log", self.env)
        self.procs.append(proc)
        return proc

    def dispatcher(self, name: str, *extra: str) -> Proc:
        return self._start(name, "dispatch", *extra)

    def worker(self, name: str, *extra: str, concurrency: int = 1) -> Proc:
        return self._start(name, "worker", "-c", str(concurrency), "--name", f"{name}@test", *extra)

    def query(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        try:
            with self.engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql), params)]
        except Exception:  # noqa: BLE001 - the schema may not exist yet
            return []

    def stored_urls(self) -> list[str]:
        return [row[0] for row in self.query("SELECT canonical_url FROM articles")]

    def jobs(self) -> list[tuple[Any, ...]]:
        return self.query("SELECT id, state, sources, worker, attempts, exit_code, error FROM jobs ORDER BY id")

    def settled(self, source_ids: Iterable[str]) -> bool:
        """Every source's newest job is done, and no job is outstanding."""
        latest = dict(
            self.query(
                "SELECT js.source_id, j.state FROM job_sources js JOIN jobs j ON j.id = js.job_id "
                "WHERE js.job_id = (SELECT max(job_id) FROM job_sources WHERE source_id = js.source_id)"
            )
        )
        outstanding = self.query("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")
        return all(latest.get(s) == "done" for s in source_ids) and outstanding == [(0,)]

    def leader_pid(self) -> int | None:
        """The pid of the dispatcher holding the leader lock (from its lock session's note)."""
        rows = self.query(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'news-monitor lock dispatcher:%'"
        )
        for (note,) in rows:
            for proc in self.procs:
                if f"pid {proc.pid} " in note:
                    return proc.pid
        return None

    def report(self) -> str:
        """What to read when a wait times out: the jobs and the tail of every log."""
        tails = "\n".join(f"--- {proc.log.name}\n{proc.output()[-3000:]}" for proc in self.procs)
        return f"jobs: {self.jobs()}\n{tails}"

    def close(self, crawls: Iterable[int | None] = ()) -> None:
        for proc in self.procs:
            proc.kill(signal.SIGTERM)
        for proc in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.process.wait(15)
            proc.kill_group()
        for group in set(crawls):
            if group:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(group, signal.SIGKILL)
        self.engine.dispose()


def parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def children_of(pid: int) -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and parent_of(int(name)) == pid]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def group_alive(group: int) -> bool:
    """Any live process left in process group ``group``."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if os.getpgid(int(name)) == group and alive(int(name)):
                return True
        except OSError:
            continue
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A redis-server on a free 127.0.0.1 port (no persistence, no eviction) for the block; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server")
    port = _free_port()
    log_path = directory / "redis.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--maxmemory-policy", "noeviction", "--dir", str(directory)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until(lambda: _answers(port) or process.poll() is not None, timeout=30, what="redis-server")
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {log_path.read_text()[-2000:]}")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
