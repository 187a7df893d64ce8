"""The scheduler daemon: APScheduler 3 running JobSpecs until SIGTERM or SIGINT.

Every job has ``max_instances=1`` (a crawl that overruns its next slot is not started twice),
``coalesce=True`` (slots missed while the machine slept run once, not once each) and a misfire
grace time (a slot missed by more than that is skipped; the next one comes). A stop signal lets
the running jobs finish and starts no new one; a second signal stops the running children too.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger

from monitor.scheduler.child import ChildRunner
from monitor.scheduler.jobs import JobSpec, merged_environment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskSpec:
    """A function run in the daemon itself on a trigger (the cluster dispatcher's tick), not a child."""

    id: str
    trigger: BaseTrigger
    function: Callable[[], object]
    run_now: bool = True


def job_defaults(misfire_grace_seconds: int) -> dict[str, Any]:
    return {"coalesce": True, "max_instances": 1, "misfire_grace_time": misfire_grace_seconds}


class Daemon:
    """Owns the scheduler, the child runner and the stop event; ``serve`` is the blocking entry point."""

    def __init__(
        self,
        jobs: Iterable[JobSpec],
        *,
        misfire_grace_seconds: int,
        runner: ChildRunner | None = None,
        tasks: Iterable[TaskSpec] = (),
        timezone: str = "UTC",
    ) -> None:
        """``timezone``: monitor.yaml's top-level one, the zone of any trigger that names none."""
        self.jobs = list(jobs)
        self.tasks = list(tasks)
        self.runner = runner or ChildRunner()
        self.stop_requested = threading.Event()
        self._signals = 0
        self.scheduler = BackgroundScheduler(
            timezone=ZoneInfo(timezone),
            job_defaults=job_defaults(misfire_grace_seconds),
            # One thread per job: a long crawl never delays the digest, and max_instances=1 keeps each
            # job to one run at a time.
            executors={"default": ThreadPoolExecutor(max_workers=max(1, len(self.jobs) + len(self.tasks)))},
        )
        self.scheduler.add_listener(self._after_run, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        self.scheduler.add_listener(self._missed, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)

    def _execute(self, spec: JobSpec) -> str:
        if self.stop_requested.is_set():
            return "not started: stopping"
        result = self.runner.run(spec.argv, timeout=spec.timeout, env=merged_environment(spec.env), name=spec.id)
        level = logging.INFO if result.returncode in (0, 4) and not result.timed_out else logging.WARNING
        log.log(level, "job %s finished in %.1f s: %s", spec.id, result.seconds, result.meaning)
        return result.meaning

    def add_jobs(self, *, run_now: bool = False) -> None:
        now = datetime.now(UTC)
        for spec in self.jobs:
            kwargs: dict[str, Any] = {"next_run_time": now} if run_now else {}
            self.scheduler.add_job(self._execute, spec.trigger, args=[spec], id=spec.id, name=spec.id, **kwargs)
        for task in self.tasks:
            first: dict[str, Any] = {"next_run_time": now} if task.run_now else {}
            self.scheduler.add_job(self._call, task.trigger, args=[task], id=task.id, name=task.id, **first)

    def _call(self, task: TaskSpec) -> object:
        if self.stop_requested.is_set():
            return "not started: stopping"
        return task.function()

    def log_next_runs(self) -> None:
        for job in self.scheduler.get_jobs():
            self._log_next(job.id)

    def _log_next(self, job_id: str) -> None:
        job = self.scheduler.get_job(job_id)
        when = job.next_run_time.isoformat() if job is not None and job.next_run_time else "never"
        log.info("job %s: next run %s", job_id, when)

    def _after_run(self, event: JobExecutionEvent) -> None:
        if event.exception is not None:
            log.error("job %s raised %s: %s", event.job_id, type(event.exception).__name__, event.exception)
        # An in-process task (a tick every few seconds) would fill the log with its next runs.
        if not self.stop_requested.is_set() and all(task.id != event.job_id for task in self.tasks):
            self._log_next(event.job_id)

    def _missed(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("job %s is still running; this run is skipped", event.job_id)
        else:
            log.warning("job %s missed its time by more than the grace time; skipped", event.job_id)

    def request_stop(self, signum: int = signal.SIGTERM, _frame: FrameType | None = None) -> None:
        self._signals += 1
        if self._signals == 1:
            log.info("%s received: stopping after the running jobs finish", signal.Signals(signum).name)
            self.stop_requested.set()
        else:
            log.warning("second stop signal: terminating the running jobs")
            self.runner.terminate_all()

    def serve(
        self, *, run_now: bool = False, install_signals: bool = True, on_started: Callable[[], None] | None = None
    ) -> int:
        """Run until a stop signal; return 0 once every running job has finished."""
        if install_signals:
            signal.signal(signal.SIGTERM, self.request_stop)
            signal.signal(signal.SIGINT, self.request_stop)
        self.add_jobs(run_now=run_now)
        # Started paused so that each job's next run is logged before any job (a run-now job
        # included) can start and log over it.
        self.scheduler.start(paused=True)
        log.info("scheduler started with %d jobs", len(self.jobs) + len(self.tasks))
        self.log_next_runs()
        self.scheduler.resume()
        if on_started is not None:
            on_started()
        while not self.stop_requested.wait(timeout=1.0):
            pass
        self.scheduler.shutdown(wait=True)
        log.info("scheduler stopped")
        return 0
