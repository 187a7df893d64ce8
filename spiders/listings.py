"""Finds article links and the next page on a news listing, the way regulator CMSs publish them.

The next page is found without configuration (``next_page_link``), in this order: ``<link
rel=next>``; ``<a rel=next>``; a link whose text, ``title`` or ``aria-label`` says "next" in one
of the crawled languages (``next``, ``suivant``, ``weiter``, ``nächste``, ``volgende``,
``siguiente``, ``successivo``, ``próxima``, ``下一页``, ...) or whose class (or its ``<li>``'s)
names it (``pager__item--next``, ``next page-numbers``); a "load more" link with an ``href``;
and, on a pager of numbers only, the link to the current page's number plus one. Its ``href`` may
be relative, query-only (``?page=2``) or absolute: Drupal's ``?page=N`` (0-based), WordPress's
``/page/N/``, TYPO3's ``tx_news_pi1[@widget_0][currentPage]=N`` or ``/page-N``, Sitecore's
``?page=N&...``, ASP.NET pagers made of plain links, static ``index_N.htm`` pages alike.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from lxml import html as lxml_html
from scrapy.http import HtmlResponse, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from monitor.config.schema import Listing
from monitor.urls import InvalidURL, canonical_url, checked_url, join_url, request_url
from spiders.documents import content_links, page_tree

# Paths that are never articles on a news site; followed by no crawler of ours.
NON_ARTICLE = re.compile(
    r"/(about|contact|privacy|cookies?|legal|imprint|impressum|mentions-legales|search|login|tag|tags|author|"
    r"rss|feed|sitemap|accessibility|newsletter|subscribe|careers|jobs)[\w-]*(/|\.|$)|\.(css|js|png|jpe?g|gif|svg|ico|zip|xml|rss|atom)$",
    re.IGNORECASE,
)
# File types a listing's links to which are not followed as pages (Scrapy's LinkExtractor
# default: images, audio, video, office documents and PDFs, archives); documents are found
# apart, by ``spiders.documents``.
_IGNORED = tuple(f".{extension}" for extension in IGNORED_EXTENSIONS)

# "Next" in the languages of the sources, once lower-cased and stripped of arrows and punctuation.
NEXT_LABELS = frozenset(
    {
        "next",
        "next page",
        "next results",
        "next entries",
        "older",
        "older posts",
        "older entries",
        "older news",
        "suivant",
        "suivante",
        "page suivante",
        "weiter",
        "nächste",
        "nächste seite",
        "vor",
        "volgende",
        "volgende pagina",
        "siguiente",
        "página siguiente",
        "pagina siguiente",
        "successivo",
        "successiva",
        "pagina successiva",
        "avanti",
        "próxima",
        "proxima",
        "próxima página",
        "seguinte",
        "następna",
        "nästa",
        "seuraava",
        "næste",
        "neste",
        "další",
        "下一页",
        "下页",
        "后页",
        "下一頁",
        "次へ",
        "次のページ",
        "다음",
        "›",
        ">",
        "→",
    }
)
# "Next" inside a longer title or aria-label ("Go to next page", "Nächste Seite anzeigen").
NEXT_WORDS = re.compile(
    r"\b(next|suivante?|weiter|nächste|volgende|siguiente|successiv[ao]|próxima|proxima|seguinte|older)\b|下一页|下一頁",
    re.IGNORECASE,
)
# Labels that name another page of the pager: never taken for "next".
OTHER_PAGES = re.compile(
    r"\b(prev|previous|précédente?|precedente?|zurück|vorherige|vorige|anterior|newer|first|last|première|"
    r"dernière|erste|letzte|laatste|eerste|última|ultima|primera|prima)\b|上一页|上一頁|首页|尾页|末页",
    re.IGNORECASE,
)
LOAD_MORE = re.compile(
    r"^((load|show|view|see) more( \w+)?|more (news|articles|results|items|posts|press releases)|"
    r"mehr (laden|anzeigen)|weitere (laden|anzeigen|meldungen)|(afficher|voir|charger) plus( \w+)?|"
    r"plus d'(articles|actualités)|meer (laden|tonen|weergeven|nieuws)|toon meer|(cargar|ver|mostrar) más|"
    r"(carica|mostra) altr[ie]|(carregar|ver) mais|加载更多|查看更多|更多新闻)$",
    re.IGNORECASE,
)
NEXT_CLASS = re.compile(r"(^|[-_])next($|[-_])|^nextpostslink$", re.IGNORECASE)
LOAD_MORE_CLASS = re.compile(r"^(js-)?(load-?more|loadmore|btn-load-more|pager__load-more)$", re.IGNORECASE)
CURRENT_CLASS = re.compile(
    r"^(current|active|is-active|is-current|selected|on|cur|current-page|page-current|pager__item--current)$",
    re.IGNORECASE,
)
PAGER_CLASS = re.compile(r"pag(er|ination|ing|ebrowser|e-numbers|enav)|paginator", re.IGNORECASE)
# Query parameters that number the pages of a listing (same path, another page of it).
PAGE_PARAMETER = re.compile(
    r"^(page|pg|paged|pagenum|pageno|pagenumber|pageindex|page_no|start|offset|seite|pagina|strona|sida|"
    r"currentpage|p_p_page)$|\[(@widget_\d+\]\[)?currentpage\]$|\[page\]$|^page\[",
    re.IGNORECASE,
)
# Query parameters that name one item: a link to the listing's own path with one of these is an
# article (``News.aspx?id=101``, ``?PRID=2317101``, TYPO3's ``tx_news_pi1[news]=12``).
ITEM_PARAMETER = re.compile(
    r"(id|\[news\]|^news|^article|^item|^post|^doc|^document|^story|^node|^p)$",
    re.IGNORECASE,
)
_ARROWS = "›»>→‹«<←|·:…-–—()[]"
# A page number, not a year: a listing's year filter ("2024 2025 2026") is no pager.
_NUMBER = re.compile(r"^\d{1,3}$")
# A title or aria-label that says "next" says it of a page: "Go to next page", "Nächste Seite".
PAGE_WORD = re.compile(r"page|seite|pagina|página|results|résultats|entries|posts|strona|sida|页|頁", re.IGNORECASE)


def _key(url: str) -> str | None:
    try:
        return canonical_url(url)
    except InvalidURL:
        return None


def _path(url: str) -> str:
    """The URL's path, or "" for a URL ``urlsplit`` cannot split (the spider's gate names it)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _query_names(url: str) -> list[str]:
    try:
        return [name for name, _value in parse_qsl(urlsplit(url).query, keep_blank_values=True)]
    except ValueError:
        return []


