"""The ``jobs`` table: written by the dispatcher, started by a worker's task, finished by the crawl.

Every state change is a conditional UPDATE (``WHERE state IN ...``), so a job delivered twice,
a redelivery racing the dispatcher's "lost" verdict, or a crawl finishing after its job was
given up on, each changes the row at most once and never backwards.

Who writes what:

* dispatcher: ``queued`` rows (``create``), ``published_at``, ``lost`` for a 'running' job whose
  task lock is free (the task and its crawl died: ``mark_lost``);
* task (``monitor.cluster.task``): ``running`` + worker + attempts (``start``), ``skipped``,
  ``failed``, or ``queued`` again for a retry;
* crawl (``monitor run --job``): ``done`` / ``failed`` with its run id (``finish``); sources it
  left out because their hosts were busy are detached from the job, so they are due again.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from monitor.cluster.packing import Batch
from monitor.storage.lock import lock_key
from monitor.storage.models import Job, JobSource, Run
from monitor.storage.types import utcnow

log = logging.getLogger(__name__)

OUTSTANDING = ("queued", "running")
FINISHED = ("done", "skipped", "failed", "lost")
# A source counts as dispatched at its job's creation unless the job did not crawl it.
COUNTED = ("queued", "running", "done", "failed")


def task_lock_name(job_id: int) -> str:
    """Held by the worker task that carries a job, for as long as it lives."""
    return f"task:{job_id}"


@dataclass(frozen=True)
class StartedJob:
    id: int
    sources: list[str]
    attempts: int


@dataclass(frozen=True)
class LastJob:
    id: int
    state: str
    worker: str | None
    created_at: datetime


class JobStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    # -- dispatcher ----------------------------------------------------------------------
    def outstanding_keys(self) -> set[str]:
        with self.sessions() as session:
            return {key for keys in session.scalars(select(Job.keys).where(Job.state.in_(OUTSTANDING))) for key in keys}

    def outstanding_count(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Job).where(Job.state.in_(OUTSTANDING))) or 0)

    def counts(self) -> dict[str, int]:
        """Jobs per state."""
        with self.sessions() as session:
            return {state: int(n) for state, n in session.execute(select(Job.state, func.count()).group_by(Job.state))}

    def last_dispatch(self) -> dict[str, datetime]:
        """Source id -> creation time of its last job that took it (skipped and lost ones do not count)."""
        with self.sessions() as session:
            rows = session.execute(
                select(JobSource.source_id, func.max(Job.created_at))
                .join(Job, Job.id == JobSource.job_id)
                .where(Job.state.in_(COUNTED))
                .group_by(JobSource.source_id)
            )
            return {source_id: created for source_id, created in rows if created is not None}

    def create(self, batches: Iterable[Batch]) -> list[int]:
        """One ``queued`` job per batch, in one transaction; their ids (to publish after commit)."""
        ids: list[int] = []
        now = utcnow()
        with self.sessions.begin() as session:
            for batch in batches:
                job = Job(state="queued", sources=list(batch.sources), keys=list(batch.keys), created_at=now)
                session.add(job)
                session.flush()
                session.execute(insert(JobSource), [{"job_id": job.id, "source_id": s} for s in batch.sources])
                ids.append(job.id)
        return ids

    def mark_published(self, job_ids: Collection[int]) -> None:
        if not job_ids:
            return
        with self.sessions.begin() as session:
            session.execute(update(Job).where(Job.id.in_(list(job_ids))).values(published_at=utcnow()))

    def unstarted(self, older_than: timedelta) -> list[int]:
        """Queued jobs published longer ago than ``older_than`` (their message was lost, e.g. Redis restarted)."""
        cutoff = utcnow() - older_than
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(Job.id).where(
                        Job.state == "queued", (Job.published_at.is_(None)) | (Job.published_at < cutoff)
                    )
                )
            )

    def mark_lost(self) -> list[int]:
        """'running' jobs whose task lock is free (the task died, and its crawl with it) become ``lost``."""
        lost: list[int] = []
        with self.sessions.begin() as session:
            connection = session.connection()
            for job_id, attempts in session.execute(select(Job.id, Job.attempts).where(Job.state == "running")):
                key = lock_key(connection, task_lock_name(job_id))
                # Held until this transaction ends: a redelivered task waits for it, then sees 'lost'.
                if connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar_one():
                    changed = session.execute(
                        update(Job)
                        .where(Job.id == job_id, Job.state == "running", Job.attempts == attempts)
                        .values(state="lost", finished_at=utcnow(), error="its worker vanished")
                    )
                    if changed.rowcount:  # type: ignore[attr-defined]  # a CursorResult
                        lost.append(job_id)
        if lost:
            log.warning("jobs %s lost their worker: their sources are due again", ", ".join(map(str, lost)))
        return lost

    # -- task ----------------------------------------------------------------------------
    def start(self, job_id: int, worker: str) -> StartedJob | None:
        """Mark the job running on ``worker`` (one more attempt); None when it is finished already."""
        with self.sessions.begin() as session:
            row = session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state.in_(OUTSTANDING))
                .values(state="running", worker=worker[:255], attempts=Job.attempts + 1, started_at=utcnow())
                .returning(Job.sources, Job.attempts)
            ).first()
            return None if row is None else StartedJob(job_id, list(row[0]), int(row[1]))

    def settle(self, job_id: int, attempts: int, state: str, *, exit_code: int | None, error: str | None) -> bool:
        """Set a running job's outcome, unless a crawl or a later attempt has settled it already."""
        values: dict[str, object] = {"state": state, "exit_code": exit_code, "error": error}
        if state in FINISHED:
            values["finished_at"] = utcnow()
        with self.sessions.begin() as session:
            result = session.execute(
                update(Job).where(Job.id == job_id, Job.state == "running", Job.attempts == attempts).values(**values)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult

    def state(self, job_id: int) -> str | None:
        with self.sessions() as session:
            return session.scalar(select(Job.state).where(Job.id == job_id))

    # -- crawl ---------------------------------------------------------------------------
    def sources(self, job_id: int) -> tuple[str, list[str]] | None:
        """(state, source ids) of a job; None when there is no such job."""
        with self.sessions() as session:
            row = session.execute(select(Job.state, Job.sources).where(Job.id == job_id)).first()
            return None if row is None else (row[0], list(row[1]))

    def finish(
        self,
        job_id: int,
        state: str,
        *,
        run_id: int | None,
        exit_code: int,
        left_out: Collection[str],
        error: str | None,
    ) -> None:
        """The crawl's outcome; ``left_out`` sources (hosts busy elsewhere) are detached, so due again."""
        with self.sessions.begin() as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state.in_(OUTSTANDING))
                .values(state=state, run_id=run_id, exit_code=exit_code, error=error, finished_at=utcnow())
            )
            if left_out:
                session.execute(
                    delete(JobSource).where(JobSource.job_id == job_id, JobSource.source_id.in_(list(left_out)))
                )

    def record_run(self, job_id: int, run_id: int, exit_code: int) -> None:
        """A crawl that failed: its run is noted, the state left to the task (retry or give up)."""
        with self.sessions.begin() as session:
            session.execute(update(Job).where(Job.id == job_id).values(run_id=run_id, exit_code=exit_code))

    def run_counts(self, job_id: int) -> tuple[int, int]:
        """(stored, flagged) of the run that crawled the job, (0, 0) before one did."""
        with self.sessions() as session:
            row = session.execute(
                select(Run.stored, Run.flagged).join(Job, Job.run_id == Run.id).where(Job.id == job_id)
            ).first()
            return (int(row[0]), int(row[1])) if row else (0, 0)

    # -- reading -------------------------------------------------------------------------
    def last_jobs(self) -> dict[str, LastJob]:
        """Source id -> its newest job."""
        with self.sessions() as session:
            newest = (
                select(JobSource.source_id, func.max(JobSource.job_id).label("job_id"))
                .group_by(JobSource.source_id)
                .subquery()
            )
            rows = session.execute(
                select(newest.c.source_id, Job.id, Job.state, Job.worker, Job.created_at).join(
                    Job, Job.id == newest.c.job_id
                )
            )
            return {
                source_id: LastJob(job_id, state, worker, created) for source_id, job_id, state, worker, created in rows
            }
