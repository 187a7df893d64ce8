"""Small regulator and press sites in the shapes of real CMSs, made in Python and served from memory.

One site a pattern of pagination, each with the quirks its CMS has in the wild, and a manifest of
what a complete crawl stores (``Manifest``): its articles, its documents and the page citing each.

* ``drupal``: Drupal 10 views, ``?page=N`` from 0 in a query-only ``href``, ``rel=next`` on the
  pager's ``<a>``; a "Decisions" table of PDFs, one served as ``application/octet-stream``, one
  from ``/system/files/`` without an extension; teasers linked with ``utm_*``; ``/node/42``,
  another URL of an article, whose ``rel=canonical`` names the alias.
* ``wordpress``: ``/news/page/N/`` with absolute ``href``, ``<link rel=next>`` (Yoast) and
  ``a.next.page-numbers``; links without the trailing slash answer 301 to it; a ``/?p=N`` short
  link answers 301 to the post; a sitemap in robots.txt; a PDF linked from one post only.
* ``typo3``: the news extension's page browser ``tx_news_pi1[@widget_0][currentPage]=N`` with a
  ``cHash``, "nächste"; a press section on the route enhancer's ``/page-N`` with a "›" link; a
  DOCX cited by a press release; articles marked by one ``<article>`` with a ``<time>``.
* ``sitecore``: ``?page=N&year=all``, the next link an icon whose only name is
  ``aria-label="Next page"``; JSON-LD articles; an article also linked with ``?sc_lang=en``
  (``rel=canonical`` names the plain form); a decision from the media library
  (``/~/media/...``) without an extension, as ``application/octet-stream``.
* ``aspnet``: ``News.aspx?pg=N`` links (no postback) with "Next &gt;" on every page, the one past
  the end answering 404; articles at ``News.aspx?id=N``, the listing's own path.
* ``static``: ``index.htm``, ``index_1.htm``, ... with "下一页" on every page; the page past the
  end answers 200 with an empty list; unquoted ``href`` values.
* ``loadmore``: a "Show more news" link that loads the next chunk, an HTML fragment.
* ``relnext``: the next page only in the ``<head>`` (``<link rel=next>``) on one section, only in
  an ``<a rel=next>`` with an arrow on another.
* ``numbers``: a pager of numbers only, the current one in ``<b>`` with no class.

Every page has a header menu and a footer; the footer links an accessibility statement PDF that
no crawl should fetch (it is no page's content). ``build(name, base)`` returns the site; serve its
``routes`` with ``RouteServer``.
"""

# ruff: noqa: E501 - page markup is kept on one line a tag, as the CMSs write it

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from tests.mockserver.fault_pages import minimal_pdf
from tests.mockserver.routes import Reply, Route, RouteHandler

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Sentences the article texts are made of; each article takes its own run of them, so no two
# articles are near-duplicates of each other.
SENTENCES = (
    "The authority examined how the provider stores personal data of users in third countries.",
    "Investigators found that backups were replicated to a data centre outside the European Union.",
    "The controller had not carried out a transfer impact assessment before the migration began.",
    "Customers were told that their data stayed in the region, which turned out not to be the case.",
    "The decision orders the company to bring its processing into conformity within six months.",
    "A fine was imposed, taking into account the number of people affected and the duration.",
    "The regulator also published guidance for public bodies that procure cloud services.",
    "Hospitals and municipalities asked how to evaluate the sovereignty claims of vendors.",
    "The guidance explains which contractual clauses are needed and which audits are expected.",
    "Encryption keys held by the customer reduce, but do not remove, the risk of foreign access.",
    "The consultation received contributions from industry, academia and civil society groups.",
    "Several respondents asked for a certification scheme with clear and testable requirements.",
    "The ministry announced that it will review the framework for government data next year.",
    "Parliament is expected to debate the draft law on data localisation in the spring session.",
    "Observers note that the rules mirror similar initiatives in neighbouring jurisdictions.",
    "The authority will present the results of its inquiry at a press conference next week.",
    "Small businesses are given a longer period to adapt their contracts with processors.",
    "Officials stressed that access requests from foreign agencies must be reported promptly.",
    "The board adopted its opinion unanimously after three rounds of discussion with members.",
    "Companies that ignore the order face periodic penalty payments for each day of delay.",
    "The report lists twelve recommendations, from data mapping to exit strategies for cloud.",
    "Citizens may lodge a complaint if they believe their data has been transferred unlawfully.",
    "The court will hear the appeal of the provider against the decision in the autumn.",
    "A working group will follow up on the implementation together with the sector regulators.",
)


@dataclass
class Manifest:
    """What a complete crawl of the site stores, as paths (with query) on the site."""

    articles: set[str] = field(default_factory=set)
    # document path -> path of the page that cites it (its ``found_on``)
    documents: dict[str, str] = field(default_factory=dict)
    # paths no crawl may request (a footer PDF, a page past the end that nothing should reach)
    never: set[str] = field(default_factory=set)
    # other URLs of a stored article (a redirecting link, a form its rel=canonical names): fetched
    # at most once, by the first crawl, and never stored
    aliases: set[str] = field(default_factory=set)


