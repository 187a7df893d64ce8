"""How an ad-hoc crawl finds a site's news with nothing but its URL: feeds announced in the page's
``<link rel="alternate">``, sitemaps named in robots.txt, else its listing pages.

``Discovered`` is what the crawl found of each (the feeds and sitemaps that answered with entries,
the listings with their pages in order and the links of their content area, the pages and
documents that were articles): what ``monitor.preview.suggest`` makes a ``sources.yaml`` entry of.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from parsel import Selector
from scrapy.http import TextResponse
from scrapy.utils.response import get_base_url

from monitor.urls import join_url

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+xml", "application/rdf+xml")
# Pages that announce themselves as articles; listings and section pages do not.
ARTICLE_MARKERS = (
    "//meta[@property='og:type' and (@content='article' or @content='news')]",
    "//meta[@property='article:published_time']",
    "//meta[@name='DC.date' or @name='dcterms.date' or @name='date']",
    # Chinese government CMSs: <meta name="PubDate"> on every article page, never on a listing.
    "//meta[@name='PubDate' or @name='pubdate']",
    # One <article> with a date: a listing has many <article> teasers, each with its own <time>.
    "(//article)[count(//article) = 1]//time",
    "//script[@type='application/ld+json' and (contains(., 'NewsArticle') or contains(., 'PressRelease'))]",
)
# The common markers, found in the raw <head> without building a tree (a parse costs ~2.5 ms a
# page in the crawl process). A listing does not carry them; JSON-LD is left to the full check
# because a listing's ItemList names NewsArticle too.
FAST_MARKERS = (
    re.compile(rb"<meta[^>]+(?:property|name)\s*=\s*[\"']?article:published_time", re.IGNORECASE),
    re.compile(
        rb"<meta[^>]+property\s*=\s*[\"']?og:type[\"']?[^>]+content\s*=\s*[\"']?(?:article|news)\b", re.IGNORECASE
    ),
    re.compile(
        rb"<meta[^>]+content\s*=\s*[\"']?(?:article|news)[\"']?[^>]+property\s*=\s*[\"']?og:type\b", re.IGNORECASE
    ),
)
# Where the <head> ends on all but pathological pages.
HEAD_BYTES = 65536

# <link> tags of the <head>, and one attribute of a tag, read without building a tree.
_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""\b(rel|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


@dataclass
class ListingSeen:
    """One listing as the crawl read it: its pages in paging order, the canonical URLs their
    content area links to (articles, documents and anything else), and whether it has a pager."""

    pages: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)
    paged: bool = False  # a next page was found on one of them (followed or not)


@dataclass
class Discovered:
    """What an ad-hoc crawl found of a site; filled by ``AdhocSpider`` as it reads the site."""

    start_url: str
    title: str | None = None  # the start page's <title>
    language: str | None = None  # the start page's <html lang>, its primary subtag
    feeds: dict[str, int] = field(default_factory=dict)  # feed URL -> entries, for each that parsed
    sitemaps: dict[str, int] = field(default_factory=dict)  # robots.txt's sitemaps that parsed -> entries
    listings: dict[str, ListingSeen] = field(default_factory=dict)  # first page (canonical) -> what it showed
    items: set[str] = field(default_factory=set)  # canonical URLs of the pages and documents taken as articles
    documents: set[str] = field(default_factory=set)  # those of ``items`` that are documents (PDF, DOCX)
    read_as_listings: set[str] = field(default_factory=set)  # canonical URLs of every page read as a listing

    def listing_page(self, first: str, url: str, links: list[str]) -> None:
        seen = self.listings.setdefault(first, ListingSeen())
        seen.pages.append(url)
        self.read_as_listings.add(first)
        seen.links.update(links)

    def start_page(self, response: TextResponse) -> None:
        """The start page's title and language: the suggested entry's name and language."""
        selector = Selector(text=response.text, type="html")
        title = " ".join((selector.xpath("//title/text()").get() or "").split())
        self.title = title or None
        lang = (selector.xpath("/html/@lang").get() or "").strip().lower()
        self.language = lang.split("-")[0] if re.fullmatch(r"[a-z]{2}(-[a-z0-9]+)*", lang) else None


FEED_PATH = re.compile(r"(\.rss|\.atom|/feed/?|/rss/?|rss\.xml|atom\.xml|feed\.xml)$", re.IGNORECASE)


def feed_links(response: TextResponse) -> list[str]:
    """The page's feeds, resolved but not checked: the spider passes each through the URL gate."""
    base = get_base_url(response)
    urls: list[str] = []
    for link in response.xpath("//link[@rel='alternate' and @href]"):
        kind = (link.attrib.get("type") or "").lower()
        if kind in FEED_TYPES:
            urls.append(join_url(base, link.attrib["href"]))
    for href in response.xpath("//a/@href").getall():
        if FEED_PATH.search(href.strip()):
            urls.append(join_url(base, href))
    return list(dict.fromkeys(urls))


def looks_like_article(response: TextResponse) -> bool:
    """True when the page carries article metadata; a listing page links to many such pages instead."""
    # A selector of its own, not the response's cached one: that one and the response refer to each
    # other, so each article's lxml tree (about a megabyte) stayed alive until a full garbage
    # collection, which a long crawl runs rarely; the crawl's memory grew by hundreds of MB.
    head = response.body[:HEAD_BYTES]
    if any(marker.search(head) for marker in FAST_MARKERS):
        return True
    selector = Selector(text=response.text, type="html")
    return any(selector.xpath(marker) for marker in ARTICLE_MARKERS)


def declared_canonical(response: TextResponse) -> str | None:
    """The page's ``<link rel="canonical">``, resolved against it (not checked), or None.

    Read from the raw ``<head>`` with a regular expression: it is asked of every article page,
    and a tree costs milliseconds a page in the crawl process.
    """
    for tag in _LINK_TAG.findall(response.body[:HEAD_BYTES]):
        attributes: dict[bytes, bytes] = {}
        for name, double, single, bare in _ATTRIBUTE.findall(tag):
            attributes.setdefault(name.lower(), double or single or bare)
        if b"canonical" in attributes.get(b"rel", b"").lower().split() and attributes.get(b"href", b"").strip():
            href = html.unescape(attributes[b"href"].decode(response.encoding, "replace")).strip()
            return join_url(get_base_url(response), href)
    return None
