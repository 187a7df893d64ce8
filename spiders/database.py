"""The crawl's database: one per crawler, shared by the spider and the pipeline stages.

Components get it in ``from_crawler`` (Scrapy's ``MongoPipeline`` pattern, with one connection
pool for all of them instead of one each). The first to ask opens it from ``MONITOR_DB_URL`` and
it is closed when the spider closes, after the pipeline's ``close_spider``. A caller that opened
the database itself (the runner, which records the run in it) hands it over with
``attach_database`` and closes it when the crawl is over.
"""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from monitor.storage import Database, Repository, open_database

# The crawler attribute that holds the crawl's database.
ATTRIBUTE = "monitor_database"


class CrawlDatabase:
    """A crawler's database and whether closing it is the crawl's job."""

    def __init__(self, database: Database, *, owned: bool) -> None:
        self.database = database
        self.owned = owned

    def spider_closed(self, spider: Spider) -> None:
        if self.owned:
            self.database.close()


def attach_database(crawler: Crawler, database: Database) -> None:
    """Let ``crawler``'s components use ``database``, which the caller keeps open and closes."""
    setattr(crawler, ATTRIBUTE, CrawlDatabase(database, owned=False))


def crawl_database(crawler: Crawler) -> Database:
    """``crawler``'s database, opened from ``MONITOR_DB_URL`` at the first call."""
    holder: CrawlDatabase | None = getattr(crawler, ATTRIBUTE, None)
    if holder is None:
        holder = CrawlDatabase(open_database(crawler.settings.get("MONITOR_DB_URL")), owned=True)
        setattr(crawler, ATTRIBUTE, holder)
        # A bound method of an object the crawler keeps: the dispatcher holds receivers weakly.
        crawler.signals.connect(holder.spider_closed, signal=signals.spider_closed)
    return holder.database


def crawl_repository(crawler: Crawler) -> Repository:
    """The repository over ``crawler``'s database (see ``crawl_database``)."""
    return crawl_database(crawler).repository


def close_crawl_database(crawler: Crawler) -> None:
    """Close ``crawler``'s database now if the crawl opened it (a crawler whose spider never ran)."""
    holder: CrawlDatabase | None = getattr(crawler, ATTRIBUTE, None)
    if holder is not None and holder.owned:
        holder.database.close()