@dataclass
class CmsSite:
    name: str
    start: str  # the path ``monitor crawl`` starts from
    routes: dict[str, Route]
    manifest: Manifest
    # ``listings`` of a sources.yaml entry for ``monitor run`` (each ``url`` a path on the site).
    listings: list[dict[str, object]] = field(default_factory=list)


def article_text(seed: int, count: int = 4) -> list[str]:
    """``count`` paragraphs of two sentences, a different run for each seed."""
    start = (seed * 5) % len(SENTENCES)
    return [
        " ".join(SENTENCES[(start + 2 * index + offset) % len(SENTENCES)] for offset in range(2))
        + f" (Reference {seed}-{index}.)"
        for index in range(count)
    ]


def minimal_docx(title: str, paragraphs: list[str]) -> bytes:
    """A Word document as Word writes its skeleton: content types, relationships, the main part
    and the core properties (``dc:title``)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{html.escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            "<?xml version='1.0' encoding='UTF-8'?><Types xmlns='http://schemas.openxmlformats.org/package/2006/"
            "content-types'><Default Extension='rels' ContentType='application/vnd.openxmlformats-package."
            "relationships+xml'/><Default Extension='xml' ContentType='application/xml'/><Override PartName="
            "'/word/document.xml' ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml."
            "document.main+xml'/></Types>"
        ),
        "_rels/.rels": (
            "<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas.openxmlformats.org/"
            "package/2006/relationships'><Relationship Id='rId1' Type='http://schemas.openxmlformats.org/"
            "officeDocument/2006/relationships/officeDocument' Target='word/document.xml'/></Relationships>"
        ),
        "word/document.xml": f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{w}'><w:body>{body}"
        "</w:body></w:document>",
        "docProps/core.xml": (
            "<?xml version='1.0' encoding='UTF-8'?><cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/"
            "package/2006/metadata/core-properties' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
            f"<dc:title>{html.escape(title)}</dc:title></cp:coreProperties>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def pdf(title: str, seed: int) -> bytes:
    return minimal_pdf(f"{title}. " + " ".join(article_text(seed, 1)))


# -- serving ---------------------------------------------------------------------------
Page = Callable[[dict[str, str]], Reply]  # query parameters -> reply


class Routes:
    """Paths to pages; a page gets the request's query parameters (percent-decoded)."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}

    def add(self, path: str, page: Page | Reply | bytes) -> None:
        if isinstance(page, bytes):
            body = page
            self.pages[path] = lambda query: Reply(200, body)
        elif isinstance(page, Reply):
            reply = page
            self.pages[path] = lambda query: reply
        else:
            self.pages[path] = page

    def table(self) -> dict[str, Route]:
        def route(handler: RouteHandler) -> Reply:
            parts = urlsplit(handler.path)
            page = self.pages.get(parts.path)
            if page is None:
                return Reply(404, b"<html><body><h1>Not found</h1></body></html>")
            return page(dict(parse_qsl(parts.query, keep_blank_values=True)))

        return {path: route for path in self.pages}


def redirect(location: str) -> Reply:
    return Reply(301, b"", headers={"Location": location})


def document(body: bytes, content_type: str, filename: str | None = None) -> Reply:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    return Reply(200, body, headers=headers, content_type=content_type)


def paged(pages: Mapping[str, Reply | bytes], parameter: str, default: str, missing: Reply | None = None) -> Page:
    """A page answering by one query parameter's value (``default`` when absent)."""

    def answer(query: dict[str, str]) -> Reply:
        value = query.get(parameter, default)
        found = pages.get(value)
        if found is None:
            return missing or Reply(404, b"<html><body><h1>Not found</h1></body></html>")
        return found if isinstance(found, Reply) else Reply(200, found)

    return answer


def document_html(title: str, body: str, head: str = "", lang: str = "en", chrome: tuple[str, str] = ("", "")) -> bytes:
    header, footer = chrome
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<link rel='stylesheet' href='/assets/site.css'>{head}</head><body>{header}{body}{footer}</body></html>"
    ).encode()


def chrome(menu: list[tuple[str, str]], footer_links: list[tuple[str, str]]) -> tuple[str, str]:
    items = "".join(f"<li><a href='{href}'>{html.escape(label)}</a></li>" for href, label in menu)
    footer = "".join(f"<a href='{href}'>{html.escape(label)}</a> " for href, label in footer_links)
    return (
        f"<header class='site-header'><a class='logo' href='/'>Home</a><nav class='main-menu'><ul>{items}</ul></nav>"
        "</header>",
        f"<footer class='site-footer'>{footer}</footer>",
    )


def paragraphs(seed: int) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in article_text(seed))


