"""The one Celery task: carry a job by running ``monitor run --job ID`` as a child process.

Scrapy never runs in the worker: its reactor cannot restart, and a process pool cannot start
from a daemonic pool process. This module imports neither Scrapy nor Twisted. The child gets
its own session under ``monitor.cluster.guard``, which takes the whole crawl tree down when the
pool process that started it dies (``PR_SET_PDEATHSIG``) or when the crawl ends; on timeout the
group is stopped with SIGTERM, then SIGKILL.

While it carries a job the task holds the job's ``task:<id>`` lock (PostgreSQL, own connection):
the dispatcher marks a running job whose task lock is free as lost, and a second delivery of a
job whose first task still lives finds the lock taken and returns at once. Exit codes of the
child: 0/3 the crawl finished (it recorded the job itself); 4 its hosts were busy (``skipped``);
2 bad config (``failed`` at once); anything else, a signal or a timeout: retried while
``cluster.max_attempts`` allows, then ``failed``.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from monitor.cluster.jobs import JobStore, task_lock_name
from monitor.config import AppConfig
from monitor.errors import ExitCode
from monitor.storage.lock import APPLICATION_PREFIX, _holder_note, lock_key

log = logging.getLogger(__name__)

# How long a delivery waits for the job's task lock (the dispatcher holds it for a moment while
# it checks for lost jobs); a task holding it longer is alive: this delivery is a duplicate.
TASK_LOCK_WAIT_MS = 5000
ALLOW_PRIVATE_ENV = "MONITOR_WORKER_ALLOW_PRIVATE"


@dataclass(frozen=True)
class TaskOutcome:
    job_id: int
    outcome: str  # done | skipped | failed | duplicate | finished-already | gave-up
    attempts: int = 0
    exit_code: int | None = None
    seconds: float = 0.0


@cache
def _config() -> AppConfig:
    from monitor.config import load_config

    return load_config()


@contextmanager
def task_lock(engine: Engine, job_id: int) -> Iterator[bool]:
    """Hold ``task:<job_id>`` for the block (True), or False when another live task holds it."""
    connection = engine.connect()
    connection.detach()
    with connection:
        connection.execute(
            text("SELECT set_config('application_name', :note, false)"),
            {"note": f"{APPLICATION_PREFIX} task {job_id}: {_holder_note()}"[:63]},
        )
        key = lock_key(connection, task_lock_name(job_id))
        connection.execute(text(f"SET lock_timeout = {TASK_LOCK_WAIT_MS}"))
        try:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        except OperationalError:  # lock_timeout: a live task carries this job
            connection.rollback()
            yield False
            return
        connection.commit()
        yield True


def crawl_argv(job_id: int, *, allow_private: bool) -> list[str]:
    """``monitor run --job ID`` under the guard that takes the crawl's whole tree down with the task."""
    from monitor.scheduler.jobs import monitor_command

    crawl = monitor_command("--quiet", "run", "--job", str(job_id), allow_private=allow_private)
    return [sys.executable, "-m", "monitor.cluster.guard", *crawl]


def run_job(job_id: int, worker: str, *, config: AppConfig | None = None) -> TaskOutcome:
    """Carry job ``job_id`` on ``worker`` to one of its outcomes (see the module docstring)."""
    from monitor.scheduler.child import ChildRunner
    from monitor.scheduler.jobs import child_environment, merged_environment
    from monitor.storage import repository_for

    config = config or _config()
    settings = config.settings.cluster
    repository = repository_for(config.database_url)
    store = JobStore(repository.sessions)
    runner = ChildRunner(term_grace=settings.term_grace)
    allow_private = os.environ.get(ALLOW_PRIVATE_ENV) == "1"
    env = merged_environment(child_environment(config))
    started_at = time.monotonic()
    with task_lock(repository.engine, job_id) as mine:
        if not mine:
            log.info("job %d: another task carries it; this delivery is a duplicate", job_id)
            return TaskOutcome(job_id, "duplicate")
        while True:
            started = store.start(job_id, worker)
            if started is None:
                log.info("job %d is finished already; nothing to do", job_id)
                return TaskOutcome(job_id, "finished-already")
            if started.attempts > settings.max_attempts:
                error = f"gave up after {started.attempts - 1} attempts"
                store.settle(job_id, started.attempts, "failed", exit_code=None, error=error)
                return TaskOutcome(job_id, "gave-up", started.attempts)
            log.info("job %d: attempt %d, %d sources", job_id, started.attempts, len(started.sources))
            result = runner.run(
                crawl_argv(job_id, allow_private=allow_private),
                timeout=settings.job_timeout,
                env=env,
                name=str(job_id),
                parent_death_signal=signal.SIGTERM,  # the guard's cue to kill the crawl's tree
            )
            code = result.returncode
            seconds = time.monotonic() - started_at
            if not result.timed_out and code in (ExitCode.OK, ExitCode.PARTIAL):
                return TaskOutcome(job_id, "done", started.attempts, code, seconds)
            if not result.timed_out and code == ExitCode.LOCKED:
                store.settle(job_id, started.attempts, "skipped", exit_code=code, error="its hosts were busy")
                return TaskOutcome(job_id, "skipped", started.attempts, code, seconds)
            error = f"crawl {result.meaning}" + (f" (exit {code})" if code is not None else "")
            retry = not result.timed_out and code != ExitCode.USAGE and started.attempts < settings.max_attempts
            if not retry:
                store.settle(job_id, started.attempts, "failed", exit_code=code, error=error)
                return TaskOutcome(job_id, "failed", started.attempts, code, seconds)
            log.warning("job %d: %s; retrying in %.0f s", job_id, error, settings.retry_delay)
            time.sleep(settings.retry_delay)
