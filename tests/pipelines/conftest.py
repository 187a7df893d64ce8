from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from monitor.settings_defaults import DEFAULTS
from spiders.database import close_crawl_database
from tests.helpers import REPO_ROOT


@pytest.fixture
def crawler(tmp_path: Path) -> Iterator[Crawler]:
    """A real Scrapy crawler with our settings, on a fresh SQLite file (closed after the test)."""
    crawler = get_crawler(
        settings_dict={
            **DEFAULTS,
            "MONITOR_DB_URL": f"sqlite:///{tmp_path}/pipeline.db",
            "MONITOR_WATCHLISTS": str(REPO_ROOT / "config" / "watchlists.yaml"),
        }
    )
    crawler.stats.open_spider()
    yield crawler
    close_crawl_database(crawler)
