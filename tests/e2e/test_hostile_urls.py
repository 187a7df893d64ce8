"""Hostile links and hostile text through the real CLI, against a regulator site on loopback.

The data protection authority of this test publishes a press listing, a sitemap index and an RSS
feed, on 127.0.0.1 and, for some pages, on the IPv6 loopback ``[::1]``. Each of them carries,
among good links, the malformed ones a crawler meets: an IPv6 literal (good, and fetched), a
double port, a protocol-relative sitemap ``<loc>``, an empty host, a percent-encoded host, an
unclosed IPv6 bracket. Every good link must be stored and every bad one named, by itself, while
the page and the run go on. Its decisions are PDFs whose feed titles carry ESC, BEL and a
right-to-left override; its guidance quotes ``<script>``; one feed of its is broken, with a parser
message naming ``<unknown>``.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.demo_sites import SITES_ROOT
from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Endpoint, Run
from monitor.storage.records import ArticleRecord
from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver import Reply, RouteServer

PDF = SITES_ROOT / "regulator" / "documents" / "communique-acd-2026-11-03.pdf"
OPINION_PDF = SITES_ROOT / "ministry" / "SharedDocs" / "Downloads" / "DE" / "2026" / "eckpunkte-drittstaatenzugriff.pdf"
# A feed title that quotes an entity: the text is these nine characters, not "<script>".
OPINION_TITLE = "Opinion 3/2026: why consent banners must print &lt;script&gt; as text"
RSS = "application/rss+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"
DECISION_TITLE = "Decision 2026-14: CloudCo \x1b[31mfined\x1b[0m\x07 for transfers \u202efdp.exe\u202c"
DECISION_TITLE_CLEAN = "Decision 2026-14: CloudCo [31mfined[0m for transfers fdp.exe"
CONTROLS = ("\x1b", "\x07", "\u202e", "\u202c")

# Title and one distinct paragraph per article, so no two are near-duplicates of each other.
TOPICS = {
    "listing-relative": (
        "Annual report on video surveillance complaints",
        "the annual report on complaints about video surveillance in residential buildings",
    ),
    "listing-protocol-relative": (
        "Reprimand for a municipality that published voter lists",
        "a reprimand for a municipality that published voter lists on its website",
    ),
    "listing-ipv6": (
        "Impact assessments for school learning platforms",
        "new guidance on data protection impact assessments for school learning platforms",
    ),
    "sitemap-a": (
        "Retailer fined over fifteen-year purchase histories",
        "a fine for a retailer whose loyalty programme kept purchase histories for fifteen years",
    ),
    "sitemap-ipv6": (
        "Consultation on biometric access control at work",
        "the opening of a consultation on the use of biometric access control at workplaces",
    ),
    "feed-absolute": (
        "Order against a dating app sharing location data",
        "an order against a dating app that shared location data with advertising brokers",
    ),
    "feed-protocol-relative": (
        "Results of the cookie wall sweep",
        "the results of a sweep of cookie walls on fifty news websites",
    ),
    "feed-ipv6": (
        "Hospitals warned about unencrypted patient e-mail",
        "a warning to hospitals about unencrypted e-mail of patient records",
    ),
}


def article(title: str, topic: str, published: str = "2026-11-24T09:00:00+01:00") -> bytes:
    """A press release as a regulator's CMS publishes it: article metadata, one <article>."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Data Protection Authority</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/press/">Press</a> <a href="/about/">About us</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="date">Published on 24 November 2026</p>
<p>The Data Protection Authority today announced {topic}. The decision was adopted by the
college of commissioners after an investigation that began last year, and the controller has
two months to appeal it before the administrative court.</p>
<p>The authority reminds controllers that they must be able to demonstrate compliance at any
time, and that it will publish a summary of the case in its next activity report.</p>
</article></main>
<footer><a href="/contact/">Contact</a> <a href="/legal/">Legal notice</a></footer>
</body></html>""".encode()


COOKIE_GUIDANCE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Guidance on cookie banners that load &lt;script&gt; tags from third countries</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-11-25T10:00:00+01:00">
</head><body><main><article>
<h1>Guidance on cookie banners that load &lt;script&gt; tags from third countries</h1>
<p>The authority published guidance on consent banners. Many banners load a &lt;script&gt; tag from
a server outside the EU, which starts transfers of personal data to third countries before the
visitor consents. Controllers need standard contractual clauses and a transfer impact assessment.</p>
<p>Website operators should load consent tools from servers in the EU and check which requests a
page sends before the visitor has made a choice.</p>
</article></main></body></html>"""

