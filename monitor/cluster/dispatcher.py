"""``monitor dispatch``: the cluster's clock. One leader at a time writes jobs and sends their ids.

Leadership is a PostgreSQL session advisory lock (``dispatcher``) on a connection of its own,
with TCP keepalives: when the leader dies, or its machine does, the server ends that session and
a standby, trying the lock every second, takes over. The leader runs APScheduler 3: a tick every
``cluster.tick_seconds`` and, when anything is to be delivered (recipients, subscriptions,
alerts), the digest and its retries as child processes (``monitor digest --send``, which has
its own ``digest`` lock and outbox), so the digest starts from one machine only.

A tick, in this order: runs whose process died are marked interrupted; running jobs whose task
died are marked lost; queued jobs whose message went missing are sent again; due sources whose
keys no outstanding job holds are grouped by key, packed into jobs, committed, and only then
their ids are sent to Celery (a crash in between leaves queued rows that the next ticks resend).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.cluster.due import due_sources, source_triggers
from monitor.cluster.jobs import JobStore
from monitor.cluster.keys import source_keys
from monitor.cluster.packing import groups, pack
from monitor.config import AppConfig
from monitor.errors import DatabaseUnavailable
from monitor.storage import Database
from monitor.storage.engine import first_line
from monitor.storage.lock import APPLICATION_PREFIX, _holder_note, lock_key
from monitor.storage.types import utcnow

log = logging.getLogger(__name__)

LEADER_LOCK = "dispatcher"
# How often a standby tries the leader lock: the takeover delay once the leader's session is gone.
STANDBY_POLL_SECONDS = 1.0


class Publisher(Protocol):
    def __call__(self, job_id: int) -> None: ...


@dataclass
class TickReport:
    dispatched: list[int] = field(default_factory=list)
    resent: list[int] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)
    waiting: int = 0  # due sources held back (keys busy, or the outstanding cap reached)


class Dispatcher:
    """One tick's work over the database; ``publish`` sends a job id to the broker."""

    def __init__(self, config: AppConfig, database: Database, publish: Publisher) -> None:
        self.config = config
        self.settings = config.settings.cluster
        self.database = database
        self.store = JobStore(database.sessions)
        self.publish = publish
        self.triggers = source_triggers(config)
        self.keys = {source.id: source_keys(source) for source in config.sources}

    def tick(self) -> TickReport:
        report = TickReport()
        report.interrupted = self.database.repository.interrupt_dead_runs()
        report.lost = self.store.mark_lost()
        stale = self.store.unstarted(timedelta(seconds=self.settings.requeue_after))
        report.resent = self._send(stale)
        busy = self.store.outstanding_keys()
        due = [
            source_id
            for source_id in due_sources(self.triggers, self.store.last_dispatch(), utcnow())
            if not (self.keys.get(source_id, set()) & busy)
        ]
        room = self.settings.max_outstanding_jobs - self.store.outstanding_count()
        batches = pack(groups(due, self.keys), self.settings.batch_size)[: max(room, 0)]
        report.waiting = len(due) - sum(len(batch.sources) for batch in batches)
        report.dispatched = self._send(self.store.create(batches))
        if report.dispatched or report.resent or report.lost:
            log.info(
                "tick: %d jobs dispatched, %d resent, %d lost, %d due sources waiting",
                len(report.dispatched),
                len(report.resent),
                len(report.lost),
                report.waiting,
            )
        return report

    def _send(self, job_ids: list[int]) -> list[int]:
        sent: list[int] = []
        for job_id in job_ids:
            try:
                self.publish(job_id)
            except Exception as exc:  # noqa: BLE001 - any broker failure: the row stays queued, resent later
                log.warning("job %d: not sent to the broker (%s); resent after requeue_after", job_id, exc)
                continue
            sent.append(job_id)
        self.store.mark_published(sent)
        return sent


@contextmanager
def leadership(engine: Engine, stop: threading.Event, *, wait: bool = True) -> Iterator[Connection | None]:
    """Hold the leader lock for the block: yields its connection, or None if ``stop`` came first.

    A standby tries the lock every ``STANDBY_POLL_SECONDS`` (``wait=False``: once), so that a stop
    signal is noticed while it waits; the lock ends with the connection, however the process ends.
    """
    try:
        connection = engine.connect()
        connection.detach()
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"cannot reach the database for the leader lock: {first_line(exc)}") from exc
    with connection:
        connection.execute(
            text("SELECT set_config('application_name', :note, false)"),
            {"note": f"{APPLICATION_PREFIX} {LEADER_LOCK}: {_holder_note()}"[:63]},
        )
        key = lock_key(connection, LEADER_LOCK)
        connection.commit()
        waited = False
        while True:
            acquired = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar_one()
            connection.commit()
            if acquired:
                if waited:
                    log.info("the leader lock is free: this dispatcher leads now")
                yield connection
                return
            if not wait or stop.is_set():
                yield None
                return
            if not waited:
                log.info("another dispatcher leads; standing by")
                waited = True
            stop.wait(STANDBY_POLL_SECONDS)


def still_leader(connection: Connection) -> bool:
    """The leader's session is alive (a dropped connection means the lock is gone too)."""
    try:
        connection.execute(text("SELECT 1")).scalar_one()
        connection.commit()
    except SQLAlchemyError:
        return False
    return True


def keepalive_args() -> dict[str, Any]:
    """libpq TCP keepalives: a dead leader machine's session (and lock) ends within about a minute."""
    return {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
