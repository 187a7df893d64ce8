"""Names of the crawl stats that more than one module writes or reads.

Scrapy's stats collector keys them by slash names, as Scrapy's own (``downloader/request_count``).
A spider or pipeline stage writes each; the run's record (``Repository.finish_run``), the CLI's
summary lines, ``monitor demo`` and the progress display read them, so a renamed stat stays
renamed everywhere. Stats only one module touches (``retry/host_paused``, ``topics/<id>``) stay
literals there.
"""

from __future__ import annotations

# Written by spiders.base.MonitorSpider.
PAGES_FETCHED = "pages/fetched"  # article pages downloaded (200) and handed to the pipeline
PAGES_NOT_MODIFIED = "pages/not_modified"  # conditional requests answered 304
ENDPOINTS_FAILED = "endpoints/failed"  # feeds, sitemaps and listings that failed (by class: + "/<class>")
ARTICLES_SKIPPED_STORED = "articles/skipped_stored"  # links not fetched because already stored

# Written by the pipeline stages.
ITEMS_EXTRACTED = "items/extracted"  # pipelines.extract: text extracted
ITEMS_FLAGGED = "items/flagged"  # pipelines.match: a topic rule fired
ITEMS_STORED = "items/stored"  # pipelines.store: inserted or revised
ITEMS_PREVIEWED = "items/previewed"  # pipelines.preview_sink: a dry run's "would be stored"

# Written by Scrapy when the spider closes (``scrapy.core.engine``), and its usual values.
FINISH_REASON = "finish_reason"
FINISHED = "finished"  # the spider ran out of requests: the crawl is complete
CLOSESPIDER_TIMEOUT = "closespider_timeout"  # stopped at CLOSESPIDER_TIMEOUT; the next run continues
CLOSESPIDER_PAGECOUNT = "closespider_pagecount"  # stopped at CLOSESPIDER_PAGECOUNT