BROKEN_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Data Protection Authority - Decisions</title>
<item><title>Decision 2026-15</item></channel></rss>"""


@dataclass
class Site:
    v4: RouteServer
    v6: RouteServer

    @property
    def base(self) -> str:
        return self.v4.url("")

    @property
    def base6(self) -> str:
        return self.v6.url("")

    @property
    def port(self) -> int:
        return self.v4.port


def _reply(body: bytes, content_type: str = "text/html; charset=utf-8") -> object:
    return lambda handler: Reply(200, body, content_type=content_type)


def bad_links(site: Site, prefix: str) -> dict[str, str]:
    """The malformed spellings of a link to ``prefix``-<kind>, by what is wrong with them."""
    return {
        "double port": f"http://127.0.0.1:1:80{prefix}-double-port.html",
        "empty host": f"http://{prefix}-empty-host.html",
        "percent-encoded host": f"http://%31%32%37.0.0.1:{site.port}{prefix}-percent-host.html",
        "unclosed bracket": f"http://[::1{prefix}-unclosed.html",
    }


def build_routes(site: Site) -> None:
    base, base6, port = site.base, site.base6, site.port
    v4: dict[str, object] = {}
    v6: dict[str, object] = {}
    for name, (title, topic) in TOPICS.items():
        server = v6 if name.endswith("ipv6") else v4
        folder = "news" if name.startswith("feed") else "press"
        server[f"/{folder}/2026/{name}.html"] = _reply(article(title, topic))

    listing_bad = bad_links(site, "/press/2026/listing")
    anchors = [
        '<a href="2026/listing-relative.html">Annual report on video surveillance</a>',
        f'<a href="//127.0.0.1:{port}/press/2026/listing-protocol-relative.html">Reprimand for a municipality</a>',
        f'<a href="{base6}/press/2026/listing-ipv6.html">Guidance for school platforms</a>',
        *(f'<a href="{url}">Press release</a>' for url in listing_bad.values()),
    ]
    items = "".join(f"<li>{anchor}</li>\n" for anchor in anchors)
    v4["/press/"] = _reply(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Press releases</title></head>
<body><main><h1>Press releases</h1><ul class="press-list">
{items}</ul></main></body></html>""".encode()
    )

    index_locs = [
        f"{base}/sitemaps/press-2026.xml",
        f"{base6}/sitemaps/ipv6.xml",
        f"//127.0.0.1:{port}/sitemaps/protocol-relative.xml",
        "http://127.0.0.1:1:80/sitemaps/double-port.xml",
        "http:///sitemaps/empty-host.xml",
        f"http://%31%32%37.0.0.1:{port}/sitemaps/percent-host.xml",
    ]
    v4["/sitemap_index.xml"] = _reply(
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(f"<sitemap><loc>{loc}</loc><lastmod>2026-11-24</lastmod></sitemap>\n" for loc in index_locs)
            + "</sitemapindex>"
        ).encode(),
        XML,
    )
    for refused in ("protocol-relative", "double-port", "empty-host", "percent-host"):
        v4[f"/sitemaps/{refused}.xml"] = _reply(urlset([f"{base}/press/2026/never-{refused}.html"]), XML)
    v4["/sitemaps/press-2026.xml"] = _reply(
        urlset(
            [
                f"{base}/press/2026/sitemap-a.html",
                f"//127.0.0.1:{port}/press/2026/sitemap-protocol-relative.html",
                "http://127.0.0.1:1:80/press/2026/sitemap-double-port.html",
            ]
        ),
        XML,
    )
    v6["/sitemaps/ipv6.xml"] = _reply(urlset([f"{base6}/press/2026/sitemap-ipv6.html"]), XML)

    feed_links = [
        ("Order against a dating app", f"{base}/news/2026/feed-absolute.html"),
        ("Sweep of cookie walls", f"//127.0.0.1:{port}/news/2026/feed-protocol-relative.html"),
        ("Warning to hospitals", f"{base6}/news/2026/feed-ipv6.html"),
        ("Broken link", "http://127.0.0.1:1:80/news/2026/feed-double-port.html"),
        ("Broken link", f"http://%31%32%37.0.0.1:{port}/news/2026/feed-percent-host.html"),
        # feedparser reads "http:///x" as host "x" before we see it: an empty host is not
        # tested in a feed (it would send a DNS query off the machine).
        (DECISION_TITLE, f"{base}/decisions/2026-14.pdf"),
        (OPINION_TITLE, f"{base}/opinions/2026-03.pdf"),
        ("Guidance on cookie banners", f"{base}/guidance/cookie-banners.html"),
    ]
    entries = "".join(
        f"<item><title>{escape_xml(title)}</title><link>{escape_xml(link)}</link>"
        f"<pubDate>Tue, 24 Nov 2026 0{n}:00:00 +0000</pubDate></item>\n"
        for n, (title, link) in enumerate(feed_links)
    )
    v4["/feed.xml"] = _reply(
        (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Data Protection Authority - News</title><link>{base}/</link>"
            "<description>Press releases and decisions</description>\n"
            f"{entries}</channel></rss>"
        ).encode(),
        RSS,
    )
    v4["/decisions/2026-14.pdf"] = _reply(PDF.read_bytes(), "application/pdf")
    v4["/opinions/2026-03.pdf"] = _reply(OPINION_PDF.read_bytes(), "application/pdf")
    v4["/guidance/cookie-banners.html"] = _reply(COOKIE_GUIDANCE)
    v4["/broken/feed.xml"] = _reply(BROKEN_FEED, RSS)
    # Sitemap discovery for `sources check`: an unreadable line must not hide the ones after it.
    v4["/robots.txt"] = _reply(
        (
            "User-agent: *\nDisallow: /private/\n"
            "Sitemap: http://[::1/sitemap.xml\n"
            "Sitemap: http://127.0.0.1:1:80/sitemap.xml\n"
            "Sitemap: http:///sitemap.xml\n"
            f"Sitemap: {base}/sitemap_index.xml\n"
        ).encode(),
        "text/plain",
    )
    site.v4.routes.update(v4)  # type: ignore[arg-type]
    site.v6.routes.update(v6)  # type: ignore[arg-type]


