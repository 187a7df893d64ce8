"""``monitor run --job ID``: crawl a job's sources under its locks and record how it went.

The job row says what to crawl (the message carried only its id). A job that is finished
already is not crawled again (a late duplicate delivery); one whose lock another crawl holds
exits 4 at once (``crawl_locks``); sources the config no longer has, or whose hosts another crawl
holds, are left out and detached from the job, so the dispatcher offers them again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from monitor.cluster.jobs import FINISHED, JobStore
from monitor.config import AppConfig
from monitor.errors import UsageError

if TYPE_CHECKING:
    from monitor.runner import CrawlReport

log = logging.getLogger(__name__)


@dataclass
class JobCrawl:
    job_id: int
    state: str
    report: CrawlReport | None = None  # when it crawled
    missing: list[str] = field(default_factory=list)
    crawled: int = 0  # sources crawled


def crawl_job(config: AppConfig, job_id: int, *, allow_private: bool = False) -> JobCrawl:
    from monitor.runner import run_crawl
    from monitor.storage import repository_for
    from spiders.source_spider import SourceSpider

    if not config.database_url.startswith("postgresql"):
        raise UsageError("--job needs the cluster's PostgreSQL database (jobs come from `monitor dispatch`)")
    repository = repository_for(config.database_url)
    store = JobStore(repository.sessions)
    found = store.sources(job_id)
    if found is None:
        raise UsageError(f"--job {job_id}: no such job")
    state, source_ids = found
    if state in FINISHED:
        log.info("job %d is %s already: nothing to crawl", job_id, state)
        return JobCrawl(job_id, state)
    known = {source.id: source for source in config.sources}
    missing = [source_id for source_id in source_ids if source_id not in known]
    for source_id in missing:
        log.warning("job %d: source %s is not in the config any more; left out", job_id, source_id)
    selected = [known[source_id] for source_id in source_ids if source_id in known]
    if not selected:
        store.finish(job_id, "done", run_id=None, exit_code=0, left_out=missing, error="no known sources")
        return JobCrawl(job_id, "done", missing=missing)
    # One extraction process, not one a core: a worker machine runs several crawls at once, and
    # each extra process holds its own copy of trafilatura's heap and the language model.
    report = run_crawl(
        config,
        SourceSpider,
        {"sources": selected},
        command="run",
        job_id=job_id,
        allow_private=allow_private,
        overrides={"MONITOR_EXTRACT_WORKERS": config.settings.cluster.extract_workers},
    )
    left_out = [*missing, *report.skipped_sources]
    if report.status == "failed":
        # The task decides: retry, or give up. Only the run is recorded here.
        store.record_run(job_id, report.run_id, report.exit_code)
        return JobCrawl(job_id, "running", report, missing, len(selected) - len(report.skipped_sources))
    note = "; ".join(f"{source_id} skipped: {why}" for source_id, why in report.skipped_sources.items()) or None
    store.finish(job_id, "done", run_id=report.run_id, exit_code=report.exit_code, left_out=left_out, error=note)
    return JobCrawl(job_id, "done", report, missing, len(selected) - len(report.skipped_sources))