def _normalised(text: str) -> str:
    """Lower-case, one space between words, arrows and brackets stripped ("Next ›" -> "next")."""
    words = " ".join(text.split()).lower()
    stripped = words.strip(_ARROWS + " ")
    return stripped or words.strip()


def _text(anchor: lxml_html.HtmlElement) -> str:
    return " ".join(" ".join(anchor.itertext()).split())


def _classes(node: lxml_html.HtmlElement | None) -> list[str]:
    return (node.get("class") or "").split() if node is not None else []


def _tokens(value: str | None) -> list[str]:
    return (value or "").lower().split()


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


# -- the pager -------------------------------------------------------------------------
def _href(base: str, node: lxml_html.HtmlElement) -> str | None:
    """The node's ``href`` resolved, without fragment; None for ``#``, ``javascript:`` and the like."""
    href = strip_html5_whitespace(node.get("href") or "")
    if not href or href.startswith("#"):
        return None
    url = join_url(base, href).split("#", 1)[0]
    return url if url.lower().startswith(("http:", "https:")) else None


def _same_page(url: str, page_url: str) -> bool:
    try:
        return request_url(url) == request_url(page_url)
    except InvalidURL:
        return False


def _says_next(anchor: lxml_html.HtmlElement) -> bool:
    """The link's text, title or aria-label says "next", or its class (or its ``<li>``'s) does."""
    text = _normalised(_text(anchor))
    labels = " ".join(filter(None, (anchor.get("title"), anchor.get("aria-label"))))
    if OTHER_PAGES.search(text) or OTHER_PAGES.search(labels):
        return False
    if text in NEXT_LABELS or _normalised(labels) in NEXT_LABELS:
        return True
    if NEXT_WORDS.search(labels) and PAGE_WORD.search(labels):
        return True
    parent = anchor.getparent()
    parent_classes = _classes(parent) if parent is not None and parent.tag == "li" else []
    return any(NEXT_CLASS.search(name) for name in (*_classes(anchor), *parent_classes))


