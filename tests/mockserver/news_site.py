"""A small news site for crash and concurrency tests, written into a directory a test owns.

Two sources: a regulator with an RSS feed (``/dpa/feed.xml``) and a press outlet with a sitemap
(``/daily/sitemap.xml``), eight articles each, plus a press release and its syndicated copy.
Served by ``SiteServer``, the feed and sitemap answer conditional requests with 304, so a crawl
that trusted validators saved before it was killed would lose the feed's articles: the exact
failure the crash test looks for.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.helpers.syndication import OTHERS, RELEASES, copies

SITE = "news"  # the site's directory, and its name for SiteServer.base_url()
ARTICLES_PER_SOURCE = 8
VOCABULARY = sorted({w.strip(".,()").lower() for t in [*RELEASES.values(), *OTHERS] for w in t.split()} - {""})


def write_news_site(root: Path) -> Path:
    """The site under ``root/news``; returns ``root``, to serve as ``SiteServer(root)``."""
    site = root / SITE
    for source in ("dpa", "daily"):
        (site / source).mkdir(parents=True, exist_ok=True)
        for n in range(ARTICLES_PER_SOURCE):
            (site / source / f"{n}.html").write_text(_page(f"{source} item {n}", _body(source, n)))
    (site / "dpa" / "release.html").write_text(_page("Transfers suspended", RELEASES["transfers"]))
    (site / "daily" / "copy.html").write_text(
        _page("Regulator halts transfers", copies(RELEASES["transfers"], "Daily")[0])
    )
    items = "".join(
        f"<item><title>dpa item {n}</title><link>{{{{base}}}}/dpa/{n}.html</link>"
        f"<pubDate>Mon, 02 Nov 2026 0{n % 10}:00:00 +0000</pubDate></item>"
        for n in range(ARTICLES_PER_SOURCE)
    )
    items += "<item><title>Transfers suspended</title><link>{{base}}/dpa/release.html</link></item>"
    (site / "dpa" / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>DPA</title><link>{{base}}/dpa/</link>"
        f"<description>news</description>{items}</channel></rss>"
    )
    urls = [f"{{{{base}}}}/daily/{n}.html" for n in range(ARTICLES_PER_SOURCE)] + ["{{base}}/daily/copy.html"]
    (site / "daily" / "sitemap.xml").write_text(
        "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        + "".join(f"<url><loc>{url}</loc><lastmod>2026-11-02</lastmod></url>" for url in urls)
        + "</urlset>"
    )
    return root


def is_article(site: str, path: str) -> bool:
    """The pages a test holds: every article, not the feed or the sitemap."""
    return path.endswith(".html")


def expected_urls(base: str) -> set[str]:
    urls = {f"{base}/dpa/{n}.html" for n in range(ARTICLES_PER_SOURCE)}
    urls |= {f"{base}/daily/{n}.html" for n in range(ARTICLES_PER_SOURCE)}
    return urls | {f"{base}/dpa/release.html", f"{base}/daily/copy.html"}


def news_sources(base: str) -> list[dict[str, Any]]:
    return [
        {
            "id": "dpa",
            "name": "Data Protection Authority",
            "kind": "regulator",
            "jurisdiction": "FR",
            "feeds": [f"{base}/dpa/feed.xml"],
        },
        {
            "id": "daily",
            "name": "The Daily",
            "kind": "press",
            "jurisdiction": "GB",
            "sitemaps": [f"{base}/daily/sitemap.xml"],
        },
    ]


# One page at a time and no retry: a crawl of the site is a predictable sequence of requests.
NEWS_POLITENESS = {"obey_robots_txt": False, "concurrent_requests_per_domain": 1, "retry_times": 0}


def _body(source: str, number: int) -> str:
    # Distinct text per article, so that no two are near duplicates: seeded random word sequences.
    pick = random.Random(f"{source}-{number}")
    sentences = [f"Item {number} of {source}, part {i}: " + " ".join(pick.choices(VOCABULARY, k=12)) for i in range(12)]
    return ". ".join(sentences) + "."


def _page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{chunk}.</p>" for chunk in text.split(". ") if chunk)
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><header>Site</header>"
        f"<main><article><h1>{title}</h1><time datetime='2026-11-02'>2 November 2026</time>{paragraphs}"
        "</article></main><footer>Contact</footer></body></html>"
    )
