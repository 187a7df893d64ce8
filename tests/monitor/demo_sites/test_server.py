"""The fixture server and the bundled demo sites it serves."""

from __future__ import annotations

import email.utils
import http.client
import importlib.util
import io
import re
import socket
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from email.message import Message
from types import ModuleType
from urllib.parse import urlsplit

import pypdf
import pytest
import yaml
from parsel import Selector

from monitor.config.schema import SourcesFile
from monitor.demo_sites import MANIFEST_PATH, SITES_ROOT
from monitor.demo_sites.server import FixtureServer, RequestRecord, render_sources
from tests.helpers.paths import REPO_ROOT

# The generators of sites/: developer tools outside the installed package, imported by path.
DEMO_TOOLS = REPO_ROOT / "tools" / "demo_sites"

TOPICS = {
    "data_localization",
    "data_sovereignty",
    "cross_border_transfers",
    "adequacy_decisions",
    "standard_contractual_clauses",
    "platform_regulation",
    "ai_regulation",
    "government_access",
}


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"demo_tools_{name}", DEMO_TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


@pytest.fixture(scope="module")
def manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))


def fetch(
    server: FixtureServer, site: str, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """One request without following redirects; returns status, headers and body."""
    parts = urlsplit(server.base_url(site))
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.msg, response.read()
    finally:
        conn.close()


def get_url(server: FixtureServer, url: str) -> bytes:
    """GET an absolute URL on one of the server's sites."""
    parts = urlsplit(url)
    site = next(s for s in server.sites if server.base_url(s) == f"{parts.scheme}://{parts.netloc}")
    status, _, body = fetch(server, site, parts.path + (f"?{parts.query}" if parts.query else ""))
    assert status == 200, url
    return body


# -- listeners -----------------------------------------------------------------------------------


def test_each_site_has_its_own_loopback_port(server: FixtureServer) -> None:
    assert set(server.sites) == {"regulator", "ministry", "press", "cnreg"}
    urls = [server.base_url(site) for site in server.sites]
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", url) for url in urls)
    assert len(set(urls)) == len(urls)
    # Each site answers its own robots.txt.
    robots = {site: fetch(server, site, "/robots.txt")[2].decode() for site in server.sites}
    assert len(set(robots.values())) == len(robots)


def test_rejects_non_loopback_hosts_and_unknown_sites() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FixtureServer(host="0.0.0.0")
    with pytest.raises(ValueError, match="no such demo site"):
        FixtureServer(sites=["nope"])
    idle = FixtureServer(sites=["press"])
    with pytest.raises(KeyError, match="not started"):
        idle.base_url("press")


def test_stop_closes_the_ports_and_threads() -> None:
    before = threading.active_count()
    server = FixtureServer(sites=["press", "cnreg"]).start()
    port = urlsplit(server.base_url("press")).port
    status, _, _ = fetch(server, "press", "/")
    assert status == 200
    # An idle keep-alive connection must not keep the server from stopping.
    idle = socket.create_connection(("127.0.0.1", port))
    try:
        server.stop()
    finally:
        idle.close()
    assert not server.running
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    assert threading.active_count() <= before


def test_requests_write_nothing_to_stderr(server: FixtureServer, capfd: pytest.CaptureFixture[str]) -> None:
    fetch(server, "regulator", "/")
    fetch(server, "regulator", "/missing.html")
    # A client that hangs up mid-request must not print a traceback either.
    parts = urlsplit(server.base_url("regulator"))
    with socket.create_connection((parts.hostname or "", parts.port or 0)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    fetch(server, "regulator", "/")
    assert capfd.readouterr().err == ""


# -- files, types, paths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "path", "content_type"),
    [
        ("regulator", "/", "text/html; charset=utf-8"),
        ("regulator", "/actualites/sanction-nuvalia-transferts-etats-unis.html", "text/html; charset=utf-8"),
        ("regulator", "/sitemap.xml", "application/xml; charset=utf-8"),
        ("regulator", "/robots.txt", "text/plain; charset=utf-8"),
        ("regulator", "/documents/communique-acd-2026-11-03.pdf", "application/pdf"),
        ("ministry", "/feeds/pressemitteilungen.rss", "application/rss+xml; charset=utf-8"),
        ("press", "/feed.atom", "application/atom+xml; charset=utf-8"),
        ("press", "/news-sitemap.xml", "application/xml; charset=utf-8"),
        ("cnreg", "/wxfb/index_1.htm", "text/html; charset=utf-8"),
        # quirks from _site.yaml
        ("ministry", "/SharedDocs/Downloads/DE/2026/eckpunkte-drittstaatenzugriff.pdf", "application/octet-stream"),
        ("ministry", "/en/feeds/press-releases.rss", "text/xml;charset=UTF-8"),
    ],
)
def test_content_types(server: FixtureServer, site: str, path: str, content_type: str) -> None:
    status, headers, body = fetch(server, site, path)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["Content-Length"] == str(len(body))


def test_directories_serve_their_index_and_redirect_without_slash(server: FixtureServer) -> None:
    status, _, body = fetch(server, "press", "/2026/10/15/french-regulator-fines-nuvalia-us-transfers/")
    assert status == 200 and b"Nuvalia" in body
    status, headers, _ = fetch(server, "press", "/2026/10/15/french-regulator-fines-nuvalia-us-transfers")
    assert status == 301
    assert headers["Location"] == "/2026/10/15/french-regulator-fines-nuvalia-us-transfers/"
    assert fetch(server, "cnreg", "/")[0] == 200  # index.htm


def test_query_strings_map_to_files(server: FixtureServer) -> None:
    first = fetch(server, "regulator", "/actualites/")[2]
    assert fetch(server, "regulator", "/actualites/?page=1")[2] == first
    second = fetch(server, "regulator", "/actualites/?page=2")
    assert second[0] == 200 and second[2] != first
    # Tracking parameters are dropped before the lookup.
    article = "/actualites/sanction-nuvalia-transferts-etats-unis.html"
    assert (
        fetch(server, "regulator", article + "?utm_source=rss&xtor=RSS-1")[2] == fetch(server, "regulator", article)[2]
    )
    # Any other unknown query is a 404, not silently the same page.
    assert fetch(server, "regulator", "/actualites/?sort=asc")[0] == 404


def test_pages_past_the_end_are_empty_200_lists(server: FixtureServer) -> None:
    status, _, body = fetch(server, "regulator", "/actualites/?page=42")
    assert status == 200
    assert Selector(text=body.decode()).css("main .news-list a.news-title").getall() == []
    status, _, body = fetch(server, "cnreg", "/wxfb/index_9.htm")
    assert status == 200
    assert Selector(text=body.decode()).css("ul.list li a").getall() == []
    assert fetch(server, "cnreg", "/wxfb/other_9.htm")[0] == 404


@pytest.mark.parametrize(
    "path", ["/missing.html", "/_site.yaml", "/actualites/_empty.html", "/../press/feed.atom", "/%2e%2e/MANIFEST.yaml"]
)
def test_missing_hidden_and_escaping_paths_are_404(server: FixtureServer, path: str) -> None:
    assert fetch(server, "regulator", path)[0] == 404


def test_head_has_the_headers_and_no_body(server: FixtureServer) -> None:
    get_status, get_headers, body = fetch(server, "press", "/feed.atom")
    head_status, head_headers, head_body = fetch(server, "press", "/feed.atom", method="HEAD")
    assert (get_status, head_status) == (200, 200)
    assert head_body == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head_headers[name] == get_headers[name]
    assert int(head_headers["Content-Length"]) == len(body)


def test_other_methods_are_refused(server: FixtureServer) -> None:
    status, headers, _ = fetch(server, "press", "/", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def test_site_headers_are_added(server: FixtureServer) -> None:
    assert fetch(server, "press", "/")[1]["Cache-Control"] == "max-age=300, public"
    pdf = fetch(server, "ministry", "/SharedDocs/Downloads/DE/2026/eckpunkte-drittstaatenzugriff.pdf")[1]
    assert pdf["Content-Disposition"].startswith("attachment;")


# -- conditional GET -----------------------------------------------------------------------------


def test_etag_and_if_none_match(server: FixtureServer) -> None:
    path = "/actualites/revue-cadre-transatlantique-protection-donnees.html"
    status, headers, _ = fetch(server, "regulator", path)
    etag = headers["ETag"]
    assert status == 200 and re.fullmatch(r'"[0-9a-f]{20}"', etag)
    assert fetch(server, "regulator", path)[1]["ETag"] == etag  # stable
    status, headers304, body = fetch(server, "regulator", path, headers={"If-None-Match": etag})
    assert status == 304 and body == b""
    assert headers304["ETag"] == etag
    assert fetch(server, "regulator", path, headers={"If-None-Match": f'"other", W/{etag}'})[0] == 304
    assert fetch(server, "regulator", path, headers={"If-None-Match": '"other"'})[0] == 200
    assert fetch(server, "regulator", path, headers={"If-None-Match": "*"})[0] == 304


def test_last_modified_and_if_modified_since(server: FixtureServer) -> None:
    path = "/actualites/sanction-nuvalia-transferts-etats-unis.html"
    headers = fetch(server, "regulator", path)[1]
    # Articles carry their publication date from MANIFEST.yaml (10:30 Paris summer time).
    assert headers["Last-Modified"] == "Wed, 14 Oct 2026 08:30:00 GMT"
    assert fetch(server, "regulator", path, headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(server, "regulator", path, headers={"If-Modified-Since": "Sat, 28 Nov 2026 00:00:00 GMT"})[0] == 304
    assert fetch(server, "regulator", path, headers={"If-Modified-Since": "Tue, 13 Oct 2026 00:00:00 GMT"})[0] == 200
    assert fetch(server, "regulator", path, headers={"If-Modified-Since": "not a date"})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    both = {"If-None-Match": '"other"', "If-Modified-Since": headers["Last-Modified"]}
    assert fetch(server, "regulator", path, headers=both)[0] == 200
    # Other files get the site's fixed date or a per-file override; nothing depends on the clock.
    assert fetch(server, "regulator", "/")[1]["Last-Modified"] == "Sat, 28 Nov 2026 12:00:00 GMT"
    pdf = fetch(server, "ministry", "/SharedDocs/Downloads/DE/2026/eckpunkte-drittstaatenzugriff.pdf")[1]
    assert pdf["Last-Modified"] == "Thu, 05 Nov 2026 09:00:00 GMT"


def test_last_modified_survives_a_restart() -> None:
    with FixtureServer(sites=["press"]) as first:
        one = fetch(first, "press", "/2026/09/24/data-privacy-framework-second-review-fisa/")[1]["Last-Modified"]
    with FixtureServer(sites=["press"]) as second:
        two = fetch(second, "press", "/2026/09/24/data-privacy-framework-second-review-fisa/")[1]["Last-Modified"]
    assert one == two == "Thu, 24 Sep 2026 09:30:00 GMT"


# -- placeholders --------------------------------------------------------------------------------


def test_placeholders_are_resolved_at_serve_time(server: FixtureServer) -> None:
    robots = fetch(server, "regulator", "/robots.txt")[2].decode()
    assert f"Sitemap: {server.base_url('regulator')}/sitemap.xml" in robots
    feed = fetch(server, "press", "/feed.atom")[2].decode()
    assert f'href="{server.base_url("press")}/2026/' in feed
    # The reprint links to the original on the regulator's own port.
    reprint = fetch(server, "press", "/2026/10/15/french-regulator-fines-nuvalia-us-transfers/")[2].decode()
    assert f'href="{server.base_url("regulator")}/en/news/nuvalia-fine-transfers-united-states.html"' in reprint


def test_no_placeholder_survives_in_any_served_text_file(server: FixtureServer) -> None:
    for site in server.sites:
        for file in (SITES_ROOT / site).rglob("*"):
            if file.suffix in {".html", ".htm", ".xml", ".rss", ".atom", ".txt"} and not file.name.startswith("_"):
                rel = file.relative_to(SITES_ROOT / site).as_posix()
                if "." in file.stem and file.stem.startswith("index."):
                    continue  # a query variant (index.page-2.html), reached through ?page=2
                path = "/" + (rel.removesuffix("index.html").removesuffix("index.htm"))
                status, _, body = fetch(server, site, path)
                assert status == 200, (site, path)
                assert b"{{" not in body, (site, path)


def test_placeholder_of_a_site_not_served_points_nowhere() -> None:
    with FixtureServer(sites=["press"]) as only_press:
        body = fetch(only_press, "press", "/2026/10/15/french-regulator-fines-nuvalia-us-transfers/")[2]
        assert b'href="http://regulator.invalid/en/news/' in body
        assert only_press.substitute("press", "{{base}}|{{site:press}}") == "|".join([only_press.base_url("press")] * 2)


# -- request log ---------------------------------------------------------------------------------


def test_request_log_records_every_request(server: FixtureServer) -> None:
    server.clear_log()
    fetch(server, "ministry", "/feeds/pressemitteilungen.rss?x=1", headers={"User-Agent": "news-monitor-test/1"})
    fetch(server, "press", "/feed.atom", method="HEAD")
    log = server.request_log
    assert [(r.site, r.method, r.path, r.status) for r in log] == [
        ("ministry", "GET", "/feeds/pressemitteilungen.rss?x=1", 404),
        ("press", "HEAD", "/feed.atom", 200),
    ]
    assert isinstance(log[0], RequestRecord)
    assert log[0].headers["User-Agent"] == "news-monitor-test/1"
    assert log[0].header("user-agent") == "news-monitor-test/1"
    server.clear_log()
    assert server.request_log == []


def test_request_log_is_thread_safe(server: FixtureServer) -> None:
    server.clear_log()
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for _ in range(10):
                fetch(server, server.sites[n % len(server.sites)], "/robots.txt")
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(server.request_log) == 80


# -- the sites' content --------------------------------------------------------------------------


def test_pdfs_are_valid_and_their_text_extracts() -> None:
    expected = {
        "regulator/documents/communique-acd-2026-11-03.pdf": ["cloud souverain", "localisation des données"],
        "ministry/SharedDocs/Downloads/DE/2026/eckpunkte-drittstaatenzugriff.pdf": ["CLOUD Act", "Souveränität"],
    }
    for rel, phrases in expected.items():
        data = (SITES_ROOT / rel).read_bytes()
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        for phrase in phrases:
            assert phrase in text, (rel, phrase)
        assert reader.metadata is not None and reader.metadata.title


def test_pdf_served_as_octet_stream_is_still_the_pdf(server: FixtureServer) -> None:
    path = "/SharedDocs/Downloads/DE/2026/eckpunkte-drittstaatenzugriff.pdf?__blob=publicationFile&v=2"
    status, _, body = fetch(server, "ministry", path)
    assert status == 200
    assert body == (SITES_ROOT / "ministry/SharedDocs/Downloads/DE/2026/eckpunkte-drittstaatenzugriff.pdf").read_bytes()


def test_generated_files_are_up_to_date() -> None:
    # Edit tools/demo_sites/content/, templates/ or the generators, then run both without --check.
    assert load_tool("build_sites").main(["--check", "--root", str(SITES_ROOT)]) == 0
    assert load_tool("make_pdf").main(["--check", "--root", str(SITES_ROOT)]) == 0


def test_regulator_links_are_root_relative_and_some_unquoted() -> None:
    unquoted = 0
    for file in (SITES_ROOT / "regulator").rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        for match in re.finditer(r"""\b(?:href|src|action)=("([^"]*)"|'([^']*)'|([^\s>]+))""", text):
            url = match.group(2) or match.group(3) or match.group(4) or ""
            assert not re.match(r"^(https?:)?//", url), (file.name, url)
            assert url.startswith(("/", "#")) or url == "", (file.name, url)
            unquoted += match.group(4) is not None
    assert unquoted >= 3


def test_robots_files(server: FixtureServer) -> None:
    regulator = fetch(server, "regulator", "/robots.txt")[2].decode()
    assert "Disallow: /admin/" in regulator
    press = fetch(server, "press", "/robots.txt")[2].decode()
    assert f"Sitemap: {server.base_url('press')}/news-sitemap.xml" in press


def test_ministry_feed_dates_use_offsets_and_zone_names(server: FixtureServer) -> None:
    feed = fetch(server, "ministry", "/feeds/pressemitteilungen.rss")[2].decode()
    dates = re.findall(r"<pubDate>([^<]+)</pubDate>", feed)
    assert any(d.endswith("+0100") for d in dates) and any(d.endswith("+0200") for d in dates)
    assert any(d.endswith(" CET") for d in dates)
    for date in dates:
        assert email.utils.parsedate_to_datetime(date.replace(" CET", " +0100")).year == 2026


# -- MANIFEST ------------------------------------------------------------------------------------


def test_manifest_lists_existing_files_with_valid_labels(server: FixtureServer, manifest: dict) -> None:  # type: ignore[type-arg]
    articles = manifest["articles"]
    assert len(articles) >= 36
    assert len({(a["site"], a["path"]) for a in articles}) == len(articles)
    for article in articles:
        status, headers, body = fetch(server, article["site"], article["path"])
        assert status == 200, article["path"]
        assert set(article["expected_topics"]) <= TOPICS
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in article["expected_countries"])
        published = datetime.fromisoformat(article["published"])
        assert published.tzinfo is not None
        assert (2026, 9, 1) <= (published.year, published.month, published.day) <= (2026, 11, 30)
        assert article["off_topic_trap"] is (not article["expected_topics"])
        if article["kind"] == "html":
            assert article["title"].encode() in body.replace(b"&#x27;", b"'")
            low, high = (300, 1200) if article["language"] == "zh" else (150, 600)
            assert low <= article["words"] <= high, article["id"]
        else:
            assert headers["Content-Type"] == "application/pdf"
    for attachment in manifest["attachments"]:
        assert fetch(server, attachment["site"], attachment["path"])[0] == 200


def test_manifest_mix(manifest: dict) -> None:  # type: ignore[type-arg]
    articles = manifest["articles"]
    languages = {a["language"] for a in articles}
    assert {"en", "de", "fr", "nl", "es", "it", "zh"} <= languages
    assert len({a["site"] for a in articles}) == 4
    traps = [a for a in articles if a["off_topic_trap"]]
    assert len(traps) >= 8
    covered = {t for a in articles for t in a["expected_topics"]}
    assert covered == TOPICS
    syndicated = [a for a in articles if a["syndicated_of"]]
    assert len(syndicated) == 1
    copy = syndicated[0]
    original = next(
        a for a in articles if a["path"] == copy["syndicated_of"] and a["site"] == copy["syndicated_of_site"]
    )
    assert original["site"] != copy["site"]
    assert original["language"] == copy["language"]
    assert original["expected_topics"] == copy["expected_topics"]


def test_syndicated_copy_is_a_near_duplicate(server: FixtureServer, manifest: dict) -> None:  # type: ignore[type-arg]
    import trafilatura

    copy = next(a for a in manifest["articles"] if a["syndicated_of"])
    original = fetch(server, copy["syndicated_of_site"], copy["syndicated_of"])[2].decode()
    reprint = fetch(server, copy["site"], copy["path"])[2].decode()
    a = set((trafilatura.extract(original) or "").split())
    b = set((trafilatura.extract(reprint) or "").split())
    assert "(Reprinted" in (trafilatura.extract(reprint) or "")
    assert len(a & b) / len(a | b) > 0.85


# -- entry points reach what MANIFEST says ---------------------------------------------------------


def _sources(server: FixtureServer) -> dict[str, dict]:  # type: ignore[type-arg]
    return {s["id"]: s for s in render_sources(server)["sources"]}


def _paths(server: FixtureServer, urls: list[str]) -> set[tuple[str, str]]:
    out = set()
    for url in urls:
        parts = urlsplit(url)
        site = next(s for s in server.sites if server.base_url(s) == f"{parts.scheme}://{parts.netloc}")
        out.add((site, parts.path))
    return out


def _expected(manifest: dict, site: str, via: str) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(a["site"], a["path"]) for a in manifest["articles"] if a["site"] == site and via in a["discovered_by"]}


def test_listings_reach_the_manifest_articles(server: FixtureServer, manifest: dict) -> None:  # type: ignore[type-arg]
    sources = _sources(server)
    # regulator: follow rel=next from the first page.
    listing = sources["acd"]["listings"][0]
    url: str | None = listing["url"]
    found: list[str] = []
    pages = 0
    while url and pages < listing["max_pages"]:
        page = Selector(text=get_url(server, url).decode())
        found += [
            server.base_url("regulator") + href for href in page.css(listing["link_selector"] + "::attr(href)").getall()
        ]
        nxt = page.css(listing["next_selector"] + "::attr(href)").get()
        url = server.base_url("regulator") + nxt if nxt else None
        pages += 1
    assert pages == 3
    assert _paths(server, found) == _expected(manifest, "regulator", "listing")
    # cnreg: numbered pages until one comes back empty.
    listing = sources["ndsa"]["listings"][0]
    found = []
    for n in range(listing["first_page"], listing["first_page"] + listing["max_pages"]):
        page = Selector(text=get_url(server, listing["page_url"].format(n=n)).decode())
        links = [server.base_url("cnreg") + h for h in page.css(listing["link_selector"] + "::attr(href)").getall()]
        if not links:
            break
        assert all(re.search(listing["link_pattern"], link) for link in links)
        found += links
    assert _paths(server, found) == _expected(manifest, "cnreg", "listing")


def test_feeds_and_sitemaps_reach_the_manifest_articles(server: FixtureServer, manifest: dict) -> None:  # type: ignore[type-arg]
    import feedparser

    sources = _sources(server)
    feed_links: list[str] = []
    for url in sources["bmdd"]["feeds"]:
        parsed = feedparser.parse(get_url(server, url))
        assert not parsed.bozo, url
        feed_links += [entry.link for entry in parsed.entries]
        assert all(entry.published_parsed for entry in parsed.entries)
    assert _paths(server, feed_links) == _expected(manifest, "ministry", "feed")

    parsed = feedparser.parse(get_url(server, sources["dpw"]["feeds"][0]))
    assert not parsed.bozo
    assert _paths(server, [e.link for e in parsed.entries]) == _expected(manifest, "press", "feed")

    news = Selector(text=get_url(server, sources["dpw"]["sitemaps"][0]).decode(), type="xml")
    news.register_namespace("s", "http://www.sitemaps.org/schemas/sitemap/0.9")
    news.register_namespace("n", "http://www.google.com/schemas/sitemap-news/0.9")
    assert len(news.xpath("//n:publication_date")) == len(news.xpath("//s:url"))
    assert _paths(server, news.xpath("//s:loc/text()").getall()) == _expected(manifest, "press", "news_sitemap")

    sitemap = Selector(text=get_url(server, sources["acd"]["sitemaps"][0]).decode(), type="xml")
    sitemap.register_namespace("s", "http://www.sitemaps.org/schemas/sitemap/0.9")
    in_sitemap = _paths(server, sitemap.xpath("//s:loc/text()").getall())
    assert _expected(manifest, "regulator", "sitemap") <= in_sitemap
    assert ("regulator", "/admin/extranet/") not in in_sitemap


# -- sources.yaml ----------------------------------------------------------------------------------


def test_render_sources_validates(server: FixtureServer) -> None:
    data = render_sources(server)
    parsed = SourcesFile.model_validate(data)
    assert [s.id for s in parsed.sources] == ["acd", "bmdd", "dpw", "ndsa"]
    assert "{{" not in yaml.safe_dump(data)
    by_id = {s.id: s for s in parsed.sources}
    assert by_id["acd"].listings[0].url == server.base_url("regulator") + "/actualites/"
    assert by_id["dpw"].feeds == [server.base_url("press") + "/feed.atom"]
    assert by_id["dpw"].sitemaps == [server.base_url("press") + "/news-sitemap.xml"]


def test_render_sources_leaves_out_sites_not_served() -> None:
    with FixtureServer(sites=["ministry"]) as only_ministry:
        data = render_sources(only_ministry)
    assert [s["id"] for s in data["sources"]] == ["bmdd"]
    SourcesFile.model_validate(data)


def test_sites_root_is_packaged_next_to_the_code() -> None:
    # The generators write where the package serves from, and the package ships no generator.
    assert load_tool("build_sites").SITES_ROOT == load_tool("make_pdf").SITES_ROOT == SITES_ROOT
    assert not (SITES_ROOT.parent / "tools").exists()
    assert (SITES_ROOT / "MANIFEST.yaml").is_file()


def test_fixed_base_port_gives_stable_urls() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FixtureServer(sites=["press"], base_port=port) as fixed:
        assert fixed.base_url("press") == f"http://127.0.0.1:{port}"
        assert fetch(fixed, "press", "/feed.atom")[0] == 200
