"""The Celery application of the cluster: Redis as transport only, results in PostgreSQL.

Settings as measured in ``docs/scaling.md``: a job is acknowledged only after its crawl returned
(``acks_late``) and requeued when its pool process dies (``reject_on_worker_lost``); each pool
process reserves one job at a time (prefetch 1), so none waits behind a long crawl; Redis gives
an unacknowledged job to another worker only after ``visibility_timeout``, which exceeds the
longest a crawl may take, and kombu looks for such jobs every ``restore_interval`` seconds.
Messages are JSON and carry only the job id.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from monitor.config.schema import ClusterSettings
from monitor.errors import ConfigError

if TYPE_CHECKING:
    from celery import Celery

TASK_NAME = "monitor.crawl_job"


def broker_url(settings: ClusterSettings) -> str:
    """The broker URL from the environment variable that ``cluster.broker_url_env`` names."""
    url = os.environ.get(settings.broker_url_env, "").strip()
    if not url:
        raise ConfigError(
            "monitor.yaml",
            "cluster.broker_url_env",
            f"set {settings.broker_url_env} to the broker URL, e.g. redis://127.0.0.1:6379/0",
        )
    return url


def celery_config(settings: ClusterSettings) -> dict[str, object]:
    return {
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "broker_connection_retry_on_startup": True,
        "task_default_queue": settings.queue,
        # A backstop only: the task's own timeout (SIGTERM, then SIGKILL) always fires first.
        "task_time_limit": settings.max_attempts * (settings.job_timeout + settings.term_grace + settings.retry_delay)
        + 120,
        "broker_transport_options": {
            "visibility_timeout": settings.visibility_seconds,
            "unacked_restore_interval": settings.restore_interval,
            "unacked_restore_throttle": 1,
        },
        # news-monitor's own logging (monitor.logs) writes to whatever sys.stderr is: left to
        # Celery, a pool process's stderr becomes a logger that feeds back into it, and every
        # record of the task is lost.
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
    }


def make_app(settings: ClusterSettings) -> Celery:
    from celery import Celery

    app = Celery("monitor", broker=broker_url(settings), set_as_current=False)
    app.conf.update(celery_config(settings))
    return app


def publisher(app: Celery, settings: ClusterSettings) -> object:
    """A function sending one job id to the crawl queue (the task's code is not needed to send)."""

    def publish(job_id: int) -> None:
        app.send_task(TASK_NAME, args=[job_id], queue=settings.queue)

    return publish
