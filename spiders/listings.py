"""Finds article links and the next page on a news listing, the way regulator CMSs publish them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from monitor.config.schema import Listing
from monitor.urls import InvalidURL, checked_url, join_url

# Paths that are never articles on a news site; followed by no crawler of ours.
NON_ARTICLE = re.compile(
    r"/(about|contact|privacy|cookies?|legal|imprint|impressum|mentions-legales|search|login|tag|tags|author|"
    r"rss|feed|sitemap|accessibility|newsletter|subscribe|careers|jobs)[\w-]*(/|\.|$)|\.(css|js|png|jpe?g|gif|svg|ico|zip|xml|rss|atom)$",
    re.IGNORECASE,
)
# File types a listing's links to which are not followed without a selector (Scrapy's
# LinkExtractor default: images, audio, video, office documents and PDFs, archives).
_IGNORED = tuple(f".{extension}" for extension in IGNORED_EXTENSIONS)


def _path(url: str) -> str:
    """The URL's path, or "" for a URL ``urlsplit`` cannot split (the spider's gate names it)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _page_links(response: HtmlResponse) -> list[str]:
    """Every ``<a>`` and ``<area>`` link of the page, resolved, in page order: what Scrapy's
    LinkExtractor returns, except that a malformed link is kept (as written) for the spider to
    refuse by name, where the extractor dropped it without a word or, for ``http:///x``, read it
    as a path on the page's own host."""
    base = get_base_url(response)
    links: list[str] = []
    for href in response.xpath("//a/@href | //area/@href").getall():
        url = join_url(base, strip_html5_whitespace(href))
        if not url.lower().startswith(("http:", "https:")) or _path(url).lower().endswith(_IGNORED):
            continue
        try:
            checked_url(url)
        except InvalidURL:
            links.append(url)
            continue
        # As the extractor did: a path in the page's own encoding (a GBK page's links in GBK).
        links.append(safe_url_string(url, encoding=response.encoding))
    return links


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

    Not checked: the spider passes each through the URL gate, which refuses a malformed one by name.

    With a selector, only matching links count; without one, every same-site link that does not
    look like navigation. ``link_pattern`` narrows either. lxml's HTML parser already accepts
    unquoted ``href`` values, which Chinese and older government CMSs emit.
    """
    if listing is not None and listing.link_selector:
        base = get_base_url(response)
        candidates = [join_url(base, href) for href in _select_hrefs(response, listing.link_selector)]
    else:
        candidates = _page_links(response) if isinstance(response, HtmlResponse) else []
        own_path = _path(response.url).rstrip("/")
        # Same path, other query: that is pagination of this listing, not an article.
        candidates = [url for url in candidates if not NON_ARTICLE.search(url) and _path(url).rstrip("/") != own_path]
    if listing is not None and listing.link_pattern:
        pattern = re.compile(listing.link_pattern)
        candidates = [url for url in candidates if pattern.search(url)]
    candidates = [url.split("#", 1)[0] for url in candidates if url.lower().startswith(("http:", "https:"))]
    return list(dict.fromkeys(candidates))


def next_page(response: TextResponse, listing: Listing, page_number: int) -> str | None:
    """The URL of the page after ``page_number``: by next-link selector, by URL template, or rel=next.

    Not checked, as ``article_links``: the caller passes it through the URL gate.
    """
    if listing.page_url:
        return listing.page_url.replace("{n}", str(page_number + 1))
    selector = listing.next_selector or "a[rel~=next], link[rel~=next]"
    hrefs = _select_hrefs(response, selector)
    if not hrefs:
        return None
    return join_url(response.url, hrefs[0])
