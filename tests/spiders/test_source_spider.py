"""SourceSpider's decisions, built through Scrapy's real factory over a real (SQLite) database:
what a feed, a sitemap and a probe lead to fetch."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import scrapy
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from monitor.config.schema import Source
from monitor.settings_defaults import DEFAULTS
from monitor.storage import dispose_all, repository_for
from monitor.storage.records import ArticleRecord
from spiders.source_spider import SourceSpider

NOW = datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def make_spider(tmp_path: Path, source: Source, probe: bool = False) -> SourceSpider:
    crawler = get_crawler(SourceSpider, {**DEFAULTS, "MONITOR_DB_URL": f"sqlite:///{tmp_path / 'm.db'}"})
    spider = SourceSpider.from_crawler(crawler, sources=[source], probe=probe)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def collect(requests: AsyncIterator[scrapy.Request]) -> list[scrapy.Request]:
    """What an async callback yields (outside a crawl, its feed is parsed in this thread)."""

    async def gather() -> list[scrapy.Request]:
        return [request async for request in requests]

    return asyncio.run(gather())


def response(url: str, body: str, kind: str = "feed") -> XmlResponse:
    request = scrapy.Request(url, meta={"endpoint": {"kind": kind, "source_id": "dpa", "url": url}})
    return XmlResponse(url, body=body.encode(), request=request, headers={"ETag": '"v1"'})


def test_feed_entry_updated_after_our_fetch_is_fetched_again(tmp_path: Path) -> None:
    source = Source(id="dpa", name="DPA", kind="regulator", jurisdiction="FR", feeds=["https://dpa.example/rss"])
    spider = make_spider(tmp_path, source)
    repository = repository_for(f"sqlite:///{tmp_path / 'm.db'}")
    repository.ensure_source("dpa", "DPA")
    for slug in ("revised", "unchanged"):
        url = f"https://dpa.example/{slug}"
        repository.upsert_article(
            ArticleRecord(
                canonical_url=url, url=url, source_id="dpa", title=slug, text="x", fetched_at=NOW - timedelta(days=2)
            )
        )
    old, hour, recent = (
        (NOW - timedelta(days=3)).isoformat(),
        (NOW - timedelta(hours=1)).isoformat(),
        (NOW - timedelta(hours=2)).isoformat(),
    )
    atom = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title>r</title><link href="https://dpa.example/revised"/><id>1</id>
      <published>{old}</published><updated>{hour}</updated></entry>
    <entry><title>u</title><link href="https://dpa.example/unchanged"/><id>2</id>
      <published>{old}</published><updated>{old}</updated></entry>
    <entry><title>n</title><link href="https://dpa.example/new"/><id>3</id>
      <published>{recent}</published></entry></feed>"""
    requests = collect(spider.parse_feed(response("https://dpa.example/rss", atom), source))
    fetched = {r.url: r.meta["feed"]["feed_updated"] for r in requests}
    assert fetched == {"https://dpa.example/revised": True, "https://dpa.example/new": False}
    dispose_all()


def test_sitemap_entries_filtered_by_age_and_pattern(tmp_path: Path) -> None:
    source = Source(
        id="dpa",
        name="Wire",
        kind="press",
        jurisdiction="INTL",
        sitemaps=["https://wire.example/s.xml"],
        sitemap_max_age_days=3,
        sitemap_link_pattern="/technology/",
    )
    spider = make_spider(tmp_path, source)
    repository_for(f"sqlite:///{tmp_path / 'm.db'}").ensure_source("dpa", "Wire")
    urls = [
        ("technology/new", NOW - timedelta(days=1)),
        ("technology/old", NOW - timedelta(days=30)),
        ("sports/new", NOW - timedelta(hours=5)),
    ]
    body = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(
            f"<url><loc>https://wire.example/{path}</loc><lastmod>{when.isoformat()}</lastmod></url>"
            for path, when in urls
        )
        + "</urlset>"
    )
    requests = list(spider.parse_sitemap(response("https://wire.example/s.xml", body, "sitemap"), source))
    assert [r.url for r in requests] == ["https://wire.example/technology/new"]
    dispose_all()


def test_probe_fetches_nothing_behind_the_entry_point_and_keeps_no_validators(tmp_path: Path) -> None:
    source = Source(id="dpa", name="DPA", kind="regulator", jurisdiction="FR", feeds=["https://dpa.example/rss"])
    spider = make_spider(tmp_path, source, probe=True)
    repository_for(f"sqlite:///{tmp_path / 'm.db'}").ensure_source("dpa", "DPA")
    rss = (
        '<rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://dpa.example/a</link>'
        f"<pubDate>{stamp(NOW)}</pubDate></item></channel></rss>"
    )
    assert collect(spider.parse_feed(response("https://dpa.example/rss", rss), source)) == []
    (row,) = repository_for(f"sqlite:///{tmp_path / 'm.db'}").endpoints()
    assert row.items_seen == 1 and row.pending_etag is None and row.etag is None
    dispose_all()
