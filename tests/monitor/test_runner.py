"""``monitor.runner``: what is checked before a crawl starts."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO_ROOT


def test_a_bad_watchlist_stops_the_crawl_before_anything_is_fetched(tmp_path: Path) -> None:
    # The runner validates the rules without building the matcher; a bad one is still exit 2,
    # naming the file and the rule, and no run is recorded.
    config = tmp_path / "config"
    config.mkdir()
    (config / "monitor.yaml").write_text("politeness: {download_delay: 0}\n", encoding="utf-8")
    (config / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    (config / "watchlists.yaml").write_text(
        "topics:\n  t1:\n    terms:\n      en: ['data NEAR 8 localization']\n", encoding="utf-8"
    )
    database = tmp_path / "monitor.db"
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--allow-private", "--config", str(config), "--db", f"sqlite:///{database}",
         "crawl", "http://127.0.0.1:9/"],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "watchlists.yaml" in result.stderr and "data NEAR 8 localization" in result.stderr
    if database.exists():
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_unused_scrapy_components_are_neither_enabled_nor_imported() -> None:
    # Scrapy imports every key of EXTENSIONS to resolve it, even one set to None: the unused
    # ones are taken out of the *_BASE dicts, so aiohttp, twisted.conch and tldextract stay out.
    probe = f"""
import json, sys
from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from monitor.config import load_config
from monitor.scrapy_settings import scrapy_settings
settings = Settings(scrapy_settings(load_config({str(REPO_ROOT / "config")!r})))
print(json.dumps({{
    name: build_component_list(settings.get_component_priority_dict_with_base(name))
    for name in ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES")
}} | {{"loaded": sorted({{"aiohttp", "twisted.conch", "tldextract"}} & set(sys.modules))}}))
"""
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    seen = json.loads(completed.stdout.strip().splitlines()[-1])
    extensions, middlewares = seen["EXTENSIONS"], seen["DOWNLOADER_MIDDLEWARES"]
    assert "spiders.extensions.progress.CrawlProgress" in extensions, extensions
    assert not [e for e in extensions if "telnet" in e or "remote_control" in e], extensions
    assert "spiders.middlewares.robots.StrictRobotsTxtMiddleware" in middlewares, middlewares
    assert "spiders.middlewares.retry.BackoffRetryMiddleware" in middlewares, middlewares
    assert not [m for m in middlewares if m.startswith("scrapy.") and ("cookies" in m or "robotstxt" in m)], middlewares
    assert "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware" in middlewares
    assert seen["loaded"] == []


def test_a_page_without_article_text_is_dropped_at_info_without_the_item(tmp_path: Path) -> None:
    # Pages marked as articles but with no text are expected drops: one INFO line each, naming
    # the URL and the reason, not a WARNING followed by the whole DocumentItem.
    from tests.helpers.cli import monitor
    from tests.helpers.config import write_config
    from tests.mockserver.sites import SiteServer

    site = tmp_path / "site" / "site"
    (site / "news").mkdir(parents=True)
    links = "".join(f"<li><a href='/news/{name}.html'>{name}</a></li>" for name in ("empty", "blank"))
    (site / "index.html").write_text(f"<html><body><h1>News</h1><ul>{links}</ul></body></html>")
    for name in ("empty", "blank"):
        (site / "news" / f"{name}.html").write_text(
            "<html><head><meta property='og:type' content='article'><title>x</title></head><body></body></html>"
        )
    config = write_config(tmp_path / "config", [])
    with SiteServer(tmp_path / "site") as server:
        base = server.base_url("site")
        result = monitor(config, f"sqlite:///{tmp_path / 'm.db'}", "--verbose", "--allow-private", "crawl", base + "/")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("empty", "blank"):
        assert f"INFO scrapy.core.scraper: Dropped: {base}/news/{name}.html: no article text found" in result.stderr
    assert " WARNING " not in result.stderr, result.stderr
    assert "DocumentItem(" not in result.stderr, "the dropped item's repr was logged"