def urlset(locs: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"<url><loc>{escape_xml(loc)}</loc><lastmod>2026-11-24</lastmod></url>\n" for loc in locs)
        + "</urlset>"
    ).encode()


def escape_xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


SOURCES = [
    {
        "id": "dpa-press",
        "name": "Data Protection Authority (press)",
        "kind": "regulator",
        "jurisdiction": "FR",
        "listings": [{"url": "{base}/press/"}],
    },
    {
        "id": "dpa-sitemap",
        "name": "Data Protection Authority (sitemap)",
        "kind": "regulator",
        "jurisdiction": "FR",
        "sitemaps": ["{base}/sitemap_index.xml"],
    },
    {
        "id": "dpa-news",
        "name": "Data Protection Authority (news)",
        "kind": "regulator",
        "jurisdiction": "FR",
        "feeds": ["{base}/feed.xml"],
    },
    {
        "id": "dpa-decisions",
        "name": "Data Protection Authority (decisions)",
        "kind": "regulator",
        "jurisdiction": "FR",
        "feeds": ["{base}/broken/feed.xml"],
    },
]


def sources_for(site: Site, sources: list[dict[str, object]]) -> list[dict[str, object]]:
    return json.loads(json.dumps(sources).replace("{base}", site.base))  # type: ignore[no-any-return]


@dataclass
class Crawl:
    site: Site
    config: Path
    database_url: str
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with RouteServer("dpa", host="127.0.0.1") as v4, RouteServer("dpa6", host="::1") as v6:
        served = Site(v4, v6)
        build_routes(served)
        yield served