def _says_load_more(anchor: lxml_html.HtmlElement) -> bool:
    if LOAD_MORE.match(_normalised(_text(anchor))) or LOAD_MORE.match(_normalised(anchor.get("title") or "")):
        return True
    if any(LOAD_MORE_CLASS.match(name) for name in _classes(anchor)):
        return True
    return bool(anchor.xpath("ancestor::*[@data-drupal-views-infinite-scroll-pager]"))


def _current_number(node: lxml_html.HtmlElement) -> int | None:
    """The page number a pager element marks as current (``aria-current``, ``class="current"``...)."""
    for element in (node, *node.iterancestors("li")):
        marked = element.get("aria-current") in ("page", "true") or any(
            CURRENT_CLASS.match(name) for name in _classes(element)
        )
        if marked:
            text = _normalised(_text(element))
            return int(text) if _NUMBER.match(text) else None
    return None


def _numbered_next(root: lxml_html.HtmlElement, base: str, page_url: str) -> str | None:
    """On a pager of numbers, the link to the current page's number plus one."""
    numbered: dict[int, str] = {}
    container_counts: dict[lxml_html.HtmlElement, int] = {}
    anchors: list[tuple[int, str, lxml_html.HtmlElement]] = []
    for anchor in root.iter("a"):
        text = _normalised(_text(anchor))
        url = _href(base, anchor)
        if not _NUMBER.match(text) or url is None:
            continue
        container = next(anchor.iterancestors("nav", "ul", "ol", "div", "p", "td", "section"), None)
        if container is None:
            continue
        anchors.append((int(text), url, container))
        container_counts[container] = container_counts.get(container, 0) + 1
    if not anchors:
        return None
    pager = max(container_counts, key=lambda c: container_counts[c])  # the biggest run of numbers
    current: int | None = None
    for marked in pager.iter():
        if marked.get("aria-current") in ("page", "true") or any(CURRENT_CLASS.match(n) for n in _classes(marked)):
            current = _current_number(marked)
            if current is not None:
                break
    for number, url, container in anchors:
        if container is pager:
            if _same_page(url, page_url) and current is None:
                current = number  # the pager links to the page itself
            numbered.setdefault(number, url)
    if current is None:
        # Unmarked: the number between two linked ones that is not linked, or 1 before a linked 2.
        gaps = [n for n in range(2, max(numbered)) if n not in numbered and n - 1 in numbered and n + 1 in numbered]
        current = gaps[0] if len(gaps) == 1 else (1 if 1 not in numbered and 2 in numbered else None)
    following = numbered.get(current + 1) if current is not None else None
    return following if following is not None and not _same_page(following, page_url) else None


def next_page_link(response: TextResponse, root: lxml_html.HtmlElement | None = None) -> str | None:
    """The URL of the listing page after this one, found without configuration (see the module
    docstring), or None. Not checked: the caller passes it through the URL gate."""
    root = root if root is not None else page_tree(response)
    if root is None:
        return None
    base = get_base_url(response)
    page_url = response.url
    candidates: list[str | None] = []
    candidates += [_href(base, link) for link in root.xpath("//link[@href]") if "next" in _tokens(link.get("rel"))]
    anchors = root.xpath("//a[@href]")
    candidates += [_href(base, a) for a in anchors if "next" in _tokens(a.get("rel"))]
    candidates += [_href(base, a) for a in anchors if _says_next(a)]
    candidates += [_href(base, a) for a in anchors if _says_load_more(a)]
    for url in candidates:
        if url is not None and not _same_page(url, page_url):
            return url
    return _numbered_next(root, base, page_url)