# -- the sites -------------------------------------------------------------------------
def drupal(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome(
        [
            ("/en/news", "News"),
            ("/en/decisions", "Decisions"),
            ("/en/about-us", "About us"),
            ("/en/contact", "Contact"),
        ],
        [
            ("/sites/default/files/accessibility-statement.pdf", "Accessibility statement (PDF)"),
            ("/en/privacy", "Privacy"),
        ],
    )
    m.never.add("/sites/default/files/accessibility-statement.pdf")
    slugs = [
        "dpc-fines-cloud-provider",
        "transfer-impact-guidance",
        "hospital-data-inquiry",
        "annual-report-2026",
        "municipal-cloud-audit",
        "encryption-key-opinion",
    ]
    for number, slug in enumerate(slugs):
        path = f"/en/news/{slug}"
        extra = ""
        if slug == "annual-report-2026":
            # Cited by this press release only.
            extra = (
                "<p>Read the <a href='/sites/default/files/2026-04/annual-report-summary.pdf'>summary of the "
                "annual report</a> (PDF, 310 KB).</p>"
            )
            m.documents["/sites/default/files/2026-04/annual-report-summary.pdf"] = path
            r.add(
                "/sites/default/files/2026-04/annual-report-summary.pdf",
                document(pdf("Annual report summary", 40), "application/pdf"),
            )
        head = (
            f"<link rel='canonical' href='{base}{path}'><meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='2026-0{number + 1}-12T09:00:00+01:00'>"
        )
        body = (
            f"<main role='main'><article class='node node--type-news'><h1>{slug.replace('-', ' ').title()}</h1>"
            f"<div class='field--name-body'>{paragraphs(number)}{extra}</div></article></main>"
        )
        page = document_html(slug, body, head, chrome=frame)
        r.add(path, page)
        m.articles.add(path)
        if slug == "transfer-impact-guidance":
            r.add("/node/42", page)  # the node's system path: same page, canonical names the alias
            m.aliases.add("/node/42")

    def teaser(slug: str, href: str | None = None) -> str:
        return (
            f"<div class='views-row'><article class='node--view-mode-teaser'><h3><a href='{href or '/en/news/' + slug}'>"
            f"{slug.replace('-', ' ').title()}</a></h3><time datetime='2026-01-01'>1 January 2026</time></article></div>"
        )

    def pager(current: int, last: int) -> str:
        items = []
        for number in range(last + 1):
            if number == current:
                items.append(
                    f"<li class='pager__item is-active'><a href='?page={number}' title='Current page' "
                    f"aria-current='page'>{number + 1}</a></li>"
                )
            else:
                items.append(
                    f"<li class='pager__item'><a href='?page={number}' title='Go to page {number + 1}'>{number + 1}</a></li>"
                )
        if current < last:
            items.append(
                f"<li class='pager__item pager__item--next'><a href='?page={current + 1}' title='Go to next page' "
                "rel='next'><span class='visually-hidden'>Next page</span><span aria-hidden='true'>››</span></a></li>"
                f"<li class='pager__item pager__item--last'><a href='?page={last}' title='Go to last page'>"
                "<span aria-hidden='true'>Last »</span></a></li>"
            )
        return f"<nav class='pager' role='navigation' aria-label='Pagination'><ul class='pager__items js-pager__items'>{''.join(items)}</ul></nav>"

    listing_pages = {}
    rows = [slugs[0:2], slugs[2:4], slugs[4:6]]
    for number, row in enumerate(rows):
        teasers = "".join(teaser(slug) for slug in row)
        if number == 1:
            teasers += teaser("transfer-impact-guidance", "/node/42")  # "related": the system path
        body = f"<main role='main'><h1>News</h1><div class='view-content'>{teasers}</div>{pager(number, 2)}</main>"
        listing_pages[str(number)] = document_html("News", body, chrome=frame)
    empty = document_html("News", "<main role='main'><h1>News</h1><p>No news found.</p></main>", chrome=frame)
    r.add("/en/news", paged(listing_pages, "page", "0", Reply(200, empty)))

    decisions = [
        ("/sites/default/files/decisions/2026-03-cloud-decision.pdf", "application/octet-stream", "Decision on cloud"),
        ("/system/files/decisions/decision-2026-05", "application/pdf", "Decision on transfers"),
    ]
    rows_html = ""
    for number, (path, content_type, title) in enumerate(decisions):
        filename = path.rsplit("/", 1)[-1] + ("" if path.endswith(".pdf") else ".pdf")
        r.add(path, document(pdf(title, 50 + number), content_type, filename))
        m.documents[path] = "/en/decisions"
        rows_html += f"<tr><td>2026-0{number + 3}-01</td><td><a href='{path}'>{title}</a> (PDF)</td></tr>"
    r.add(
        "/en/decisions",
        document_html(
            "Decisions",
            f"<main role='main'><h1>Decisions</h1><table class='views-table'><tbody>{rows_html}</tbody></table></main>",
            chrome=frame,
        ),
    )
    home = (
        "<main role='main'><h1>Data Protection Commission</h1><section class='latest'>"
        + teaser("dpc-fines-cloud-provider", "/en/news/dpc-fines-cloud-provider?utm_source=homepage&utm_medium=teaser")
        + teaser("transfer-impact-guidance", "/en/news/transfer-impact-guidance#main-content")
        + "</section></main>"
    )
    r.add("/", document_html("Data Protection Commission", home, chrome=frame))
    listings: list[dict[str, object]] = [{"url": "/en/news", "first_page": 0, "max_pages": 5}, {"url": "/en/decisions"}]
    return CmsSite("drupal", "/", r.table(), m, listings)


def wordpress(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome(
        [("/news/", "News"), ("/about/", "About")], [("/wp-content/uploads/accessibility.pdf", "Accessibility (PDF)")]
    )
    m.never.add("/wp-content/uploads/accessibility.pdf")
    posts = [
        ("2026/06", "sovereign-cloud-tender", 101),
        ("2026/05", "minister-data-embassy", 102),
        ("2026/05", "joint-statement-data-flows", 103),
        ("2026/04", "court-ruling-transfers", 104),
        ("2026/03", "parliament-localisation-bill", 105),
        ("2026/02", "regulator-warns-hospitals", 106),
    ]
    for number, (month, slug, post_id) in enumerate(posts):
        path = f"/{month}/{slug}/"
        extra = ""
        if slug == "joint-statement-data-flows":
            extra = (
                f"<p>Download the <a href='{base}/wp-content/uploads/2026/05/joint-statement.pdf'>joint statement"
                "</a>.</p>"
            )
            m.documents["/wp-content/uploads/2026/05/joint-statement.pdf"] = path
            r.add(
                "/wp-content/uploads/2026/05/joint-statement.pdf",
                document(pdf("Joint statement", 60), "application/pdf"),
            )
        head = (
            f"<link rel='canonical' href='{base}{path}'><link rel='shortlink' href='{base}/?p={post_id}'>"
            f"<meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='2026-0{6 - number}-02T08:00:00+00:00'>"
        )
        body = (
            f"<div id='content' class='site-content'><main id='main'><article id='post-{post_id}' class='post'>"
            f"<h1 class='entry-title'>{slug.replace('-', ' ').title()}</h1><div class='entry-content'>"
            f"{paragraphs(10 + number)}{extra}</div></article>"
            "<aside class='comments'><p>3 comments</p></aside></main></div>"
        )
        r.add(path, document_html(slug, body, head, chrome=frame))
        r.add(path.rstrip("/"), redirect(f"{base}{path}"))
        m.aliases.add(path.rstrip("/"))
        m.articles.add(path)
    r.add("/", paged({"101": redirect(f"{base}/2026/06/sovereign-cloud-tender/")}, "p", "", None))
    m.aliases.add("/?p=101")

    def archive(page: int, last: int, chunk: list[tuple[str, str, int]]) -> bytes:
        items = ""
        for month, slug, _post_id in chunk:
            href = f"{base}/{month}/{slug}" if page == 1 else f"{base}/{month}/{slug}/"  # page 1: no slash
            items += f"<article class='post'><h2 class='entry-title'><a href='{href}' rel='bookmark'>{slug}</a></h2></article>"
        links = []
        for number in range(1, last + 1):
            href = f"{base}/news/" if number == 1 else f"{base}/news/page/{number}/"
            links.append(
                f"<span aria-current='page' class='page-numbers current'>{number}</span>"
                if number == page
                else f"<a class='page-numbers' href='{href}'>{number}</a>"
            )
        head = ""
        if page < last:
            links.append(f"<a class='next page-numbers' href='{base}/news/page/{page + 1}/'>Next &raquo;</a>")
            head = f"<link rel='next' href='{base}/news/page/{page + 1}/'>"
        if page > 1:
            prev = f"{base}/news/" if page == 2 else f"{base}/news/page/{page - 1}/"
            links.insert(0, f"<a class='prev page-numbers' href='{prev}'>&laquo; Previous</a>")
            head += f"<link rel='prev' href='{prev}'>"
        nav = (
            f"<nav class='navigation pagination' aria-label='Posts'><div class='nav-links'>{''.join(links)}</div></nav>"
        )
        if page == last:  # a "featured" block that links a post by its short link, which redirects
            items += f"<aside class='featured'><a href='{base}/?p=101'>Featured: the tender</a></aside>"
        body = f"<div id='content'><main id='main'><h1 class='page-title'>News</h1>{items}{nav}</main></div>"
        return document_html("News", body, head, chrome=frame)

    chunks = [posts[0:2], posts[2:4], posts[4:6]]
    for page, chunk in enumerate(chunks, start=1):
        r.add("/news/" if page == 1 else f"/news/page/{page}/", archive(page, 3, chunk))
    m.never.add("/news/page/4/")
    sitemap = "".join(f"<url><loc>{base}/{month}/{slug}/</loc></url>" for month, slug, _ in posts[:3])
    r.add(
        "/wp-sitemap-posts-post-1.xml",
        Reply(
            200,
            f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{sitemap}</urlset>".encode(),
            content_type="application/xml",
        ),
    )
    r.add(
        "/robots.txt",
        Reply(
            200,
            f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {base}/wp-sitemap-posts-post-1.xml\n".encode(),
            content_type="text/plain",
        ),
    )
    home = (
        "<div id='content'><main id='main'><h1>Digital Policy Press</h1>"
        f"<article class='post'><h2><a href='{base}/2026/06/sovereign-cloud-tender/'>Tender</a></h2></article>"
        f"<article class='post'><h2><a href='{base}/2026/05/minister-data-embassy/?utm_source=twitter&fbclid=IwAR0x'>"
        "Embassy</a></h2></article></main></div>"
    )
    r.pages["/"] = _with_home(r.pages["/"], document_html("Digital Policy Press", home, chrome=frame))
    return CmsSite("wordpress", "/", r.table(), m)


def _with_home(shortlinks: Page, home: bytes) -> Page:
    """WordPress's front page: ``/?p=N`` redirects to the post, ``/`` is the home page."""

    def answer(query: dict[str, str]) -> Reply:
        return shortlinks(query) if "p" in query else Reply(200, home)

    return answer


def typo3(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome(
        [("/aktuelles/", "Aktuelles"), ("/presse/", "Presse"), ("/impressum/", "Impressum")],
        [("/fileadmin/user_upload/barrierefreiheit.pdf", "Erklärung zur Barrierefreiheit (PDF)")],
    )
    m.never.add("/fileadmin/user_upload/barrierefreiheit.pdf")

    def article(slug: str, seed: int, extra: str = "") -> bytes:
        body = (
            "<div id='content'><div class='news news-single'><article class='article' itemscope>"
            f"<h1 itemprop='headline'>{slug.replace('-', ' ').title()}</h1>"
            f"<time itemprop='datePublished' datetime='2026-05-{10 + seed % 10:02d}'>{10 + seed % 10}.05.2026</time>"
            f"<div class='news-text-wrap' itemprop='articleBody'>{paragraphs(20 + seed)}{extra}</div></article></div></div>"
        )
        return document_html(slug, body, lang="de", chrome=frame)

    news = ["cloud-pruefung-kommunen", "bussgeld-gesundheitsdaten", "leitfaden-drittstaaten", "taetigkeitsbericht-2026"]
    for seed, slug in enumerate(news):
        path = f"/aktuelles/detail/{slug}/"
        r.add(path, article(slug, seed))
        m.articles.add(path)
    widget = "tx_news_pi1%5B%40widget_0%5D%5BcurrentPage%5D"

    def browser(page: int, last: int) -> str:
        items = []
        for number in range(1, last + 1):
            href = f"/aktuelles/?{widget}={number}&amp;cHash=c{number}f3a9" if number > 1 else "/aktuelles/"
            items.append(
                f"<li class='current'>{number}</li>" if number == page else f"<li><a href='{href}'>{number}</a></li>"
            )
        if page < last:
            items.append(
                f"<li class='next'><a href='/aktuelles/?{widget}={page + 1}&amp;cHash=c{page + 1}f3a9'>nächste</a></li>"
            )
        return f"<div class='news-list-browse'><div class='page-navigation'><ul class='f3-widget-paginator'>{''.join(items)}</ul></div></div>"

    pages = {}
    for page, chunk in enumerate([news[0:2], news[2:4]], start=1):
        items = "".join(
            f"<div class='article articletype-0'><h3><a href='/aktuelles/detail/{slug}/' title='{slug}'>{slug}</a></h3></div>"
            for slug in chunk
        )
        pages[str(page)] = document_html(
            "Aktuelles",
            f"<div id='content'><div class='news'><div class='news-list-view'>{items}</div>{browser(page, 2)}</div></div>",
            lang="de",
            chrome=frame,
        )
    r.add("/aktuelles/", paged(pages, "tx_news_pi1[@widget_0][currentPage]", "1"))

    press = ["stellungnahme-cloud-gesetz", "datenschutzkonferenz-beschluss"]
    for seed, slug in enumerate(press):
        path = f"/presse/{slug}"
        extra = ""
        if slug == "stellungnahme-cloud-gesetz":
            extra = (
                "<p class='download'><a href='/fileadmin/user_upload/stellungnahme-cloud.docx' "
                "title='Stellungnahme herunterladen'>Stellungnahme (DOCX, 24 KB)</a></p>"
            )
            docx = minimal_docx(
                "Stellungnahme zum Cloud-Gesetz",
                ["Stellungnahme der Landesbeauftragten zum Entwurf des Cloud-Gesetzes.", *article_text(70)],
            )
            r.add("/fileadmin/user_upload/stellungnahme-cloud.docx", document(docx, DOCX_TYPE))
            m.documents["/fileadmin/user_upload/stellungnahme-cloud.docx"] = path
        r.add(path, article(slug, 5 + seed, extra))
        m.articles.add(path)

    def press_page(page: int) -> bytes:
        slug = press[page - 1]
        items = f"<div class='article'><h3><a href='/presse/{slug}'>{slug}</a></h3></div>"
        nav = "<nav aria-label='Seitennummerierung'><ul class='pagination'>"
        for number in (1, 2):
            href = "/presse/" if number == 1 else f"/presse/page-{number}"
            nav += (
                f"<li class='page-item active'><span class='page-link'>{number}</span></li>"
                if number == page
                else f"<li class='page-item'><a class='page-link' href='{href}'>{number}</a></li>"
            )
        if page == 1:
            nav += "<li class='page-item'><a class='page-link' href='/presse/page-2'>›</a></li>"
        nav += "</ul></nav>"
        return document_html(
            "Presse", f"<div id='content'><div class='news-list-view'>{items}</div>{nav}</div>", lang="de", chrome=frame
        )

    r.add("/presse/", press_page(1))
    r.add("/presse/page-2", press_page(2))
    r.add(
        "/",
        document_html(
            "Landesbeauftragte",
            "<div id='content'><h1>Willkommen</h1><p>Die Landesbeauftragte.</p></div>",
            lang="de",
            chrome=frame,
        ),
    )
    return CmsSite("typo3", "/", r.table(), m)


def sitecore(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome(
        [("/en/news", "News"), ("/en/about", "About the agency")],
        [("/-/media/files/accessibility.pdf?la=en", "Accessibility (PDF)")],
    )
    m.never.add("/-/media/files/accessibility.pdf?la=en")
    slugs = ["agency-cloud-strategy", "data-act-implementation", "procurement-guidance", "supervision-results"]
    for seed, slug in enumerate(slugs):
        path = f"/en/news/{slug}"
        extra = ""
        if slug == "supervision-results":
            extra = "<p><a href='/~/media/files/decisions/cloud-decision-2026'>Read the decision (PDF, 120 KB)</a></p>"
            r.add(
                "/~/media/files/decisions/cloud-decision-2026",
                document(pdf("Supervision decision", 80), "application/octet-stream"),
            )
            m.documents["/~/media/files/decisions/cloud-decision-2026"] = path
        head = (
            f"<link rel='canonical' href='{base}{path}'><script type='application/ld+json'>"
            f'{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{slug}","datePublished":"2026-04-0{seed + 1}"}}'
            "</script>"
        )
        body = f"<main id='main-content'><div class='article-page'><h1>{slug.replace('-', ' ').title()}</h1>{paragraphs(30 + seed)}{extra}</div></main>"
        page = document_html(slug, body, head, chrome=frame)
        r.add(path, page)  # also answers ?sc_lang=en, as Sitecore does
        m.articles.add(path)

    def listing(page: int) -> bytes:
        chunk = slugs[(page - 1) * 2 : page * 2]
        cards = "".join(
            f"<div class='news-card'><a class='news-card__link' href='/en/news/{s}'>{s}</a></div>" for s in chunk
        )
        if page == 2:
            m.aliases.add(f"/en/news/{slugs[0]}?sc_lang=en")
            cards += f"<div class='news-card'><a class='news-card__link' href='/en/news/{slugs[0]}?sc_lang=en'>{slugs[0]}</a></div>"
        nav = "<nav class='pagination'>"
        for number in (1, 2):
            attrs = " aria-current='page'" if number == page else ""
            nav += f"<a class='pagination__link' href='?page={number}&amp;year=all'{attrs}>{number}</a>"
        if page == 1:
            nav += (
                "<a class='pagination__link pagination__link--next' aria-label='Next page' href='?page=2&amp;year=all'>"
                "<svg class='icon'><use href='#chevron-right'></use></svg></a>"
            )
        nav += "</nav>"
        return document_html(
            "News",
            f"<main id='main-content'><h1>News</h1><div class='news-list'>{cards}</div>{nav}</main>",
            chrome=frame,
        )

    r.add("/en/news", paged({"1": listing(1), "2": listing(2)}, "page", "1"))
    r.add(
        "/",
        document_html(
            "Agency", "<main id='main-content'><h1>Agency</h1><a href='/en/news'>All news</a></main>", chrome=frame
        ),
    )
    return CmsSite("sitecore", "/", r.table(), m)


def aspnet(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome(
        [("News.aspx", "News"), ("Contact.aspx", "Contact")], [("Docs/Accessibility.pdf", "Accessibility (PDF)")]
    )
    m.never.add("/Docs/Accessibility.pdf")
    ids = [101, 102, 103, 104, 105, 106]
    articles: dict[str, bytes] = {}
    for seed, item in enumerate(ids):
        head = f"<meta name='DC.date' content='2026-03-{10 + seed}'><meta name='DC.title' content='Release {item}'>"
        body = (
            "<form id='aspnetForm' method='post' action='News.aspx'><input type='hidden' name='__VIEWSTATE' value='dDwt'>"
            f"<div id='ctl00_MainContent'><h1>Press release {item}</h1><span class='date'>{10 + seed}/03/2026</span>"
            f"{paragraphs(40 + seed)}</div></form>"
        )
        articles[str(item)] = document_html(f"Release {item}", body, head, chrome=frame)
        m.articles.add(f"/News.aspx?id={item}")

    def listing(page: int) -> bytes:
        chunk = ids[(page - 1) * 2 : page * 2]
        rows = "".join(f"<tr><td><a href='News.aspx?id={item}'>Press release {item}</a></td></tr>" for item in chunk)
        links = " ".join(
            f"<span>{number}</span>" if number == page else f"<a href='News.aspx?pg={number}'>{number}</a>"
            for number in (1, 2, 3)
        )
        pager = (
            f"<div class='pager'>{links} <a href='News.aspx?pg={page + 1}'>Next &gt;</a> "
            "<a href=\"javascript:__doPostBack('ctl00$MainContent$Pager','Last')\">Last &gt;&gt;</a></div>"
        )
        body = f"<form id='aspnetForm'><div id='ctl00_MainContent'><h1>News</h1><table class='grid'>{rows}</table>{pager}</div></form>"
        return document_html("News", body, chrome=frame)

    def news(query: dict[str, str]) -> Reply:
        if "id" in query:
            found = articles.get(query["id"])
            return Reply(200, found) if found else Reply(404, b"<html><body>Not found</body></html>")
        page = int(query.get("pg", "1")) if query.get("pg", "1").isdigit() else 0
        if not 1 <= page <= 3:
            return Reply(404, b"<html><body><h1>Page not found</h1></body></html>")
        return Reply(200, listing(page))

    r.add("/News.aspx", news)
    m.never.add("/News.aspx?pg=5")
    home = (
        "<form id='aspnetForm'><div id='ctl00_MainContent'><h1>Ministry</h1>"
        "<p><a href='News.aspx?id=101&amp;utm_campaign=may&amp;utm_source=newsletter'>Latest release</a></p></div></form>"
    )
    r.add("/", document_html("Ministry", home, chrome=frame))
    r.add("/Default.aspx", redirect(f"{base}/"))
    return CmsSite("aspnet", "/", r.table(), m)


def static(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    menu = "<div class=nav><a href=/>首页</a> <a href=/xwfb/index.htm>新闻发布</a> <a href=/gywm/index.htm>关于我们</a></div>"
    foot = "<div class=foot><a href=/images/wza.pdf>无障碍声明(PDF)</a></div>"
    m.never.add("/images/wza.pdf")
    items = [f"/xwfb/2026-05/{day:02d}/c_{1000 + day}.htm" for day in (3, 7, 11, 15, 19, 23)]
    for seed, path in enumerate(items):
        head = f"<meta name=PubDate content='2026-05-{3 + 4 * seed:02d} 10:00'><meta name=ContentSource content=新闻办>"
        text = "".join(f"<p>{html.escape(p)}</p>" for p in article_text(50 + seed))
        body = f"<div class=article><h1>通知 {seed}</h1>{text}</div>"
        r.add(path, document_html(f"通知 {seed}", menu + body + foot, head, lang="zh"))
        m.articles.add(path)

    def page(number: int) -> bytes:
        chunk = items[number * 2 : number * 2 + 2]
        rows = "".join(
            f"<li><a href=../xwfb/{p.split('/xwfb/')[1]} target=_blank>通知</a><span>2026-05</span></li>" for p in chunk
        )
        following = f"index_{number + 1}.htm"
        previous = "index.htm" if number == 1 else f"index_{number - 1}.htm"
        pager = f"<div class=page><a href=index.htm>首页</a> <a href={previous}>上一页</a> <a href={following}>下一页</a> <a href=index_2.htm>尾页</a></div>"
        return document_html("新闻发布", menu + f"<div class=list><ul>{rows}</ul>{pager}</div>" + foot, lang="zh")

    r.add("/xwfb/index.htm", page(0))
    r.add("/xwfb/index_1.htm", page(1))
    r.add("/xwfb/index_2.htm", page(2))
    r.add("/xwfb/index_3.htm", page(3))  # past the end: 200 and an empty list
    m.never.add("/xwfb/index_4.htm")
    r.add("/", document_html("首页", menu + "<div class=list><p>欢迎</p></div>" + foot, lang="zh"))
    r.add(
        "/gywm/index.htm", document_html("关于我们", menu + "<div class=list><p>关于我们</p></div>" + foot, lang="zh")
    )
    return CmsSite("static", "/", r.table(), m)


def loadmore(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome(
        [("/newsroom/", "Newsroom"), ("/about/", "About")], [("/files/accessibility.pdf", "Accessibility (PDF)")]
    )
    m.never.add("/files/accessibility.pdf")
    slugs = [f"statement-{n}" for n in range(1, 8)]
    for seed, slug in enumerate(slugs):
        path = f"/newsroom/{slug}"
        head = f"<meta property='og:type' content='article'><meta property='article:published_time' content='2026-02-{seed + 1:02d}T10:00:00Z'>"
        r.add(
            path,
            document_html(
                slug,
                f"<main><article><h1>Statement {seed + 1}</h1>{paragraphs(60 + seed)}</article></main>",
                head,
                chrome=frame,
            ),
        )
        m.articles.add(path)

    def cards(chunk: list[str]) -> str:
        return "".join(f"<div class='news-item'><a href='/newsroom/{slug}'>{slug}</a></div>" for slug in chunk)

    def more(offset: int) -> str:
        if offset >= len(slugs):
            return ""
        return f"<div class='news-more'><a class='btn js-load-more' href='/newsroom/more?offset={offset}' data-target='#news'>Show more news</a></div>"

    first = f"<main><h1>Newsroom</h1><div id='news'>{cards(slugs[:3])}</div>{more(3)}</main>"
    r.add("/newsroom/", document_html("Newsroom", first, chrome=frame))
    chunks = {str(offset): (cards(slugs[offset : offset + 3]) + more(offset + 3)).encode() for offset in (3, 6)}
    r.add("/newsroom/more", paged(chunks, "offset", "3"))
    r.add("/", document_html("Newsroom", "<main><a href='/newsroom/'>Newsroom</a></main>", chrome=frame))
    return CmsSite("loadmore", "/", r.table(), m)


def relnext(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome(
        [("/press/", "Press"), ("/speeches/", "Speeches")], [("/docs/accessibility.pdf", "Accessibility (PDF)")]
    )
    m.never.add("/docs/accessibility.pdf")
    press = [f"/press/2026/release-{n}.html" for n in range(1, 5)]
    speeches = [f"/speeches/2026/speech-{n}.html" for n in range(1, 4)]
    for seed, path in enumerate(press + speeches):
        head = f"<meta property='article:published_time' content='2026-01-{seed + 1:02d}T10:00:00Z'>"
        r.add(
            path, document_html(path, f"<main><h1>Item {seed}</h1>{paragraphs(80 + seed)}</main>", head, chrome=frame)
        )
        m.articles.add(path)
    for number in (1, 2):
        chunk = press[(number - 1) * 2 : number * 2]
        head = f"<link rel='next' href='/press/{number + 1}'>" if number == 1 else "<link rel='prev' href='/press/'>"
        links = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in chunk)
        r.add(
            "/press/" if number == 1 else f"/press/{number}",
            document_html("Press", f"<main><ul class='items'>{links}</ul></main>", head, chrome=frame),
        )
    first = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in speeches[:2])
    r.add(
        "/speeches/",
        paged(
            {
                "0": document_html(
                    "Speeches",
                    f"<main><ul>{first}</ul><p class='more'><a rel='next' href='?start=10'>→</a></p></main>",
                    chrome=frame,
                ),
                "10": document_html(
                    "Speeches",
                    f"<main><ul><li><a href='{speeches[2]}'>{speeches[2]}</a></li></ul></main>",
                    chrome=frame,
                ),
            },
            "start",
            "0",
        ),
    )
    r.add("/", document_html("Office", "<main><p>Welcome.</p></main>", chrome=frame))
    return CmsSite("relnext", "/", r.table(), m)


def numbers(base: str) -> CmsSite:
    r, m = Routes(), Manifest()
    frame = chrome([("/publications/", "Publications")], [("/pdf/accessibility.pdf", "Accessibility (PDF)")])
    m.never.add("/pdf/accessibility.pdf")
    items = [f"/publications/report-{n}" for n in range(1, 7)]
    for seed, path in enumerate(items):
        head = f"<meta name='dcterms.date' content='2025-11-{seed + 1:02d}'>"
        r.add(
            path,
            document_html(
                path, f"<div id='body'><h1>Report {seed}</h1>{paragraphs(90 + seed)}</div>", head, chrome=frame
            ),
        )
        m.articles.add(path)

    def page(number: int) -> bytes:
        chunk = items[(number - 1) * 2 : number * 2]
        rows = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in chunk)
        pages = " ".join(
            f"<b>{n}</b>" if n == number else f"<a href='/publications/{'' if n == 1 else f'?pg={n}'}'>{n}</a>"
            for n in (1, 2, 3)
        )
        return document_html(
            "Publications", f"<div id='body'><ul>{rows}</ul><p class='pages'>Page: {pages}</p></div>", chrome=frame
        )

    r.add("/publications/", paged({"1": page(1), "2": page(2), "3": page(3)}, "pg", "1"))
    r.add(
        "/", document_html("Institute", "<div id='body'><a href='/publications/'>Publications</a></div>", chrome=frame)
    )
    return CmsSite("numbers", "/", r.table(), m)


BUILDERS: dict[str, Callable[[str], CmsSite]] = {
    "drupal": drupal,
    "wordpress": wordpress,
    "typo3": typo3,
    "sitecore": sitecore,
    "aspnet": aspnet,
    "static": static,
    "loadmore": loadmore,
    "relnext": relnext,
    "numbers": numbers,
}


def build(name: str, base: str) -> CmsSite:
    """The site ``name`` with its links made absolute on ``base`` where its CMS writes them so."""
    return BUILDERS[name](base)