@pytest.fixture(scope="module")
def crawl(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    work = tmp_path_factory.mktemp("hostile")
    config = write_config(work / "config", sources_for(site, SOURCES))
    database_url = f"sqlite:///{work / 'monitor.db'}"
    result = monitor(config, database_url, "--allow-private", "run")
    yield Crawl(site, config, database_url, result)
    dispose_all()


def stored(database_url: str) -> dict[str, Article]:
    with repository_for(database_url).sessions() as session:
        articles = {article.url: article for article in session.scalars(select(Article))}
        session.expunge_all()
    return articles


def test_malformed_links_are_refused_one_by_one_and_every_good_link_is_stored(crawl: Crawl) -> None:
    site, result = crawl.site, crawl.result
    assert result.returncode == 3, result.stderr[-3000:]  # only the broken feed failed
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    failed = [line for line in result.stderr.splitlines() if " failed: " in line and line.startswith("source ")]
    assert len(failed) == 1 and failed[0].startswith("source dpa-decisions failed:"), failed

    base, base6 = site.base, site.base6
    expected = {
        f"{base}/press/2026/listing-relative.html",
        f"{base}/press/2026/listing-protocol-relative.html",  # an href, resolved against the page
        f"{base6}/press/2026/listing-ipv6.html",
        f"{base}/press/2026/sitemap-a.html",
        f"{base6}/press/2026/sitemap-ipv6.html",
        f"{base}/news/2026/feed-absolute.html",
        f"{base}/news/2026/feed-protocol-relative.html",
        f"{base6}/news/2026/feed-ipv6.html",
        f"{base}/decisions/2026-14.pdf",
        f"{base}/opinions/2026-03.pdf",
        f"{base}/guidance/cookie-banners.html",
    }
    assert set(stored(crawl.database_url)) == expected

    # Each bad link named on one line with its cause, and never requested.
    refusals = [line for line in result.stderr.splitlines() if "link refused" in line]
    for spelling, fragment in [
        ("http://127.0.0.1:1:80/press/2026/listing-double-port.html", "more than one ':'"),
        ("http:///press/2026/listing-empty-host.html", "no host"),
        (f"http://%31%32%37.0.0.1:{site.port}/press/2026/listing-percent-host.html", "percent-encoded host"),
        ("http://[::1/press/2026/listing-unclosed.html", "unclosed '['"),
        (f"//127.0.0.1:{site.port}/sitemaps/protocol-relative.xml", "protocol-relative"),
        ("http://127.0.0.1:1:80/sitemaps/double-port.xml", "more than one ':'"),
        ("http:///sitemaps/empty-host.xml", "no host"),
        (f"http://%31%32%37.0.0.1:{site.port}/sitemaps/percent-host.xml", "percent-encoded host"),
        (f"//127.0.0.1:{site.port}/press/2026/sitemap-protocol-relative.html", "protocol-relative"),
        ("http://127.0.0.1:1:80/press/2026/sitemap-double-port.html", "more than one ':'"),
        ("http://127.0.0.1:1:80/news/2026/feed-double-port.html", "more than one ':'"),
        (f"http://%31%32%37.0.0.1:{site.port}/news/2026/feed-percent-host.html", "percent-encoded host"),
    ]:
        named = [line for line in refusals if f"'{spelling}'" in line]
        assert len(named) == 1 and fragment in named[0] and "(invalid_url)" in named[0], (spelling, refusals)
    for path in (
        "/sitemaps/protocol-relative.xml",
        "/sitemaps/percent-host.xml",
        "/press/2026/sitemap-protocol-relative.html",
        "/press/2026/listing-percent-host.html",
    ):
        assert site.v4.hits(path) == 0, path

    # Counted per source in the run's stats.
    with repository_for(crawl.database_url).sessions() as session:
        stats = session.scalars(select(Run.stats).order_by(Run.id.desc())).first() or {}
    assert stats.get("links/invalid_url") == 12
    assert stats.get("links/invalid_url/dpa-press") == 4
    assert stats.get("links/invalid_url/dpa-sitemap") == 6
    assert stats.get("links/invalid_url/dpa-news") == 2


def test_control_characters_are_stored_and_printed_clean(crawl: Crawl, monkeypatch: pytest.MonkeyPatch) -> None:
    decision = stored(crawl.database_url)[f"{crawl.site.base}/decisions/2026-14.pdf"]
    assert decision.title == DECISION_TITLE_CLEAN
    # A row stored before the crawl stripped them is printed clean too.
    repository = repository_for(crawl.database_url)
    repository.upsert_article(
        ArticleRecord(
            canonical_url=f"{crawl.site.base}/decisions/2025-09.pdf",
            url=f"{crawl.site.base}/decisions/2025-09.pdf",
            source_id="dpa-news",
            title="Decision 2025-09 \x1b]0;owned\x07\u2066reversed\u2069 \u202eexe.fdp",
            text="An older decision.\x1b[2J",
        )
    )
    dispose_all()
    monkeypatch.setenv("COLUMNS", "200")  # the table's title column at its full 60 characters
    table = monitor(crawl.config, crawl.database_url, "items", "--source", "dpa-news")
    assert table.returncode == 0, table.stderr[-2000:]
    assert "Decision 2026-14: CloudCo [31mfined[0m for transfers" in table.stdout
    assert "Decision 2025-09 ]0;ownedreversed exe.fdp" in table.stdout
    lines = monitor(crawl.config, crawl.database_url, "items", "--source", "dpa-news", "--format", "jsonl")
    titles = {item["title"] for item in map(json.loads, lines.stdout.splitlines())}
    assert DECISION_TITLE_CLEAN in titles and "Decision 2025-09 ]0;ownedreversed exe.fdp" in titles
    for output in (table.stdout, lines.stdout):
        assert not any(control in output for control in CONTROLS)
        assert "\\u001b" not in output and "\\u202e" not in output


def test_the_digest_shows_text_that_looks_like_a_tag_literally(crawl: Crawl, tmp_path: Path) -> None:
    with repository_for(crawl.database_url).sessions() as session:
        broken = session.scalars(select(Endpoint).where(Endpoint.source_id == "dpa-decisions")).one()
        error = broken.last_error or ""
    assert "<unknown>" in error, error  # the XML parser's name for a document without one
    out = tmp_path / "digest"
    result = monitor(crawl.config, crawl.database_url, "digest", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    text = (out / "digest.txt").read_text(encoding="utf-8")
    html = (out / "digest.html").read_text(encoding="utf-8")
    title = "Guidance on cookie banners that load <script> tags from third countries"
    assert f"* {title}" in text
    assert "load a <script> tag from a server" in text  # the snippet, terms marked with *...*
    assert f"* {OPINION_TITLE}" in text
    assert f"not_a_feed, {error}" in text
    # In HTML, the same characters, escaped once.
    assert title.replace("<", "&lt;").replace(">", "&gt;") in html
    assert "load a &lt;script&gt; tag from a server" in html
    assert OPINION_TITLE.replace("&", "&amp;") in html
    assert error.replace("<", "&lt;").replace(">", "&gt;") in html
    assert not re.search(r"<script|<unknown", html, re.IGNORECASE)


def test_extract_reports_a_bad_url_and_processes_the_others(crawl: Crawl) -> None:
    good, ipv6 = f"{crawl.site.base}/guidance/cookie-banners.html", f"{crawl.site.base6}/news/2026/feed-ipv6.html"
    bad = "http://127.0.0.1:1:80/news/2026/feed-double-port.html"
    result = monitor(crawl.config, crawl.database_url, "--allow-private", "extract", good, bad, ipv6)
    assert result.returncode == 3, result.stderr[-2000:]  # some inputs failed
    assert f"== {good} [html, ok" in result.stdout and f"== {ipv6} [html, ok" in result.stdout
    named = [line for line in result.stderr.splitlines() if line.startswith(f"monitor: {bad}:")]
    assert len(named) == 1 and "more than one ':'" in named[0] and named[0].endswith("(invalid_url)"), result.stderr
    assert "Traceback" not in result.stderr


def test_sources_check_names_bad_sitemap_lines_and_checks_every_source(site: Site, tmp_path: Path) -> None:
    sources = [
        {
            "id": "dpa-discovery",
            "name": "Data Protection Authority",
            "kind": "regulator",
            "jurisdiction": "FR",
            "homepage": "{base}/",
            "discover_sitemaps": True,
        },
        SOURCES[2],
    ]
    config = write_config(tmp_path / "config", sources_for(site, sources))
    database_url = f"sqlite:///{tmp_path / 'check.db'}"
    result = monitor(config, database_url, "--allow-private", "sources", "check")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    for line, fragment in [
        ("http://[::1/sitemap.xml", "unclosed '['"),
        ("http://127.0.0.1:1:80/sitemap.xml", "more than one ':'"),
        ("http:///sitemap.xml", "no host"),
    ]:
        assert any(f"'{line}'" in entry and fragment in entry for entry in result.stderr.splitlines()), line
    with repository_for(database_url).sessions() as session:
        checked = {(row.source_id, row.url): row.error_class for row in session.scalars(select(Endpoint))}
    dispose_all()
    # The good Sitemap: line after the bad ones, and the next source, were both probed.
    assert checked == {
        ("dpa-discovery", f"{site.base}/sitemap_index.xml"): None,
        ("dpa-news", f"{site.base}/feed.xml"): None,
    }


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("sources", "check"), "more than one ':'"),
        (("run",), "more than one ':'"),
        (("crawl", "http://[::1/press/"), "unclosed '['"),
        (("crawl", "http://%31%32%37.0.0.1/press/"), "percent-encoded host"),
    ],
)
def test_a_malformed_configured_or_given_url_is_one_line_and_exit_2(
    site: Site, tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    sources = [
        {**SOURCES[2], "id": "dpa-typo", "feeds": ["http://127.0.0.1:1:80/feed.xml"]},
        SOURCES[0],
    ]
    config = write_config(tmp_path / "config", sources_for(site, sources))
    if args[0] == "crawl":  # the config is fine; the URL on the command line is not
        config = write_config(tmp_path / "config", sources_for(site, SOURCES[:1]))
    result = monitor(config, f"sqlite:///{tmp_path / 'typo.db'}", "--allow-private", *args)
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "invalid URL" in lines[0] and fragment in lines[0], lines
    if args[0] != "crawl":
        assert "sources.yaml" in lines[0] and "dpa-typo" in lines[0] and "feeds" in lines[0]
