from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spiders.sitemaps import NotASitemap, parse_sitemap, sitemaps_from_robots

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://policywire.example/2026/11/eu-india-adequacy</loc>
    <news:news>
      <news:publication><news:name>Policy Wire</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-19T17:30:00+01:00</news:publication_date>
      <news:title>EU and India open talks on data adequacy</news:title>
    </news:news>
  </url>
  <url><loc> https://policywire.example/2026/11/plain </loc><lastmod>2026-11-02</lastmod></url>
  <url><lastmod>2026-11-02</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.example/sitemap-1.xml</loc><lastmod>2026-10-01T00:00:00Z</lastmod></sitemap></sitemapindex>"""


def test_news_sitemap_dates_titles_and_junk_entries() -> None:
    kind, entries = parse_sitemap(NEWS_SITEMAP)
    assert kind == "urlset"
    assert [e.url for e in entries] == [
        "https://policywire.example/2026/11/eu-india-adequacy",
        "https://policywire.example/2026/11/plain",
    ]
    assert entries[0].lastmod == datetime(2026, 11, 19, 16, 30, tzinfo=UTC)
    assert entries[0].title == "EU and India open talks on data adequacy"
    assert entries[1].lastmod == datetime(2026, 11, 2, tzinfo=UTC)


def test_sitemap_index() -> None:
    kind, entries = parse_sitemap(INDEX)
    assert kind == "sitemapindex" and entries[0].url.endswith("sitemap-1.xml")


@pytest.mark.parametrize("body", [b"<html><body>Not found</body></html>", b"", b"\x00\x01garbage"])
def test_not_a_sitemap(body: bytes) -> None:
    with pytest.raises(NotASitemap):
        parse_sitemap(body)


def test_entities_are_not_expanded() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&x;</loc></url></urlset>"""
    _kind, entries = parse_sitemap(body)
    assert [e.url for e in entries] == ["https://a.example/"]  # the entry is kept, the file not read


def test_sitemaps_from_robots() -> None:
    robots = "User-agent: *\nDisallow: /admin/\nSitemap: https://x.example/news-sitemap.xml\nsitemap: /sitemap.xml\n"
    assert sitemaps_from_robots(robots, "https://x.example/robots.txt") == [
        "https://x.example/news-sitemap.xml",
        "https://x.example/sitemap.xml",
    ]