def pager_links(response: TextResponse, root: lxml_html.HtmlElement | None = None) -> set[str]:
    """Links of the page's pager (next, previous, first, last, numbers, load more): other pages of
    this listing, never articles."""
    root = root if root is not None else page_tree(response)
    if root is None:
        return set()
    base = get_base_url(response)
    found: set[str] = set()
    for anchor in root.xpath("//a[@href]"):
        url = _href(base, anchor)
        if url is None:
            continue
        text = _normalised(_text(anchor))
        rel = _tokens(anchor.get("rel"))
        in_pager = any(
            PAGER_CLASS.search(" ".join(_classes(node))) or "pagination" in (node.get("aria-label") or "").lower()
            for node in anchor.iterancestors("nav", "ul", "ol", "div")
        )
        if (
            in_pager
            or {"next", "prev", "previous", "first", "last"} & set(rel)
            or _NUMBER.match(text)
            or _says_next(anchor)
            or OTHER_PAGES.fullmatch(text)
            or _says_load_more(anchor)
        ):
            found.add(url)
    return found


def _another_page_of(url: str, listing_url: str) -> bool:
    """A link to the listing's own path that is not an item of it: another page, a sort order, a
    filter (``?page=2``, ``?sort=date``). ``News.aspx?id=101`` on ``News.aspx`` is an item."""
    if _path(url).rstrip("/") != _path(listing_url).rstrip("/"):
        return False
    names = _query_names(url)
    return not any(ITEM_PARAMETER.search(name) and not PAGE_PARAMETER.search(name) for name in names)


def article_links(
    response: TextResponse,
    listing: Listing | None,
    root: lxml_html.HtmlElement | None = None,
    *,
    content_only: bool = False,
) -> list[str]:
    """Absolute URLs of the articles a listing page links to, in page order, without repeats.

    Not checked: the spider passes each through the URL gate, which refuses a malformed one by name.

    With a selector, only matching links count; without one, every same-site link that does not
    look like navigation or the pager, and with ``content_only`` only those of the page's content
    area (not its menus and footer: a configured listing's links are stored as articles).
    ``link_pattern`` narrows either. lxml's HTML parser already accepts unquoted ``href`` values,
    which Chinese and older government CMSs emit.
    """
    if listing is not None and listing.link_selector:
        base = get_base_url(response)
        candidates = [join_url(base, href) for href in _select_hrefs(response, listing.link_selector)]
    else:
        candidates = _page_links(response) if isinstance(response, HtmlResponse) else []
        root = root if root is not None or not candidates else page_tree(response)
        pager = pager_links(response, root) if candidates else set()
        if content_only and candidates:
            content = {_key(url) for url in content_links(response, root)}
            candidates = [url for url in candidates if _key(url) in content or _key(url) is None]
        candidates = [
            url
            for url in candidates
            if not NON_ARTICLE.search(url)
            and url.split("#", 1)[0] not in pager
            and not _another_page_of(url, response.url)
        ]
    if listing is not None and listing.link_pattern:
        pattern = re.compile(listing.link_pattern)
        candidates = [url for url in candidates if pattern.search(url)]
    candidates = [url.split("#", 1)[0] for url in candidates if url.lower().startswith(("http:", "https:"))]
    return list(dict.fromkeys(candidates))


def next_page(
    response: TextResponse, listing: Listing, page_number: int, root: lxml_html.HtmlElement | None = None
) -> str | None:
    """The URL of the page after ``page_number``: by URL template, by next-link selector, else as
    ``next_page_link`` finds it.

    Not checked, as ``article_links``: the caller passes it through the URL gate.
    """
    if listing.page_url:
        return listing.page_url.replace("{n}", str(page_number + 1))
    if listing.next_selector:
        hrefs = _select_hrefs(response, listing.next_selector)
        return join_url(response.url, hrefs[0]) if hrefs else None
    return next_page_link(response, root)
