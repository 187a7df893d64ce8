"""Hostile feeds through the real CLI (``monitor run``) against a loopback site (issue 12, 4-7).

* A feed that makes feedparser raise is that source's named error, on stderr and in ``monitor
  sources list``; the good source beside it is stored and the exit code says a source failed.
* Entity expansions hidden by UTF-32 or EBCDIC are refused, and the whole process tree stays
  small: the peak RSS of its largest process is read from the OS (``RUSAGE_CHILDREN`` of a
  fresh wrapper process), not inferred from the clock.
* A 2,000-entry feed is capped per run, newest first, and the next run takes the next-newest.

The feeds are regulator-style RSS written here; the big ones are generated.
"""

from __future__ import annotations

import codecs
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Endpoint
from tests.helpers.cli import RUN_TIMEOUT, monitor, monitor_command
from tests.helpers.config import write_config
from tests.helpers.paths import REPO_ROOT
from tests.mockserver import Reply, RouteServer
from tests.mockserver.fault_pages import ARTICLE

pytestmark = pytest.mark.timeout(600)

RSS = "application/rss+xml; charset=utf-8"
NOW = datetime.now(UTC).replace(microsecond=0)


def rss(base: str, items: str, *, declaration: str = '<?xml version="1.0" encoding="utf-8"?>', dtd: str = "") -> str:
    return f"""{declaration}
{dtd}<rss version="2.0">
  <channel>
    <title>Autorité de protection des données : actualités</title>
    <link>{base}/fr/actualites</link>
    <description>Communiqués et décisions</description>
    <language>fr</language>
    {items}
  </channel>
</rss>
"""


def item(base: str, title: str, slug: str, published: datetime) -> str:
    return f"""<item>
      <title>{title}</title>
      <link>{base}/fr/{slug}.html</link>
      <description>Délibération relative aux transferts de données vers des pays tiers.</description>
      <pubDate>{published:%a, %d %b %Y %H:%M:%S +0000}</pubDate>
      <guid isPermaLink="false">apd-{slug}</guid>
    </item>"""


def article(title: str) -> Reply:
    return Reply(200, ARTICLE.format(title=title, extra="La décision est publiée au registre.").encode())


def source(source_id: str, feed: str, **extra: Any) -> dict[str, Any]:  # noqa: ANN401 - YAML values
    return {"id": source_id, "name": source_id, "kind": "regulator", "jurisdiction": "BE", "feeds": [feed], **extra}


def stored_urls(database_url: str, source_id: str) -> set[str]:
    with repository_for(database_url).sessions() as session:
        return set(session.scalars(select(Article.url).where(Article.source_id == source_id)))


def endpoint(database_url: str, source_id: str) -> Endpoint:
    with repository_for(database_url).sessions() as session:
        row = session.scalars(select(Endpoint).where(Endpoint.source_id == source_id)).one()
        session.expunge(row)
        return row


def health_rows(config: Path, database_url: str) -> dict[str, str]:
    listing = monitor(config, database_url, "sources", "list")
    assert listing.returncode == 0, listing.stderr
    rows: dict[str, str] = {}
    current = ""
    for line in listing.stdout.splitlines():
        if line.count("│") > 5:
            current = line.split("│")[1].strip() or current  # folded cells continue on lines of their own
            rows[current] = rows.get(current, "") + line
    return rows


def good_site(site: RouteServer) -> None:
    """A good regulator feed with two articles, and robots.txt."""
    base = site.url("").rstrip("/")
    items = item(base, "Transferts hors UE : recommandations", "transferts", NOW - timedelta(days=1)) + item(
        base, "Cloud souverain : sanction d'un hébergeur", "cloud", NOW - timedelta(days=2)
    )
    site.routes.update(
        {
            "/robots.txt": lambda h: Reply(200, b"User-agent: *\nAllow: /\n", content_type="text/plain"),
            "/fr/rss.xml": lambda h: Reply(200, rss(base, items).encode(), content_type=RSS),
            "/fr/transferts.html": lambda h: article("Transferts hors UE : recommandations"),
            "/fr/cloud.html": lambda h: article("Cloud souverain : sanction d'un hébergeur"),
        }
    )


# -- references to non-characters, on which feedparser raises -----------------------------------
BAD_REFERENCES = {
    "surrogate": ("Avis n° 2026-17 &#xD800;", "Avis n° 2026-17 \ufffd"),
    "above-unicode": ("Avis &#x110000; sur les transferts", "Avis \ufffd sur les transferts"),
    "huge-number": ("Avis &#99999999999;", "Avis \ufffd"),
}


