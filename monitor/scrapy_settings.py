"""The config translated into Scrapy settings: every politeness and safety rule of a crawl.

The ``MONITOR_*`` settings start from their defaults (``monitor.settings_defaults``); this module
sets those the config decides. ``monitor.runner`` runs a crawl with the result, and ``monitor
extract`` fetches with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from monitor.settings_defaults import DEFAULTS

if TYPE_CHECKING:
    from monitor.config import AppConfig

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


def scrapy_settings(
    config: AppConfig,
    *,
    allow_private: bool = False,
    allowed_hosts: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every politeness and safety rule of a crawl, expressed as Scrapy settings."""
    from pipelines import ITEM_PIPELINES
    from spiders.resolver import GATED_HANDLER

    polite = config.settings.politeness
    settings: dict[str, Any] = dict(DEFAULTS)
    settings.update(
        {
            "BOT_NAME": "news-monitor",
            "USER_AGENT": config.settings.user_agent,
            # robots.txt groups are matched on the product token, not on the browser-shaped agent
            # (a "User-agent: Mozilla" group is not ours).
            "ROBOTSTXT_USER_AGENT": "news-monitor",
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
            # Only http(s): a link to file:///etc/passwd or an s3 bucket is never followed. And only
            # through Scrapy's HTTP/1.1 handler, whose connections take their addresses from
            # TWISTED_DNS_RESOLVER (spiders.resolver): the address check is made on the address
            # actually connected to. A proxy would resolve names itself, so none is used, not even
            # one from the environment (HTTP_PROXY, HTTPS_PROXY).
            "DOWNLOAD_HANDLERS": {
                "file": None,
                "data": None,
                "ftp": None,
                "s3": None,
                "http": GATED_HANDLER,
                "https": GATED_HANDLER,
            },
            "TWISTED_DNS_RESOLVER": "spiders.resolver.GatedResolver",
            "HTTPPROXY_ENABLED": False,
            "DOWNLOADER_MIDDLEWARES_BASE": _without_unused("DOWNLOADER_MIDDLEWARES_BASE"),
            "DOWNLOADER_MIDDLEWARES": {
                "spiders.middlewares.safety.PrivateAddressMiddleware": 60,
                # A source's own user_agent, before Scrapy's UserAgentMiddleware (500) fills in the crawl's.
                "spiders.middlewares.user_agent.SourceUserAgentMiddleware": 450,
                # Ours replace Scrapy's at the same place in the chain.
                "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                "spiders.middlewares.robots.StrictRobotsTxtMiddleware": 100,
                "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
                "spiders.middlewares.retry.BackoffRetryMiddleware": 550,
                "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
                "spiders.middlewares.redirect.CheckedMetaRefreshMiddleware": 580,
                "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
                "spiders.middlewares.redirect.CheckedRedirectMiddleware": 600,
            },
            "ITEM_PIPELINES": dict(ITEM_PIPELINES),
            # A dropped item is logged as its reason alone, at the level its DropItem names
            # (INFO for the expected ones), never followed by the whole item.
            "LOG_FORMATTER": "spiders.logformatter.MonitorLogFormatter",
            "LOG_LEVEL": "INFO",
            "LOG_ENABLED": False,
            "LOG_INSTALL_ROOT_HANDLER": False,
            "MONITOR_DB_URL": config.database_url,
            "MONITOR_WATCHLISTS": str(config.watchlists_path),
            "MONITOR_ALLOW_PRIVATE": allow_private or config.settings.allow_private_addresses,
            "MONITOR_ALLOWED_HOSTS": [*config.settings.allowed_private_hosts, *(allowed_hosts or [])],
            "MONITOR_MAX_PAGES_PER_LISTING": polite.max_pages_per_listing,
            "MONITOR_MAX_ENTRIES_PER_FEED": polite.max_entries_per_feed,
        }
    )
    settings.update(overrides or {})
    return settings
