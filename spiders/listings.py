"""Finds article links and the next page on a news listing, the way regulator CMSs publish them."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse, TextResponse
from scrapy.linkextractors import LinkExtractor

from monitor.config.schema import Listing

# Paths that are never articles on a news site; followed by no crawler of ours.
NON_ARTICLE = re.compile(
    r"/(about|contact|privacy|cookies?|legal|imprint|impressum|mentions-legales|search|login|tag|tags|author|"
    r"rss|feed|sitemap|accessibility|newsletter|subscribe|careers|jobs)[\w-]*(/|\.|$)|\.(css|js|png|jpe?g|gif|svg|ico|zip|xml|rss|atom)$",
    re.IGNORECASE,
)


def _select_hrefs(response: TextResponse, selector: str) -> list[str]:
    if selector.startswith("/") or selector.startswith("("):
        nodes = response.xpath(selector)
    else:
        nodes = response.css(selector)
    hrefs: list[str] = []
    for node in nodes:
        href: str | None
        if isinstance(node.root, str):  # an XPath that selects the attribute itself (.../@href)
            href = node.root
        else:
            href = node.attrib.get("href") or node.xpath(".//@href").get()
        if href:
            hrefs.append(href.strip())
    return hrefs


def article_links(response: TextResponse, listing: Listing | None) -> list[str]:
    """Absolute URLs of the articles a listing page links to, in page order, without repeats.

    With a selector, only matching links count; without one, every same-site link that does not
    look like navigation. ``link_pattern`` narrows either. lxml's HTML parser already accepts
    unquoted ``href`` values, which Chinese and older government CMSs emit.
    """
    if listing is not None and listing.link_selector:
        candidates = [response.urljoin(href) for href in _select_hrefs(response, listing.link_selector)]
    else:
        extractor = LinkExtractor(deny_extensions=None)
        candidates = (
            [link.url for link in extractor.extract_links(response)] if isinstance(response, HtmlResponse) else []
        )
        own_path = urlsplit(response.url).path.rstrip("/")
        # Same path, other query: that is pagination of this listing, not an article.
        candidates = [
            url for url in candidates if not NON_ARTICLE.search(url) and urlsplit(url).path.rstrip("/") != own_path
        ]
    if listing is not None and listing.link_pattern:
        pattern = re.compile(listing.link_pattern)
        candidates = [url for url in candidates if pattern.search(url)]
    candidates = [url.split("#", 1)[0] for url in candidates if url.startswith(("http://", "https://"))]
    return list(dict.fromkeys(candidates))


def next_page(response: TextResponse, listing: Listing, page_number: int) -> str | None:
    """The URL of the page after ``page_number``: by next-link selector, by URL template, or rel=next."""
    if listing.page_url:
        return listing.page_url.replace("{n}", str(page_number + 1))
    selector = listing.next_selector or "a[rel~=next], link[rel~=next]"
    hrefs = _select_hrefs(response, selector)
    if not hrefs:
        return None
    return urljoin(response.url, hrefs[0])
