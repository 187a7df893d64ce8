"""Stage 3: text, title, date and language from HTML (trafilatura) or PDF (pypdf).

A document whose text cannot be read (encrypted or scanned PDF) is kept with its status, so an
analyst sees that the regulator published something; a page with no article text is dropped.

Extraction is CPU-bound (trafilatura costs about 11 ms a page, a long PDF far more) and would
block the Twisted reactor: no download, no parse and no other stage would run meanwhile. It runs
in a process pool sized to the cores (``MONITOR_EXTRACT_WORKERS``, default ``os.cpu_count()``;
0 runs it in the reactor thread, as ``monitor extract`` does). The workers are forked from a
forkserver, not from this process, so they carry no copy of Scrapy, the matcher or the database
engine; for several workers it has imported the worker module and loaded the language model
(``forkserver_preload``), so they start cheaply and share those pages. The pool is made at the
first item: a crawl that finds nothing new (an unchanged rerun) starts no forkserver, no
resource tracker and no worker, and this process imports the worker's module (lxml, numpy) only
when it extracts.

Back-pressure: nothing here queues without bound. An item waits in the pool while its response
is still "active" in Scrapy's scraper slot; once the bodies of active responses exceed
``SCRAPER_SLOT_MAX_ACTIVE_SIZE`` (5 MB by default) the engine stops taking requests from the
scheduler, and ``CONCURRENT_ITEMS`` caps the items of one response in flight. The pool's queue
therefore holds at most a few dozen page bodies, however long the crawl.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Coroutine
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future

from monitor.futures import deferred_from_future
from monitor.stats import ITEMS_EXTRACTED
from spiders.items import DocumentItem

if TYPE_CHECKING:
    from monitor.extraction import Extracted

log = logging.getLogger(__name__)

# With several workers the forkserver imports the worker module (lxml, numpy; trafilatura and
# py3langid are imported at a worker's first document, pypdf at its first PDF) and loads the
# language model, so that the workers share those pages instead of each loading a copy: a
# 2,000-page crawl tree with 2 workers peaked at 521 MB PSS without the model, 475 MB with it
# (bench/bench_memory.py's crawl, 2 workers); preloading the HTML and PDF extractors as well gave
# 472 MB, within the noise, so they are not. With one worker nothing is preloaded: there is no
# second worker to share with, and the worker's writes (reference counts) copy most preloaded pages
# anyway, so they were counted twice (1,500-page crawl tree, one worker: 345 MB PSS with the
# worker module preloaded, forkserver 25 MB; 336 MB without, forkserver 7 MB).
WORKER_PRELOAD = ["pipelines.extract_worker"]
SHARED_PRELOAD = ["monitor.extraction.language_model"]


def forkserver_preload(workers: int) -> list[str]:
    """What the forkserver imports before it forks ``workers`` workers (see above)."""
    return [*WORKER_PRELOAD, *SHARED_PRELOAD] if workers > 1 else []


# Sent when the pool is made, i.e. at the crawl's first item. Later stages that build something
# lazily (the match stage's automaton) build it now, while the workers boot, rather than when the
# first result comes back: by then the pool has finished a backlog, and a reactor busy building
# would let it through in one burst instead of at the workers' pace.
pool_started = object()


def _arguments(item: DocumentItem) -> tuple[tuple[Any, ...], dict[str, Any]]:
    args = (item.body, item.url, item.headers.get("content-type"))
    kwargs = {
        "feed_title": item.feed_title,
        "feed_summary": item.feed_summary,
        "feed_published": item.feed_published,
        "timezone": item.source_timezone,
        "language_hint": item.source_language,
        "fetched_at": item.fetched_at,
    }
    return args, kwargs


class ExtractStage:
    def __init__(self, crawler: Crawler, workers: int = 0) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = workers
        self.pooled = False  # set by open_spider; a stage used outside a crawl extracts in place
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractStage:
        return cls(crawler, max(crawler.settings.getint("MONITOR_EXTRACT_WORKERS"), 0))

    def open_spider(self, spider: Spider | None = None) -> None:
        if self.workers <= 0:
            log.info("extraction in the reactor thread (MONITOR_EXTRACT_WORKERS=0)")
            return
        self.pooled = True
        log.info("extraction in a pool of %d processes, started at the first item", self.workers)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.pooled = False

    def process_item(
        self, item: DocumentItem, spider: Spider | None = None
    ) -> DocumentItem | Coroutine[Any, Any, DocumentItem]:
        """The item itself outside a pooled crawl (workers=0, no open_spider); in one, a coroutine Scrapy awaits."""
        if not self.pooled:
            return self.extract_now(item)
        return self.extract_in_pool(item, self.pool or self._start_pool())

    def _start_pool(self) -> ProcessPoolExecutor:
        # Even an idle ProcessPoolExecutor spawns multiprocessing's resource tracker (its queues'
        # semaphores need one under forkserver); made here, a crawl with no item never pays for it.
        from pipelines.extract_worker import warm

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(forkserver_preload(self.workers))
        self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=warm)
        self.crawler.signals.send_catch_log(pool_started)
        return self.pool

    async def extract_in_pool(self, item: DocumentItem, pool: ProcessPoolExecutor) -> DocumentItem:
        from pipelines.extract_worker import extract_and_sign

        args, kwargs = _arguments(item)
        item.body = b""  # the worker has its copy; do not hold the bytes while it works
        answer = pool.submit(extract_and_sign, args, kwargs)
        result, signature = await maybe_deferred_to_future(deferred_from_future(answer))
        return self.apply(item, result, signature)

    def extract_now(self, item: DocumentItem) -> DocumentItem:
        """The synchronous path: extract in this thread (``monitor extract``, benchmarks, workers=0)."""
        from pipelines.extract_worker import extract_and_sign

        args, kwargs = _arguments(item)
        item.body = b""
        return self.apply(item, *extract_and_sign(args, kwargs))

    def apply(self, item: DocumentItem, result: Extracted, signature: bytes | None) -> DocumentItem:
        item.body = b""  # the bytes are not needed past this point; do not hold them for the whole run
        item.content_type = result.kind
        item.extraction_status = result.status
        self.stats.inc_value(f"extract/{result.kind}/{result.status}")
        if result.status in ("skipped", "empty"):
            raise DropItem(f"{item.url}: {result.detail or result.status}", log_level="INFO")
        if result.status != "ok":
            log.warning(
                "source %s: %s: %s %s (%s); stored without text",
                item.source_id,
                item.url,
                result.kind.upper(),
                result.status,
                result.detail,
            )
        item.title = result.title or item.feed_title or item.url
        item.text = result.text
        item.summary = result.summary
        item.published_at = result.published_at
        item.date_status = result.date_status
        item.language = result.language
        item.content_hash = result.content_hash
        item.fingerprint = signature
        self.stats.inc_value(ITEMS_EXTRACTED)
        return item
