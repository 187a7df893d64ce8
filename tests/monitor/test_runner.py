"""``monitor.runner``: what is checked before a crawl starts."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


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
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "watchlists.yaml" in result.stderr and "data NEAR 8 localization" in result.stderr
    if database.exists():
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_the_real_watchlists_pass_the_early_check() -> None:
    from monitor.matching.watchlist import load_watchlist

    assert load_watchlist(REPO / "config" / "watchlists.yaml").topics


def test_unused_scrapy_components_are_neither_enabled_nor_imported() -> None:
    # Scrapy imports every key of EXTENSIONS to resolve it, even one set to None: the unused
    # ones are taken out of the *_BASE dicts, so aiohttp, twisted.conch and tldextract stay out.
    probe = f"""
import sys
from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from monitor.config import load_config
from monitor.runner import scrapy_settings
settings = Settings(scrapy_settings(load_config({str(REPO / "config")!r})))
extensions, middlewares = (
    build_component_list(settings.get_component_priority_dict_with_base(name))
    for name in ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES")
)
assert "spiders.extensions.progress.CrawlProgress" in extensions, extensions
assert not [e for e in extensions if "telnet" in e or "remote_control" in e], extensions
assert "spiders.middlewares.robots.StrictRobotsTxtMiddleware" in middlewares, middlewares
assert "spiders.middlewares.retry.BackoffRetryMiddleware" in middlewares, middlewares
assert not [m for m in middlewares if m.startswith("scrapy.") and ("cookies" in m or "robotstxt" in m)], middlewares
assert "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware" in middlewares
loaded = {{"aiohttp", "twisted.conch", "tldextract"}} & set(sys.modules)
assert not loaded, loaded
"""
    subprocess.run([sys.executable, "-W", "error", "-c", probe], cwd=REPO, check=True, timeout=120)
