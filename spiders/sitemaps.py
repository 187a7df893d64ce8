"""Reads XML sitemaps and news sitemaps (``news:publication_date``, ``news:title``).

Parsed with lxml's iterparse using the same hardening as Scrapy's own ``Sitemap`` (no entity
resolution, no network, recover from junk); Scrapy's class flattens the nested ``news:news``
block, which is what a news sitemap is for, so it is not used directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

import lxml.etree
from dateutil import parser as date_parser

from monitor.urls import join_url


class NotASitemap(ValueError):
    """The bytes are not an XML sitemap."""


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None
    title: str | None = None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = date_parser.isoparse(value.strip())
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> tuple[str, list[SitemapEntry]]:
    """Return the sitemap type (``urlset`` or ``sitemapindex``) and its entries."""
    events = lxml.etree.iterparse(
        BytesIO(body),
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    kind = ""
    entries: list[SitemapEntry] = []
    try:
        for event, element in events:
            name = _local(element.tag)
            if event == "start":
                if not kind:
                    kind = name
                continue
            if name not in ("url", "sitemap"):
                continue
            fields: dict[str, str] = {}
            for child in element.iter():
                child_name = _local(child.tag)
                if child_name in ("loc", "lastmod", "publication_date", "title") and child.text:
                    fields.setdefault(child_name, child.text.strip())
            element.clear()
            if fields.get("loc"):
                lastmod = _date(fields.get("publication_date")) or _date(fields.get("lastmod"))
                entries.append(SitemapEntry(url=fields["loc"], lastmod=lastmod, title=fields.get("title")))
    except lxml.etree.XMLSyntaxError as exc:
        raise NotASitemap(f"not XML: {exc}") from exc
    if kind not in ("urlset", "sitemapindex"):
        raise NotASitemap(f"root element is {kind or 'missing'}, not urlset or sitemapindex")
    return kind, entries


def sitemaps_from_robots(robots: bytes | str, base_url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, resolved against it, in order, without repeats.

    Read here rather than by Scrapy's ``sitemap_urls_from_robots``, whose ``urljoin`` raises on a
    malformed line (``Sitemap: http://[::1``) and so lost every line after it. A line is returned
    as written when it has its own host: the spider's URL gate names what is wrong with it.
    """
    body = robots.encode("utf-8") if isinstance(robots, str) else robots
    urls: list[str] = []
    for line in body.splitlines():
        if line.lstrip()[:8].lower() != b"sitemap:":
            continue
        try:
            value = line.partition(b":")[2].strip().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if value:
            urls.append(join_url(base_url, value))
    return list(dict.fromkeys(urls))
