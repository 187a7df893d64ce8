"""The dispatcher process: stand by for the leader lock, then tick (and send the digest) until stopped.

A leader that finds its lock session gone (the database restarted, the network dropped) stops
with exit 1 instead of ticking on without the lock; its supervisor starts it again as a standby.
"""

from __future__ import annotations

import logging
import signal
import time

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.pool import NullPool

from monitor.cluster.celery_app import make_app, publisher
from monitor.cluster.dispatcher import Dispatcher, Publisher, TickReport, keepalive_args, leadership, still_leader
from monitor.cluster.jobs import JobStore
from monitor.cluster.metrics import dispatcher_metrics
from monitor.config import AppConfig
from monitor.errors import ExitCode, UsageError

log = logging.getLogger(__name__)


def serve_dispatcher(
    config: AppConfig, *, allow_private: bool, publish: Publisher | None = None, metrics_port: int | None = None
) -> int:
    from monitor.scheduler.daemon import Daemon, TaskSpec
    from monitor.scheduler.jobs import build_jobs
    from monitor.storage import open_database
    from monitor.storage.engine import make_engine

    if not config.database_url.startswith("postgresql"):
        raise UsageError("monitor dispatch needs PostgreSQL: set --db / MONITOR_DB_URL to the cluster's database")
    settings = config.settings.cluster
    if publish is None:
        publish = publisher(make_app(settings), settings)  # type: ignore[assignment]
    assert publish is not None
    database = open_database(config.database_url)
    leader_engine = make_engine(
        config.database_url, poolclass=NullPool, connect_args={"connect_timeout": 10, **keepalive_args()}
    )
    dispatcher = Dispatcher(config, database, publish)
    store = JobStore(database.sessions)
    metrics = dispatcher_metrics(metrics_port or settings.metrics_port, settings.metrics_host)
    lost_lock = False
    digests = [spec for spec in build_jobs(config, allow_private=allow_private) if spec.id.startswith("digest")]
    holder: dict[str, object] = {}

    def tick() -> None:
        nonlocal lost_lock
        connection = holder.get("connection")
        if connection is None or not still_leader(connection):  # type: ignore[arg-type]
            log.error("the leader lock's session is gone: stopping (a standby takes over)")
            lost_lock = True
            daemon.stop_requested.set()
            return
        started = time.monotonic()
        report = dispatcher.tick()
        if metrics is not None:
            metrics.observe(report, store.counts(), time.monotonic() - started)

    daemon = Daemon(
        digests,
        misfire_grace_seconds=config.settings.scheduler.misfire_grace_seconds,
        tasks=[TaskSpec("dispatch", IntervalTrigger(seconds=settings.tick_seconds), tick)],
        timezone=config.settings.timezone,
    )
    if not dispatcher.triggers:
        log.warning("no crawl schedule covers an enabled source: nothing will be dispatched")
    signal.signal(signal.SIGTERM, daemon.request_stop)
    signal.signal(signal.SIGINT, daemon.request_stop)
    try:
        with leadership(leader_engine, daemon.stop_requested) as connection:
            if connection is None:
                return ExitCode.OK
            holder["connection"] = connection
            if metrics is not None:
                metrics.leader.set(1)
                metrics.observe(TickReport(), store.counts(), 0.0)
            log.info("leading: ticking every %.0f s, %d digest jobs", settings.tick_seconds, len(digests))
            daemon.serve(install_signals=False)
    finally:
        database.close()
        leader_engine.dispose()
    return ExitCode.FAILED if lost_lock else ExitCode.OK
