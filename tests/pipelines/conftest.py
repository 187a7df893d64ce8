from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def crawler(tmp_path: Path) -> Crawler:
    """A real Scrapy crawler with our settings, on a fresh SQLite file."""
    crawler = get_crawler(
        settings_dict={
            "MONITOR_DB_URL": f"sqlite:///{tmp_path}/pipeline.db",
            "MONITOR_WATCHLISTS": str(REPO / "config" / "watchlists.yaml"),
        }
    )
    crawler.stats.open_spider()
    return crawler
