"""The default values of news-monitor's own Scrapy settings, the ``MONITOR_*`` names.

Modelled on Scrapy's ``scrapy/settings/default_settings.py``: every ``MONITOR_*`` setting a
spider, middleware, extension or pipeline stage reads is defined here, once, with its default,
and components read it without a default of their own (``settings.getint("MONITOR_...")``).
A crawl's settings start from ``MONITOR_DEFAULTS`` (``monitor.scrapy_settings``), and so does a
test that builds a component with ``scrapy.utils.test.get_crawler``.

If you add a setting here, remember to:

* add it in alphabetical order, with the exception that enabling flags and other high-level
  settings for a group come first in their group, and pairs (allow/allowed) stay together
* group similar settings without leaving blank lines
* say in its comment what it does and who reads it; where ``monitor.yaml`` sets it, the config
  field takes its default from here (``monitor/config/schema.py``)

This module imports nothing of news-monitor, so the config schema can use it too.
"""

from __future__ import annotations

import os
from typing import Any

# Crawl loopback, private, link-local and other internal addresses (--allow-private,
# allow_private_addresses). Read by spiders.resolver.AddressGate, the check made on the address a
# connection uses, and by spiders.middlewares.safety.PrivateAddressMiddleware, its early refusal.
MONITOR_ALLOW_PRIVATE = False
# "host:port" strings exempt from that check (allowed_private_hosts; the demo's own server).
MONITOR_ALLOWED_HOSTS: tuple[str, ...] = ()

# The database a crawl reads and writes; set from the config for every crawl (spiders.database).
MONITOR_DB_URL: str | None = None

# Extraction processes (pipelines.extract); 0 extracts in the reactor thread, as `monitor extract` does.
MONITOR_EXTRACT_WORKERS = os.cpu_count() or 1

# Worker processes that parse feeds (spiders.feed_pool); 0 parses them in the reactor thread,
# unbounded. Each worker's address space may grow MONITOR_FEED_MEMORY_MB over its idle size, and
# each feed gets MONITOR_FEED_SECONDS of CPU; past either, the feed fails as not_a_feed.
MONITOR_FEED_WORKERS = 1
MONITOR_FEED_MEMORY_MB = 256
MONITOR_FEED_SECONDS = 30.0

# Entries of one feed requested per run at most, newest first (max_entries_per_feed, politeness or
# per source); the rest on later runs. Read by spiders.source_spider.
MONITOR_MAX_ENTRIES_PER_FEED = 200

# Pages of one listing followed at most when the listing sets no max_pages (max_pages_per_listing).
# Read by spiders.source_spider.
MONITOR_MAX_PAGES_PER_LISTING = 5

# Days of stored articles a new one is compared with for syndicated copies; 0 turns the
# near-duplicate stage off (pipelines.near_duplicate). Copies appear within days of the original;
# a month covers late reprints and weekly round-ups while keeping the index (512 bytes an article) small.
MONITOR_NEAR_DUPLICATE_DAYS = 30

# Live status on a terminal, a line a minute in logs (spiders.extensions.progress).
MONITOR_PROGRESS = True

# Seconds before the first retry, doubled per retry, at most MONITOR_RETRY_BACKOFF_MAX (retry_backoff,
# retry_backoff_max); the longest Retry-After waited out on 429/503, beyond which the host is left
# alone until the next run (retry_after_cap). Read by spiders.middlewares.retry.BackoffRetryMiddleware.
MONITOR_RETRY_BACKOFF = 1.0
MONITOR_RETRY_BACKOFF_MAX = 30.0
MONITOR_RETRY_AFTER_CAP = 120.0

# The run a crawl records its fetches under (set by monitor.runner per run; None for probes and tests).
# Read by spiders.base.MonitorSpider.
MONITOR_RUN_ID: int | None = None

# The watchlist file the match stage builds its matcher from (pipelines.match); set from the config.
MONITOR_WATCHLISTS: str | None = None

DEFAULTS: dict[str, Any] = {name: value for name, value in globals().items() if name.startswith("MONITOR_")}
"""Every setting above by name, to start a crawl's (or a test crawler's) settings from."""
