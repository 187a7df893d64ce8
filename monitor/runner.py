"""Runs one crawl in this process and records the run in the database; or, for a dry run
(``preview_crawl``), runs it over a read-only view of the database and records nothing.

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
from typing import TYPE_CHECKING, Any, cast

from monitor.config import AppConfig
from monitor.errors import ExitCode
from monitor.scrapy_settings import scrapy_settings
from monitor.stats import CLOSESPIDER_PAGECOUNT, CLOSESPIDER_TIMEOUT, FINISH_REASON, FINISHED

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlalchemy import Engine

    from monitor.storage import Database
    from pipelines.preview_sink import PreviewRecord
    from spiders.base import MonitorSpider
    from spiders.discovery import Discovered

log = logging.getLogger(__name__)


@dataclass
class CrawlReport:
    run_id: int  # 0 for a dry run, which records no run (the ids of runs start at 1)
    started_at: datetime
    status: str
    stats: dict[str, Any]
    failed_sources: dict[str, list[str]] = field(default_factory=dict)
    # Sources left out because another crawl holds one of their hosts: the next slot takes them.
    skipped_sources: dict[str, str] = field(default_factory=dict)
    # A dry run's items, as the store stage would have stored them (``pipelines.preview_sink``).
    previewed: list[PreviewRecord] = field(default_factory=list)
    # What the ad-hoc spider found of the site (its feeds, sitemaps, listings), for the suggested entry.
    discovered: Discovered | None = None
    dry_run: bool = False

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
    dry_run: bool = False,
    **options: Any,
) -> CrawlReport:
    """``_run_crawl`` under the locks of the hosts it crawls (``monitor.storage.lock.crawl_locks``).

    PostgreSQL: a source whose host another crawl holds is left out (``skipped_sources``); when
    every host is held the run exits at once (AlreadyRunning, exit 4). SQLite: one crawl at a time.
    A dry run (``preview_crawl``) takes no lock and writes nothing.
    """
    if dry_run:
        options.pop("command", None)
        return preview_crawl(config, spider_cls, spider_kwargs, **options)
    from monitor.cluster.keys import all_keys, release_suffix_list, spider_keys
    from monitor.storage.engine import make_engine
    from monitor.storage.lock import crawl_locks

    keys = spider_keys(spider_kwargs)
    release_suffix_list()
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
    from monitor.matching.watchlist import load_watchlist
    from monitor.storage import open_database

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
    outcome = _Outcome()
    try:
        _crawl(database, spider_cls, spider_kwargs, settings, outcome, f"run {run_id}")
    finally:
        failed = outcome.failed_sources
        repository.finish_run(
            run_id,
            outcome.status,
            outcome.stats,
            incomplete_sources=set(getattr(outcome.spider, "sources_with_failed_articles", ()) or ()),
            failed_sources=set(failed),
        )
    return CrawlReport(
        run_id=run_id,
        started_at=started_at,
        status=outcome.status,
        stats=outcome.stats,
        failed_sources=outcome.failed_sources,
        discovered=getattr(outcome.spider, "discovered", None),
    )


def preview_crawl(
    config: AppConfig,
    spider_cls: type[MonitorSpider],
    spider_kwargs: dict[str, Any],
    *,
    allow_private: bool = False,
    allowed_hosts: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> CrawlReport:
    """A dry run: the crawl a run would make, writing nothing (``monitor.preview.database``).

    No lock is taken and no run recorded: a dry run can change nothing another crawl relies on.
    The store stage is swapped for the preview sink (``pipelines.dry_run_pipelines``); what it kept
    is the report's ``previewed``.
    """
    from monitor.matching.watchlist import load_watchlist
    from monitor.preview.database import open_preview_database
    from pipelines import dry_run_pipelines
    from pipelines.preview_sink import previewed

    load_watchlist(config.watchlists_path)
    database = open_preview_database(config.database_url)
    started_at = datetime.now(UTC)
    settings = scrapy_settings(config, allow_private=allow_private, allowed_hosts=allowed_hosts, overrides=overrides)
    settings["ITEM_PIPELINES"] = dry_run_pipelines(settings["ITEM_PIPELINES"])
    outcome = _Outcome()
    try:
        _crawl(database, spider_cls, spider_kwargs, settings, outcome, "the dry run")
    finally:
        database.close()
    return CrawlReport(
        run_id=0,
        dry_run=True,
        started_at=started_at,
        status=outcome.status,
        stats=outcome.stats,
        failed_sources=outcome.failed_sources,
        previewed=previewed(outcome.crawler) if outcome.crawler is not None else [],
        discovered=getattr(outcome.spider, "discovered", None),
    )


@dataclass
class _Outcome:
    """What a crawl came to, filled in as it goes, so that a caller's ``finally`` records what there is."""

    status: str = "failed"
    stats: dict[str, Any] = field(default_factory=dict)
    spider: MonitorSpider | None = None
    crawler: Crawler | None = None

    @property
    def failed_sources(self) -> dict[str, list[str]]:
        return dict(getattr(self.spider, "failed_sources", {}) or {})


def _crawl(
    database: Database,
    spider_cls: type[MonitorSpider],
    spider_kwargs: dict[str, Any],
    settings: dict[str, Any],
    outcome: _Outcome,
    what: str,
) -> None:
    """Run the spider over ``database`` with ``settings`` to its end; ``outcome`` says how it ended."""
    from monitor.interrupt import InterruptibleProcess
    from monitor.logs import quiet_libraries
    from spiders.database import attach_database

    process = InterruptibleProcess(settings)
    quiet_libraries()
    crawler = process.create_crawler(spider_cls)
    outcome.crawler = crawler
    attach_database(crawler, database)  # the spider and the stages share it; closed by the caller
    process.crawl(crawler, **spider_kwargs)
    # A process runs one crawl, and what is alive now (modules, settings, the engine) lives
    # until it exits. Frozen, the collector's full passes during the crawl skip it, and so does
    # the interpreter's last collection at exit, which took ~0.4 s of a 3 s unchanged rerun.
    gc.freeze()
    try:
        process.start()
    finally:
        outcome.spider = cast("MonitorSpider | None", crawler.spider)
    outcome.stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    reason = outcome.stats.get(FINISH_REASON, "")
    outcome.status = "ok" if reason in (FINISHED, CLOSESPIDER_TIMEOUT, CLOSESPIDER_PAGECOUNT) else "failed"
    if process.interrupted:
        # Ctrl-C (SIGINT) or SIGTERM: asked for, not a failure. Nothing is promoted (the crawl
        # did not finish), so the next run sends no validator that would hide an unread article.
        outcome.status = "interrupted"
    if reason == CLOSESPIDER_TIMEOUT:
        log.warning("%s stopped at its time limit (%ss); the next run continues", what, settings["CLOSESPIDER_TIMEOUT"])
    if outcome.status == "ok" and outcome.failed_sources:
        outcome.status = "partial"
