"""The crawl's database: one per crawler, shared by its stages and spider, closed with the spider."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from monitor.storage import open_database
from pipelines.near_duplicate import NearDuplicateStage
from pipelines.skip_stored import SkipStoredStage
from pipelines.store import StoreStage
from spiders.database import attach_database, crawl_database
from spiders.source_spider import SourceSpider


def _close_spider(crawler: Crawler) -> None:
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")


def test_the_stages_and_the_spider_of_a_crawler_share_one_repository(crawler: Crawler) -> None:
    stages = [build_from_crawler(cls, crawler) for cls in (SkipStoredStage, NearDuplicateStage, StoreStage)]
    crawler.spider = SourceSpider.from_crawler(crawler, sources=[])
    repositories = {id(stage.repository) for stage in stages} | {id(crawler.spider.repository)}
    assert repositories == {id(crawl_database(crawler).repository)}


def test_two_crawlers_do_not_share_a_database(crawler: Crawler) -> None:
    other = get_crawler(settings_dict={"MONITOR_DB_URL": crawler.settings["MONITOR_DB_URL"]})
    try:
        assert crawl_database(other) is not crawl_database(crawler)
    finally:
        crawl_database(other).close()


def test_the_crawls_own_database_is_closed_when_the_spider_closes(crawler: Crawler) -> None:
    stage = build_from_crawler(StoreStage, crawler)
    stage.repository.is_stored("https://edb.example/a")  # a pooled connection now exists
    pool = crawl_database(crawler).engine.pool
    assert pool.checkedin() == 1
    _close_spider(crawler)
    assert crawl_database(crawler).engine.pool is not pool, "disposed: a fresh pool"


def test_a_database_handed_over_is_left_open_for_its_owner(tmp_path: Path) -> None:
    unused = tmp_path / "unused.db"
    crawler = get_crawler(settings_dict={"MONITOR_DB_URL": f"sqlite:///{unused}"})
    database = open_database(f"sqlite:///{tmp_path / 'runner.db'}")
    attach_database(crawler, database)
    stage = build_from_crawler(StoreStage, crawler)
    assert stage.repository is database.repository
    stage.repository.is_stored("https://edb.example/a")
    pool = database.engine.pool
    _close_spider(crawler)
    assert database.engine.pool is pool, "the runner records the run after the crawl, then closes it"
    database.close()
    assert not unused.exists(), "the crawl opened no database of its own"
