"""Documents (PDF, DOCX) that a listing or an article page cites, and the page area they are read from.

A regulator's decision is often a PDF linked from a "Decisions" listing, or from its press
release only. A link is taken for a document by its file extension, by the ``type`` or
``download`` attribute of its ``<a>``, by words of its text ("PDF", "Download", "Télécharger",
...), or by the download paths CMSs use without an extension (``__blob=publicationFile``,
``/~/media/``, ``/system/files/``). Whether it *is* one is decided on the response, by
``Content-Type`` and magic bytes (``monitor.extraction.document.detect_kind``): servers label
PDFs ``application/octet-stream`` and serve them from URLs without an extension.

Links are read from the page's content area (its ``<main>``, else its one ``<article>``), else from
the page without its ``<nav>``, ``<header>``, ``<footer>``, ``<aside>`` and what its classes name a
menu or footer: the accessibility statement in every page's footer is not what the page cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import html as lxml_html
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace

from monitor.extraction.docx import DOCX_TYPE
from monitor.urls import host_of, join_url

DOCUMENT_EXTENSIONS = (".pdf", ".docx")
DOCUMENT_TYPES = frozenset({"application/pdf", "application/x-pdf", DOCX_TYPE})
# Words of a link's text, title or aria-label that announce a file, in the languages we crawl.
_WORDS = (
    "pdf",
    "docx",
    "download",
    "télécharger",
    "telecharger",
    "herunterladen",
    "downloaden",
    "descargar",
    "scarica",
    "baixar",
    "pobierz",
    "下载",
    "下載",
    "ダウンロード",
)
# A word boundary before a Latin word ("PDF", not "ePDFs"); none before a Chinese or Japanese one,
# which has letters on both sides ("点击下载").
DOCUMENT_WORDS = re.compile("|".join(rf"\b{w}" if w[0].isascii() else w for w in _WORDS), re.IGNORECASE)
# Download URLs of CMSs that name no extension.
_PATHS = (
    "__blob=publicationFile",
    "/~/media/",
    "/-/media/",
    "/system/files/",
    "/getfile",
    "/file.ashx",
    "/fileadmin/",
    "/wp-content/uploads/",
)
DOCUMENT_PATHS = re.compile("|".join(re.escape(p) for p in _PATHS) + r"|/downloads?(/|$)", re.IGNORECASE)
# Pages a document link never points to (a "download our app" link, a feed, an image).
NOT_DOCUMENTS = re.compile(r"\.(html?|xml|rss|atom|css|js|png|jpe?g|gif|svg|zip|mp4|mp3)$", re.IGNORECASE)
# What a page holds when it may cite a document, looked for in its bytes before a tree is built,
# which most article pages then need not pay for (a parse costs milliseconds in the crawl
# process): an ``href`` with a document's extension or a download path, an ``<a download>`` or
# ``type=application/pdf``, or one of the words in a text.
_HINT_BYTES = re.compile(
    rb"""href\s*=\s*["']?[^"'\s>]*?(?:\.pdf|\.docx|/downloads?[/"'\s>?]|"""
    + b"|".join(re.escape(p.lower().encode()) for p in _PATHS)
    + rb""")|<a\b[^>]*\b(?:download\b|type\s*=\s*["']?application/(?:pdf|x-pdf|vnd\.openxml))|>[^<]{0,200}?(?:"""
    + b"|".join(re.escape(w.encode()) for w in _WORDS)
    + rb")",
    re.IGNORECASE,
)
# The page's own content, first found first: ``<main>`` before a lone ``<article>``, which on a
# listing may be one featured teaser among items that are not articles.
CONTENT_AREAS = (
    "//main",
    "//*[@role='main']",
    "//article[count(//article) = 1]",
)
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
# Class or id of a page's menus and footer in markup without those elements (``<div class=nav>``).
CHROME_NAMES = re.compile(
    r"^(site-?|page-?|global-?|main-?|top-?)?(nav|navbar|navigation|menu|menubar|header|footer|foot|breadcrumbs?|"
    r"sidebar|topbar|bottom)([-_]\w*)?$",
    re.IGNORECASE,
)


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def has_document_extension(url: str) -> bool:
    """True when the URL's path ends in ``.pdf`` or ``.docx`` (any case)."""
    return _path(url).lower().endswith(DOCUMENT_EXTENSIONS)


def looks_like_document_link(url: str, label: str = "", kind: str = "", download: bool = False) -> bool:
    """True when a link (its URL, its text or title, its ``type``, its ``download`` attribute)
    announces a document rather than a page."""
    if has_document_extension(url):
        return True
    if NOT_DOCUMENTS.search(_path(url)):
        return False
    if kind.split(";")[0].strip().lower() in DOCUMENT_TYPES or download:
        return True
    return bool(DOCUMENT_PATHS.search(url) or DOCUMENT_WORDS.search(label))


def content_anchors(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The ``<a href>`` of the page's content area, in page order (see the module docstring)."""
    for area in CONTENT_AREAS:
        found = root.xpath(area)
        if found:
            anchors: list[lxml_html.HtmlElement] = []
            for node in found:
                anchors.extend(node.xpath(".//a[@href]"))
            if anchors:
                return anchors
    return [anchor for anchor in root.iter("a") if anchor.get("href") is not None and not _in_chrome(anchor)]


def _in_chrome(anchor: lxml_html.HtmlElement) -> bool:
    for node in anchor.iterancestors():
        if node.tag in CHROME_TAGS:
            return True
        names = [*(node.get("class") or "").split(), node.get("id") or ""]
        if any(CHROME_NAMES.match(name) for name in names if name):
            return True
    return False


def page_tree(response: TextResponse) -> lxml_html.HtmlElement | None:
    """A tree of its own for the page (not the response's cached selector, which keeps it alive)."""
    try:
        return lxml_html.document_fromstring(response.text)
    except (ValueError, lxml_html.etree.ParserError):
        return None


def _label(anchor: lxml_html.HtmlElement) -> str:
    text = " ".join(anchor.itertext())
    return " ".join((text, anchor.get("title") or "", anchor.get("aria-label") or ""))


def document_links(response: Response, root: lxml_html.HtmlElement | None = None) -> list[str]:
    """Absolute URLs of the documents the page's content area links to, in page order, without
    repeats or fragments. Not checked: the spider passes each through the URL gate."""
    if not isinstance(response, TextResponse):
        return []
    if response.encoding.lower().replace("-", "") == "utf8" and not _HINT_BYTES.search(response.body):
        return []
    root = root if root is not None else page_tree(response)
    if root is None:
        return []
    base = get_base_url(response)
    found: list[str] = []
    for anchor in content_anchors(root):
        href = strip_html5_whitespace(anchor.get("href") or "")
        if not href or href.startswith("#"):
            continue
        url = join_url(base, href).split("#", 1)[0]
        if not url.lower().startswith(("http:", "https:")):
            continue
        if looks_like_document_link(url, _label(anchor), anchor.get("type") or "", anchor.get("download") is not None):
            found.append(url)
    return list(dict.fromkeys(found))


def content_links(response: TextResponse, root: lxml_html.HtmlElement | None = None) -> set[str]:
    """Every link of the page's content area, resolved, without fragments: what a listing page
    brings that its chrome (menus, footer) does not."""
    root = root if root is not None else page_tree(response)
    if root is None:
        return set()
    base = get_base_url(response)
    links: set[str] = set()
    for anchor in content_anchors(root):
        href = strip_html5_whitespace(anchor.get("href") or "")
        if href and not href.startswith("#"):
            links.add(join_url(base, href).split("#", 1)[0])
    return links


def within_hosts(url: str, hosts: Iterable[str]) -> bool:
    """True when ``url``'s checked host is one of ``hosts`` (a leading ``www.`` ignored on both sides)."""
    host = (host_of(url) or "").removeprefix("www.")
    return bool(host) and host in {h.removeprefix("www.") for h in hosts}