def test_feed_with_references_to_non_characters_loses_one_character_not_the_source(
    tmp_path: Path, sqlite_url: str
) -> None:
    """Before: feedparser raised, the source was never recorded and ``run --source`` exited 0.
    Now each bad reference is U+FFFD and each feed's entries are stored beside the good source's."""
    with RouteServer("apd") as site:
        good_site(site)
        base = site.url("").rstrip("/")
        for name, (title, _stored) in BAD_REFERENCES.items():
            body = rss(base, item(base, title, f"{name}-avis", NOW - timedelta(hours=3))).encode()
            site.routes[f"/{name}.xml"] = lambda h, body=body: Reply(200, body, content_type=RSS)
            site.routes[f"/fr/{name}-avis.html"] = lambda h: article("Avis sur les transferts de données")
        sources = [source("good", site.url("/fr/rss.xml"))]
        sources += [source(name, site.url(f"/{name}.xml")) for name in BAD_REFERENCES]
        config = write_config(tmp_path / "config", sources, allowed_private_hosts=[site.hostport])
        result = monitor(config, sqlite_url, "run")
        single = monitor(config, sqlite_url, "run", "--source", "surrogate")
    assert result.returncode == 0, result.stderr[-3000:]
    assert single.returncode == 0, single.stderr[-3000:]
    assert stored_urls(sqlite_url, "good") == {site.url("/fr/transferts.html"), site.url("/fr/cloud.html")}
    for name in BAD_REFERENCES:
        assert stored_urls(sqlite_url, name) == {site.url(f"/fr/{name}-avis.html")}, name
        row = endpoint(sqlite_url, name)
        assert row.error_class is None and row.last_status == 200, name
    rows = health_rows(config, sqlite_url)
    for name in BAD_REFERENCES:
        assert "ok (200)" in rows[name], rows[name]
    dispose_all()


# -- entity expansions in encodings the old check did not decode ----------------------------------
def entity_bomb(base: str, declared: str, value: str) -> str:
    """Issue 12's quadratic expansion: one 3,000-character entity referenced 20,000 times in an
    entry's title, a 60-million-character title once expanded (no nesting: expat's amplification
    guard stops its own parser, then feedparser's loose parser expands it regardless)."""
    dtd = f'<!DOCTYPE rss [\n<!ENTITY avis "{value * (3000 // len(value))}">\n]>\n'
    entry = item(base, "&avis;" * 20_000, "bombe", NOW - timedelta(hours=1))
    return rss(base, entry, declaration=f'<?xml version="1.0" encoding="{declared}"?>', dtd=dtd)


# Where UTF-32 can carry them, characters outside Latin-1 make each expanded one 4 bytes wide.
WIDE = "🇪🇺 données "
LATIN = "Avis sur les transferts de données. "
BOMBS = {
    "utf32-le-no-bom": ("utf-32-le", "UTF-32", b"", WIDE),
    "utf32-be-bom": ("utf-32-be", "UTF-32", codecs.BOM_UTF32_BE, WIDE),
    "ebcdic-cp500": ("cp500", "cp500", b"", LATIN),
    "ebcdic-cp037": ("cp037", "cp037", b"", LATIN),
    "utf16-bom": ("utf-16-le", "UTF-16", codecs.BOM_UTF16_LE, WIDE),
}

