"""Prometheus metrics of the dispatcher and the workers, on the ports ``cluster:`` names.

The dispatcher is one process: plain metrics, job counts per state read from the ``jobs`` table
at each tick. A worker's tasks run in its pool processes, so the worker uses prometheus-client's
multiprocess mode: each pool process writes its samples to files in a private directory, which
the worker's main process aggregates when scraped. Without a port nothing is imported or served.
"""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.cluster.dispatcher import TickReport
    from monitor.cluster.task import TaskOutcome

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
STATES = ("queued", "running", "done", "skipped", "failed", "lost")


@dataclass
class DispatcherMetrics:
    jobs: Any
    dispatched: Any
    resent: Any
    lost: Any
    interrupted: Any
    waiting: Any
    leader: Any
    tick_seconds: Any

    def observe(self, report: TickReport, counts: dict[str, int], seconds: float) -> None:
        for state in STATES:
            self.jobs.labels(state).set(counts.get(state, 0))
        self.dispatched.inc(len(report.dispatched))
        self.resent.inc(len(report.resent))
        self.lost.inc(len(report.lost))
        self.interrupted.inc(len(report.interrupted))
        self.waiting.set(report.waiting)
        self.tick_seconds.observe(seconds)


def dispatcher_metrics(port: int | None, host: str = "127.0.0.1") -> DispatcherMetrics | None:
    """Start the dispatcher's metrics server on ``host:port``; None without a port."""
    if port is None:
        return None
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

    registry = CollectorRegistry()
    metrics = DispatcherMetrics(
        jobs=Gauge("monitor_jobs", "jobs per state, from the jobs table", ["state"], registry=registry),
        dispatched=Counter("monitor_jobs_dispatched", "jobs written and sent", registry=registry),
        resent=Counter("monitor_jobs_resent", "queued jobs sent again (lost message)", registry=registry),
        lost=Counter("monitor_jobs_lost", "running jobs whose worker vanished", registry=registry),
        interrupted=Counter("monitor_runs_interrupted", "runs whose process died", registry=registry),
        waiting=Gauge("monitor_due_sources_waiting", "due sources held back (hosts busy, cap)", registry=registry),
        leader=Gauge("monitor_dispatcher_leader", "1 while this dispatcher leads", registry=registry),
        tick_seconds=Histogram("monitor_tick_seconds", "seconds per dispatcher tick", registry=registry),
    )
    start_http_server(port, addr=host, registry=registry)
    return metrics


@dataclass
class WorkerMetrics:
    jobs: Any
    redelivered: Any
    running: Any
    crawl_seconds: Any
    stored: Any
    flagged: Any

    def observe(self, outcome: TaskOutcome, redelivered: bool, stored: int, flagged: int) -> None:
        self.jobs.labels(outcome.outcome).inc()
        if redelivered:
            self.redelivered.inc()
        if outcome.seconds:
            self.crawl_seconds.observe(outcome.seconds)
        self.stored.inc(stored)
        self.flagged.inc(flagged)


def prepare_worker_metrics(port: int | None, host: str = "127.0.0.1") -> None:
    """In the worker's main process, before the pool forks: the multiprocess directory and server."""
    if port is None:
        return
    directory = tempfile.mkdtemp(prefix="monitor-worker-metrics-")
    os.environ[MULTIPROC_ENV] = directory  # read when prometheus_client is first imported
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    start_http_server(port, addr=host, registry=registry)


@functools.cache
def worker_metrics() -> WorkerMetrics | None:
    """The metrics a pool process records into (after ``prepare_worker_metrics``), or None; made once."""
    if not os.environ.get(MULTIPROC_ENV):
        return None
    from prometheus_client import Counter, Gauge, Histogram

    return WorkerMetrics(
        jobs=Counter("monitor_worker_jobs", "jobs carried, by outcome", ["outcome"]),
        redelivered=Counter("monitor_worker_jobs_redelivered", "jobs that came back from the broker"),
        running=Gauge("monitor_worker_jobs_running", "jobs being crawled now", multiprocess_mode="livesum"),
        crawl_seconds=Histogram(
            "monitor_worker_crawl_seconds", "seconds per job", buckets=(1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600)
        ),
        stored=Counter("monitor_worker_items_stored", "articles stored by the worker's crawls"),
        flagged=Counter("monitor_worker_items_flagged", "articles flagged by the worker's crawls"),
    )
