"""Runs one crawl in this process and records the run in the database.

The Scrapy settings come from the config (``monitor.scrapy_settings``); exit codes from
``monitor.errors.ExitCode``.

Scrapy's reactor cannot be restarted, so a process runs at most one crawl; the scheduler (and a
cluster worker) starts a child process per crawl (``python -m monitor run``).
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from monitor.config import AppConfig
from monitor.errors import ExitCode
from monitor.scrapy_settings import scrapy_settings
from monitor.stats import CLOSESPIDER_PAGECOUNT, CLOSESPIDER_TIMEOUT, FINISH_REASON, FINISHED

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from spiders.base import MonitorSpider

log = logging.getLogger(__name__)


@dataclass
class CrawlReport:
    run_id: int
    started_at: datetime
    status: str
    stats: dict[str, Any]
    failed_sources: dict[str, list[str]] = field(default_factory=dict)
    # Sources left out because another crawl holds one of their hosts: the next slot takes them.
    skipped_sources: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.status == "failed":
            return ExitCode.FAILED
        if self.status == "interrupted":
            return ExitCode.INTERRUPTED
        return ExitCode.PARTIAL if self.failed_sources or self.skipped_sources else ExitCode.OK


def run_crawl(
    config: AppConfig,
    spider_cls: type[MonitorSpider],
    spider_kwargs: dict[str, Any],
    *,
    job_id: int | None = None,
    **options: Any,
) -> CrawlReport:
    """``_run_crawl`` under the locks of the hosts it crawls (``monitor.storage.lock.crawl_locks``).

    PostgreSQL: a source whose host another crawl holds is left out (``skipped_sources``); when
    every host is held the run exits at once (AlreadyRunning, exit 4). SQLite: one crawl at a time.
    """
    from monitor.cluster.keys import all_keys, spider_keys
    from monitor.storage.engine import make_engine
    from monitor.storage.lock import crawl_locks

    keys = spider_keys(spider_kwargs)
    # The crawl's one engine: the locks first, then (``_run_crawl``) the database opened on it.
    engine = make_engine(config.database_url)
    try:
        with crawl_locks(engine, all_keys(keys), job_id=job_id) as lease:
            kwargs, skipped = _without_locked_sources(spider_kwargs, keys, lease.refused)
            report = _run_crawl(config, engine, spider_cls, kwargs, lease=lease.token, job_id=job_id, **options)
            report.skipped_sources = skipped
            return report
    finally:
        engine.dispose()


def _without_locked_sources(
    spider_kwargs: dict[str, Any], keys: dict[str | None, set[str]], refused: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The crawl's arguments less the sources with a host another crawl holds, and why each was left out."""
    if not refused or "sources" not in spider_kwargs:
        return spider_kwargs, {}
    kept, skipped = [], {}
    for source in spider_kwargs["sources"]:
        held = sorted(keys.get(source.id, set()) & set(refused))
        if held:
            skipped[source.id] = f"{held[0]} is being crawled by another run ({refused[held[0]]})"
        else:
            kept.append(source)
    if not kept:
        from monitor.errors import AlreadyRunning

        raise AlreadyRunning(f"another crawl is already running; {next(iter(skipped.values()))}")
    return {**spider_kwargs, "sources": kept}, skipped  # reported by the caller (the CLI: one line each)


def _run_crawl(
    config: AppConfig,
    engine: Engine,
    spider_cls: type[MonitorSpider],
    spider_kwargs: dict[str, Any],
    *,
    command: str,
    lease: str | None = None,
    job_id: int | None = None,
    allow_private: bool = False,
    allowed_hosts: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> CrawlReport:
    """Run one spider to completion and record the run with its stats."""
    from monitor.interrupt import InterruptibleProcess
    from monitor.logs import quiet_libraries
    from monitor.matching.watchlist import load_watchlist
    from monitor.storage import open_database
    from spiders.database import attach_database

    # Validate the watchlists before anything is fetched or recorded: a bad rule is a config
    # error (exit 2), not a crawl that dies in its first pipeline stage. Parsing and checking the
    # rules is all the validation there is; the automaton is built by the match stage at its
    # first item, so a crawl that finds nothing new never builds it.
    load_watchlist(config.watchlists_path)
    database = open_database(engine)
    repository = database.repository
    started_at = datetime.now(UTC)
    run_id = repository.start_run(command, spider_cls.covered_sources(**spider_kwargs), lease=lease, job_id=job_id)
    settings = scrapy_settings(config, allow_private=allow_private, allowed_hosts=allowed_hosts, overrides=overrides)
    # The spider records its fetches under this run; only this run promotes their validators.
    settings["MONITOR_RUN_ID"] = run_id
    process = InterruptibleProcess(settings)
    quiet_libraries()
    crawler = process.create_crawler(spider_cls)
    attach_database(crawler, database)  # the spider and the stages share it; closed in run_crawl
    status = "failed"
    stats: dict[str, Any] = {}
    spider = None
    try:
        process.crawl(crawler, **spider_kwargs)
        # A process runs one crawl, and what is alive now (modules, settings, the engine) lives
        # until it exits. Frozen, the collector's full passes during the crawl skip it, and so does
        # the interpreter's last collection at exit, which took ~0.4 s of a 3 s unchanged rerun.
        gc.freeze()
        process.start()
        stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
        spider = crawler.spider
        reason = stats.get(FINISH_REASON, "")
        status = "ok" if reason in (FINISHED, CLOSESPIDER_TIMEOUT, CLOSESPIDER_PAGECOUNT) else "failed"
        if process.interrupted:
            # Ctrl-C (SIGINT) or SIGTERM: asked for, not a failure. Nothing is promoted (the crawl
            # did not finish), so the next run sends no validator that would hide an unread article.
            status = "interrupted"
        if reason == CLOSESPIDER_TIMEOUT:
            log.warning(
                "run %s stopped at its time limit (%ss); the next run continues",
                run_id,
                settings["CLOSESPIDER_TIMEOUT"],
            )
    finally:
        failed = dict(getattr(spider, "failed_sources", {}) or {})
        if status == "ok" and failed:
            status = "partial"
        repository.finish_run(
            run_id,
            status,
            stats,
            incomplete_sources=set(getattr(spider, "sources_with_failed_articles", ()) or ()),
            failed_sources=set(failed),
        )
    return CrawlReport(run_id=run_id, started_at=started_at, status=status, stats=stats, failed_sources=failed)