# Runs ``monitor`` and prints, last, the peak RSS (MB) of the largest process of its tree, as the
# kernel accounts it: every process of the tree is reaped below this fresh wrapper.
PEAK_RSS = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(f"peak-rss-mb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}")
sys.exit(code)
"""

# The crawl process of this run (Scrapy, the matcher, SQLAlchemy) peaks at ~210 MB; one UTF-32
# bomb parsed in it adds ~500 MB.
PEAK_RSS_LIMIT_MB = 450


def test_entity_bombs_in_utf32_and_ebcdic_are_refused_and_the_run_stays_small(tmp_path: Path, sqlite_url: str) -> None:
    with RouteServer("apd") as site:
        good_site(site)
        base = site.url("").rstrip("/")
        for name, (codec, declared, bom, value) in BOMBS.items():
            body = bom + entity_bomb(base, declared, value).encode(codec)
            site.routes[f"/{name}.xml"] = lambda h, body=body: Reply(200, body, content_type="application/rss+xml")
        sources = [source("good", site.url("/fr/rss.xml"))]
        sources += [source(name, site.url(f"/{name}.xml")) for name in BOMBS]
        config = write_config(tmp_path / "config", sources, allowed_private_hosts=[site.hostport])
        measured = subprocess.run(
            [sys.executable, "-c", PEAK_RSS, *monitor_command(config, sqlite_url, "run")],
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            cwd=REPO_ROOT,
        )
    assert measured.returncode == 3, measured.stderr[-3000:]
    for name in BOMBS:
        cause = "not_a_feed: feed declares a DTD or XML entities (refused: entity expansion attack)"
        assert f"source {name} failed: {site.url(f'/{name}.xml')}: {cause}" in measured.stderr, measured.stderr[-3000:]
    assert len(stored_urls(sqlite_url, "good")) == 2
    peak = int(measured.stdout.rsplit("peak-rss-mb=", 1)[1])
    assert peak < PEAK_RSS_LIMIT_MB, peak
    dispose_all()


# -- a 2,000-entry feed ---------------------------------------------------------------------------
ENTRIES = 2000
CAP = 40


def test_long_feed_is_capped_newest_first_and_continued_on_the_next_run(tmp_path: Path, sqlite_url: str) -> None:
    with RouteServer("apd") as site:
        base = site.url("").rstrip("/")
        # Entry n was published n hours ago; the feed lists them oldest first, to show the order is
        # the dates', not the feed's.
        items = "".join(
            item(base, f"Décision n° {n}", f"decision-{n}", NOW - timedelta(hours=n)) for n in reversed(range(ENTRIES))
        )
        body = rss(base, items).encode()
        etag = '"apd-2000"'
        feed_requests: list[str | None] = []

        def feed(handler: Any) -> Reply:  # noqa: ANN401 - the route's request handler
            feed_requests.append(handler.headers.get("If-None-Match"))
            if handler.headers.get("If-None-Match") == etag:
                return Reply(304, b"", headers={"ETag": etag}, content_type=RSS)
            return Reply(200, body, headers={"ETag": etag}, content_type=RSS)

        site.routes.update(
            {
                "/robots.txt": lambda h: Reply(200, b"User-agent: *\nAllow: /\n", content_type="text/plain"),
                "/fr/rss.xml": feed,
                **{f"/fr/decision-{n}.html": (lambda h, n=n: article(f"Décision n° {n}")) for n in range(ENTRIES)},
            }
        )
        config = write_config(
            tmp_path / "config",
            [source("apd", site.url("/fr/rss.xml"), max_entries_per_feed=CAP)],
            allowed_private_hosts=[site.hostport],
        )
        first = monitor(config, sqlite_url, "run")
        after_first = stored_urls(sqlite_url, "apd")
        note = endpoint(sqlite_url, "apd").last_error
        rows = health_rows(config, sqlite_url)
        second = monitor(config, sqlite_url, "run")
        after_second = stored_urls(sqlite_url, "apd")
        article_hits = {path: site.hits(path) for path in site.counts if path.startswith("/fr/decision-")}
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    newest = [site.url(f"/fr/decision-{n}.html") for n in range(2 * CAP)]
    assert after_first == set(newest[:CAP])
    assert note == f"took the {CAP} newest of 2,000 entries not stored yet (2,000 in the feed); the rest on later runs"
    assert f"took the {CAP} newest of 2,000" in rows["apd"], rows["apd"]
    # The second run read the feed in full (no 304) and took the next-newest, fetching none twice.
    assert feed_requests == [None, None]
    assert after_second == set(newest)
    assert set(article_hits.values()) == {1} and len(article_hits) == 2 * CAP
    assert f"took the {CAP} newest of 1,960 entries not stored yet" in (endpoint(sqlite_url, "apd").last_error or "")
    dispose_all()


# -- the ad-hoc crawl parses feeds as a run does ----------------------------------------------------
def test_adhoc_crawl_reads_a_feed_in_the_charset_its_response_names(tmp_path: Path, sqlite_url: str) -> None:
    """``monitor crawl URL`` hands feedparser the response's headers too: a GB18030 feed that names
    its charset only in ``Content-Type`` yields the right (Chinese) article URL, not mojibake."""
    slug = "数据出境安全评估"
    quoted = "".join(f"%{b:02X}" for b in slug.encode("utf-8"))
    with RouteServer("cnreg") as site:
        base = site.url("").rstrip("/")
        home = (
            '<html><head><title>网信办</title><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            "</head><body><p>通知公告</p></body></html>"
        )
        feed = rss(
            base,
            item(base, "关于数据出境安全评估的通知", slug, NOW - timedelta(hours=2)),
            declaration='<?xml version="1.0"?>',
        )
        site.routes.update(
            {
                "/robots.txt": lambda h: Reply(200, b"User-agent: *\nAllow: /\n", content_type="text/plain"),
                "/": lambda h: Reply(200, home.encode("utf-8"), content_type="text/html; charset=utf-8"),
                "/rss.xml": lambda h: Reply(
                    200, feed.encode("gb18030"), content_type="application/rss+xml; charset=gb18030"
                ),
                f"/fr/{quoted}.html": lambda h: article("关于数据出境安全评估的通知"),
            }
        )
        config = write_config(tmp_path / "config", [], allowed_private_hosts=[site.hostport])
        result = monitor(config, sqlite_url, "crawl", site.url("/"), "--max-pages", "10", "--depth", "1")
        hits = site.hits(f"/fr/{quoted}.html")
    assert result.returncode == 0, result.stderr[-3000:]
    assert hits == 1, result.stderr[-3000:]
    assert stored_urls(sqlite_url, "adhoc") == {site.url(f"/fr/{quoted}.html")}
    dispose_all()
