"""``monitor worker``: a Celery prefork worker whose one task carries crawl jobs (``task.run_job``).

Each pool process takes one job at a time (prefetch 1, late ack); ``-c N`` pool processes run N
crawls side by side. The config directory and database URL go to the pool processes and the
crawl children through the environment, never on a command line.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import TYPE_CHECKING

from monitor.cluster.celery_app import TASK_NAME, make_app
from monitor.cluster.task import ALLOW_PRIVATE_ENV
from monitor.config import AppConfig
from monitor.errors import UsageError

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger(__name__)


def build_app(config: AppConfig) -> Celery:
    """The Celery app with the crawl task registered; pool processes drop inherited connections."""
    from celery.signals import worker_process_init

    app = make_app(config.settings.cluster)

    @app.task(name=TASK_NAME, bind=True)  # type: ignore[untyped-decorator]  # Celery is untyped
    def crawl_job(self: object, job_id: int) -> str:
        from monitor.cluster.jobs import JobStore
        from monitor.cluster.metrics import worker_metrics
        from monitor.cluster.task import run_job
        from monitor.storage import repository_for

        request = self.request  # type: ignore[attr-defined]
        worker = str(request.hostname or socket.gethostname())
        redelivered = bool((request.delivery_info or {}).get("redelivered"))
        metrics = worker_metrics()
        if metrics is not None:
            metrics.running.inc()
        try:
            outcome = run_job(int(job_id), worker, config=config)
        finally:
            if metrics is not None:
                metrics.running.dec()
        if metrics is not None:
            stored, flagged = JobStore(repository_for(config.database_url).sessions).run_counts(outcome.job_id)
            metrics.observe(outcome, redelivered, stored, flagged)
        return outcome.outcome

    def _fresh_connections(**_: object) -> None:
        from monitor.storage import dispose_all

        dispose_all()  # a forked pool process must not share the parent's database sockets

    worker_process_init.connect(_fresh_connections, weak=False)
    return app


def serve_worker(
    config: AppConfig,
    *,
    concurrency: int,
    name: str | None,
    allow_private: bool,
    loglevel: str = "INFO",
    metrics_port: int | None = None,
) -> int:
    """Run the worker until SIGTERM (warm shutdown: running crawls finish) or a second signal."""
    from monitor.cluster.metrics import prepare_worker_metrics
    from monitor.scheduler.jobs import child_environment

    if not config.database_url.startswith("postgresql"):
        raise UsageError("monitor worker needs PostgreSQL: set --db / MONITOR_DB_URL to the cluster's database")
    os.environ.update(child_environment(config))
    if allow_private:
        os.environ[ALLOW_PRIVATE_ENV] = "1"
    settings = config.settings.cluster
    prepare_worker_metrics(metrics_port or settings.worker_metrics_port, settings.metrics_host)
    app = build_app(config)
    argv = [
        "worker",
        "--queues",
        settings.queue,
        "--concurrency",
        str(concurrency),
        "--pool",
        "prefork",
        "--loglevel",
        loglevel,
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        name or f"crawl@{socket.gethostname()}",
    ]
    app.worker_main(argv=argv)
    return 0
