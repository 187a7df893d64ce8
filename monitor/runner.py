"""Runs one crawl in this process: Scrapy settings from the config, the run recorded in the database.

Scrapy's reactor cannot be restarted, so a process runs at most one crawl; the scheduler starts
a child process per crawl (``python -m monitor run``).
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from monitor.config import AppConfig

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_SOURCES_FAILED = 3

# Scrapy components a crawl never uses. Scrapy imports every key of EXTENSIONS and
# DOWNLOADER_MIDDLEWARES to resolve it, even a key set to None, so these are taken out of the
# ``*_BASE`` dicts instead: a crawl process then never imports aiohttp (the remote control,
# ~0.1 s), twisted.conch (telnet) or tldextract (cookies). Cookies are off (COOKIES_ENABLED).
UNUSED_COMPONENTS = {
    "EXTENSIONS_BASE": ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl"),
    "DOWNLOADER_MIDDLEWARES_BASE": ("scrapy.downloadermiddlewares.cookies.CookiesMiddleware",),
}


def _without_unused(name: str) -> dict[str, int]:
    from scrapy.settings import default_settings

    base: dict[str, int] = getattr(default_settings, name)
    return {path: order for path, order in base.items() if path not in UNUSED_COMPONENTS[name]}


@dataclass
class CrawlReport:
    run_id: int
    started_at: datetime
    status: str
    stats: dict[str, Any]
    failed_sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.status == "failed":
            return EXIT_FAILED
        return EXIT_SOURCES_FAILED if self.failed_sources else EXIT_OK


def scrapy_settings(
    config: AppConfig,
    *,
    allow_private: bool = False,
    allowed_hosts: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every politeness and safety rule of a crawl, expressed as Scrapy settings."""
    from pipelines import ITEM_PIPELINES

    polite = config.settings.politeness
    settings: dict[str, Any] = {
        "BOT_NAME": "news-monitor",
        "USER_AGENT": config.settings.user_agent,
        "ROBOTSTXT_OBEY": polite.obey_robots_txt,
        "DOWNLOAD_DELAY": polite.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # ±50%: requests do not arrive in lockstep
        "CONCURRENT_REQUESTS": polite.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrent_requests_per_domain,
        "AUTOTHROTTLE_ENABLED": polite.autothrottle,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": polite.autothrottle_target_concurrency,
        "AUTOTHROTTLE_START_DELAY": max(polite.download_delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(polite.download_delay * 10, 30.0),
        "DOWNLOAD_TIMEOUT": polite.download_timeout,
        # Checked on the announced Content-Length, on the bytes streamed, and again on the
        # decompressed body (HttpCompressionMiddleware), so a gzip bomb stops at the limit.
        "DOWNLOAD_MAXSIZE": polite.download_maxsize,
        "DOWNLOAD_WARNSIZE": polite.download_warnsize,
        "DOWNLOAD_VERIFY_CERTIFICATES": True,  # Scrapy's default is not to verify
        "RETRY_ENABLED": True,
        "RETRY_TIMES": polite.retry_times,
        "MONITOR_RETRY_BACKOFF": polite.retry_backoff,
        "MONITOR_RETRY_BACKOFF_MAX": polite.retry_backoff_max,
        "MONITOR_RETRY_AFTER_CAP": polite.retry_after_cap,
        "REDIRECT_MAX_TIMES": polite.max_redirects,
        "CLOSESPIDER_TIMEOUT": polite.crawl_timeout,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "EXTENSIONS_BASE": _without_unused("EXTENSIONS_BASE"),
        "EXTENSIONS": {"spiders.extensions.progress.CrawlProgress": 500},
        # Live status on a terminal, a line a minute in logs; off when output is captured by tests.
        "MONITOR_PROGRESS": True,
        # Only http(s): a link to file:///etc/passwd or an s3 bucket is never followed.
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "ftp": None, "s3": None},
        "DOWNLOADER_MIDDLEWARES_BASE": _without_unused("DOWNLOADER_MIDDLEWARES_BASE"),
        "DOWNLOADER_MIDDLEWARES": {
            "spiders.middlewares.safety.PrivateAddressMiddleware": 60,
            # Ours replace Scrapy's at the same place in the chain.
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "spiders.middlewares.robots.StrictRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "spiders.middlewares.retry.BackoffRetryMiddleware": 550,
        },
        "ITEM_PIPELINES": dict(ITEM_PIPELINES),
        "LOG_LEVEL": "INFO",
        "LOG_ENABLED": False,
        "LOG_INSTALL_ROOT_HANDLER": False,
        "MONITOR_DB_URL": config.database_url,
        "MONITOR_WATCHLISTS": str(config.watchlists_path),
        "MONITOR_ALLOW_PRIVATE": allow_private or config.settings.allow_private_addresses,
        "MONITOR_ALLOWED_HOSTS": [*config.settings.allowed_private_hosts, *(allowed_hosts or [])],
        "MONITOR_MAX_PAGES_PER_LISTING": polite.max_pages_per_listing,
    }
    settings.update(overrides or {})
    return settings


def run_crawl(config: AppConfig, spider_cls: type, spider_kwargs: dict[str, Any], **options: Any) -> CrawlReport:
    """``_run_crawl`` under the database's crawl lock: a second run exits at once (AlreadyRunning, exit 4)."""
    from monitor.storage.lock import run_lock

    with run_lock(config.database_url, "crawl"):
        return _run_crawl(config, spider_cls, spider_kwargs, **options)


def _run_crawl(
    config: AppConfig,
    spider_cls: type,
    spider_kwargs: dict[str, Any],
    *,
    command: str,
    allow_private: bool = False,
    allowed_hosts: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> CrawlReport:
    """Run one spider to completion and record the run with its stats."""
    from scrapy.crawler import CrawlerProcess

    from monitor.logs import quiet_libraries
    from monitor.matching.watchlist import load_watchlist
    from monitor.storage import repository_for

    # Validate the watchlists before anything is fetched or recorded: a bad rule is a config
    # error (exit 2), not a crawl that dies in its first pipeline stage. Parsing and checking the
    # rules is all the validation there is; the automaton is built by the match stage at its
    # first item, so a crawl that finds nothing new never builds it.
    load_watchlist(config.watchlists_path)
    repository = repository_for(config.database_url)
    started_at = datetime.now(UTC)
    run_id = repository.start_run(command, spider_cls.covered_sources(**spider_kwargs))
    settings = scrapy_settings(config, allow_private=allow_private, allowed_hosts=allowed_hosts, overrides=overrides)
    # The spider records its fetches under this run; only this run promotes their validators.
    settings["MONITOR_RUN_ID"] = run_id
    process = CrawlerProcess(settings)
    quiet_libraries()
    crawler = process.create_crawler(spider_cls)
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
        reason = stats.get("finish_reason", "")
        status = "ok" if reason in ("finished", "closespider_timeout", "closespider_pagecount") else "failed"
        if reason == "closespider_timeout":
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
