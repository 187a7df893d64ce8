from __future__ import annotations

import asyncio
import codecs
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import scrapy
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from monitor.config.schema import Source
from monitor.settings_defaults import DEFAULTS
from monitor.storage import dispose_all, repository_for
from monitor.storage.records import ArticleRecord
from spiders.feed_pool import FeedParserPool
from spiders.feeds import NotAFeed, parse_feed
from spiders.source_spider import SourceSpider
from tests.helpers import FIXTURES_DIR, REPO_ROOT

FEEDS = FIXTURES_DIR / "feeds"


def test_rss_latin1_with_offsets_relative_links_and_a_broken_entry() -> None:
    title, entries = parse_feed((FEEDS / "ministry.rss").read_bytes(), "https://www.bmdd.example/rss.xml")
    assert "Bundesministerium für Digitales" in title
    assert [e.title[:20] for e in entries] == ["Kabinett beschließt ", "Staatssekretärin zu "]
    assert entries[0].published == datetime(2026, 11, 3, 9, 15, tzinfo=UTC)
    assert entries[1].url == "https://www.bmdd.example/presse/2026/drittland.html"
    assert entries[0].summary.startswith("<p>Die Bundesregierung")


def test_atom_published_and_updated() -> None:
    _title, entries = parse_feed((FEEDS / "press.atom").read_bytes(), "https://policywire.example/feed.atom")
    assert entries[0].url == "https://policywire.example/2026/11/eu-india-adequacy"
    assert entries[0].published == datetime(2026, 11, 19, 16, 30, tzinfo=UTC)
    assert entries[1].published is None and entries[1].updated is not None


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>&lol2;</title><item><title>x</title><link>http://a/</link></item></channel></rss>"""


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>", "not an RSS"),
        (BILLION_LAUGHS, "entities"),
        (BILLION_LAUGHS.decode().encode("utf-16"), "entities"),
    ],
)
def test_refused_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(NotAFeed, match=reason):
        parse_feed(body, "https://x.example/feed")


def test_truncated_feed_keeps_complete_entries() -> None:
    body = (FEEDS / "press.atom").read_bytes()
    cut = body[: body.index(b"<title>Transfer window")]
    _title, entries = parse_feed(cut, "https://policywire.example/feed.atom")
    assert [e.url for e in entries] == ["https://policywire.example/2026/11/eu-india-adequacy"]


ZONES = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
<item><title>no zone</title><link>https://cac.example/a</link><pubDate>Mon, 17 Nov 2026 10:00:00</pubDate></item>
<item><title>unknown zone</title><link>https://cac.example/b</link>
<pubDate>Mon, 17 Nov 2026 10:00:00 CST</pubDate></item>
<item><title>offset</title><link>https://cac.example/c</link><pubDate>Mon, 17 Nov 2026 10:00:00 +0800</pubDate></item>
<item><title>iso</title><link>https://cac.example/d</link><pubDate>2026-11-17T10:00:00</pubDate></item>
</channel></rss>"""


def test_dates_without_a_zone_use_the_source_timezone() -> None:
    _title, entries = parse_feed(ZONES, "https://cac.example/rss", timezone="Asia/Shanghai")
    expected = datetime(2026, 11, 17, 2, 0, tzinfo=UTC)
    assert [e.published for e in entries] == [expected] * 4


def test_malformed_feed_without_usable_entry_is_refused() -> None:
    with pytest.raises(NotAFeed, match="malformed"):
        parse_feed(b"<rss><channel><item><title>x</item></rss>>>", "https://x.example/feed")


# -- hostile feeds (issue 12) ----------------------------------------------------------------
# Fixtures are written here, regulator-style; the big ones are generated.


def regulator_rss(items: str, *, declaration: str = '<?xml version="1.0" encoding="utf-8"?>', dtd: str = "") -> str:
    """An RSS 2.0 feed shaped like a data protection authority's (CNIL-style) news feed."""
    return f"""{declaration}
{dtd}<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>CNIL : actualités</title>
    <link>https://www.cnil.example/fr/actualites</link>
    <atom:link href="https://www.cnil.example/fr/rss.xml" rel="self" type="application/rss+xml"/>
    <description>Les actualités de la Commission</description>
    <language>fr</language>
    {items}
  </channel>
</rss>
"""


def item(
    title: str, slug: str, day: int = 17, summary: str = "Délibération relative aux transferts de données."
) -> str:
    return f"""<item>
      <title>{title}</title>
      <link>https://www.cnil.example/fr/{slug}</link>
      <description>{summary}</description>
      <pubDate>Mon, {day:02d} Nov 2026 10:00:00 +0100</pubDate>
      <guid isPermaLink="false">cnil-{slug}</guid>
    </item>"""


GOOD_ITEMS = item("Transferts hors UE : la CNIL publie ses recommandations", "transferts-hors-ue") + item(
    "Cloud souverain : sanction d'un hébergeur", "cloud-souverain", day=10
)


def entity_bomb(declaration: str) -> str:
    """The quadratic expansion of issue 12: one long entity referenced thousands of times (no
    nesting, so expat's amplification guard alone does not stop feedparser's loose parser)."""
    dtd = f'<!DOCTYPE rss [\n<!ENTITY avis "{"Avis sur les transferts de données. " * 80}">\n]>\n'
    refs = "&avis;" * 2000
    return regulator_rss(item(refs, "bombe") + GOOD_ITEMS, declaration=declaration, dtd=dtd)


@pytest.mark.parametrize(
    ("where", "inner", "expected"),
    [
        ("a surrogate in an entry title", item("Avis n° 2026-17 &#xD800;", "avis-17"), "Avis n° 2026-17 \ufffd"),
        ("a low surrogate in the content", item("Avis", "avis", summary="Texte &#xDFFF; intégral"), "Avis"),
        ("a code point above U+10FFFF in a title", item("Avis &#x110000;", "avis"), "Avis \ufffd"),
        ("a huge decimal reference", item("Avis &#99999999999;", "avis"), "Avis \ufffd"),
        ("a huge hexadecimal reference", item("Avis &#xFFFFFFFFFFFFFFFFFFFF;", "avis"), "Avis \ufffd"),
        ("a NUL reference", item("Avis &#0; n° 3", "avis"), "Avis \ufffd n° 3"),
    ],
)
def test_reference_to_a_non_character_costs_one_character_not_the_feed(where: str, inner: str, expected: str) -> None:
    """feedparser raises on these (chr() out of range); each becomes U+FFFD and every entry stays."""
    _title, entries = parse_feed(regulator_rss(inner + GOOD_ITEMS).encode(), "https://www.cnil.example/fr/rss.xml")
    assert [e.title for e in entries][0] == expected, where
    assert len(entries) == 3, where


def test_bad_reference_in_a_gb2312_feed_keeps_its_chinese_text() -> None:
    """The repair works on the text as feedparser decoded it, so the HTTP charset still counts."""
    body = regulator_rss(item("数据出境 &#x110000; 安全评估", "pinggu") + GOOD_ITEMS).encode("gb18030")
    headers = {"Content-Type": "application/rss+xml; charset=gb18030"}
    _title, entries = parse_feed(body, "https://www.cac.example/rss.xml", headers=headers)
    assert entries[0].title == "数据出境 \ufffd 安全评估"


def test_good_references_are_left_alone() -> None:
    _title, entries = parse_feed(
        regulator_rss(item("Avis &#233;&#x20AC; &#128512;", "avis")).encode(), "https://x.example/"
    )
    assert entries[0].title == "Avis é€ 😀"


def test_any_exception_of_the_parser_is_a_named_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a third-party parser raises on hostile bytes is this feed's error, not the run's."""

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("internal parser state\nsecond line")

    monkeypatch.setattr("spiders.feeds.feedparser.parse", explode)
    with pytest.raises(NotAFeed, match=r"^feed could not be parsed: RuntimeError: internal parser state$"):
        parse_feed(regulator_rss(GOOD_ITEMS).encode(), "https://www.cnil.example/fr/rss.xml")


WIDE_ENCODINGS = [
    # (Python codec, declared encoding, BOM written)
    ("utf-32-le", "UTF-32", b""),
    ("utf-32-be", "UTF-32", b""),
    ("utf-32-le", "UTF-32", codecs.BOM_UTF32_LE),
    ("utf-32-be", "UTF-32", codecs.BOM_UTF32_BE),
    ("cp500", "cp500", b""),
    ("cp037", "cp037", b""),
    ("utf-16-le", "UTF-16", b""),
    ("utf-16-be", "UTF-16", b""),
    ("utf-16-le", "UTF-16", codecs.BOM_UTF16_LE),
    ("utf-16-be", "UTF-16", codecs.BOM_UTF16_BE),
]


@pytest.mark.parametrize(("codec", "declared", "bom"), WIDE_ENCODINGS)
def test_entity_declaration_is_refused_in_every_encoding_feedparser_reads(
    codec: str, declared: str, bom: bytes
) -> None:
    body = bom + entity_bomb(f'<?xml version="1.0" encoding="{declared}"?>').encode(codec)
    with pytest.raises(NotAFeed, match="XML entities"):
        parse_feed(body, "https://www.cnil.example/fr/rss.xml")


@pytest.mark.parametrize(("codec", "declared", "bom"), WIDE_ENCODINGS)
def test_the_same_feeds_without_a_dtd_are_read(codec: str, declared: str, bom: bytes) -> None:
    body = bom + regulator_rss(GOOD_ITEMS, declaration=f'<?xml version="1.0" encoding="{declared}"?>').encode(codec)
    title, entries = parse_feed(body, "https://www.cnil.example/fr/rss.xml")
    assert title == "CNIL : actualités"
    assert [e.title for e in entries] == [
        "Transferts hors UE : la CNIL publie ses recommandations",
        "Cloud souverain : sanction d'un hébergeur",
    ]


@pytest.mark.parametrize(
    ("codec", "content_type"),
    [("utf-16-le", "application/rss+xml; charset=utf-16le"), ("utf-7", "text/xml; charset=utf-7")],
)
def test_entity_declaration_is_refused_when_only_the_http_header_names_the_encoding(
    codec: str, content_type: str
) -> None:
    body = entity_bomb('<?xml version="1.0"?>').encode(codec)
    with pytest.raises(NotAFeed, match="XML entities"):
        parse_feed(body, "https://www.cnil.example/fr/rss.xml", headers={"Content-Type": content_type})


def test_internal_subset_without_entities_is_refused_and_a_public_doctype_is_not() -> None:
    subset = regulator_rss(GOOD_ITEMS, dtd='<!DOCTYPE rss [\n<!ATTLIST item lang CDATA "fr">\n]>\n').encode()
    with pytest.raises(NotAFeed, match="DTD"):
        parse_feed(subset, "https://www.cnil.example/fr/rss.xml")
    public = regulator_rss(
        GOOD_ITEMS,
        dtd='<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n',
    ).encode()
    assert len(parse_feed(public, "https://www.cnil.example/fr/rss.xml")[1]) == 2


def test_gb2312_feed_with_the_charset_only_in_the_http_header() -> None:
    body = (FEEDS / "cac-gb2312.rss").read_bytes()
    assert b"encoding=" not in body  # the prolog names no encoding: only the header does
    title, entries = parse_feed(
        body,
        "https://www.cac.example/rss.xml",
        "Asia/Shanghai",
        {"Content-Type": "application/rss+xml; charset=GB2312"},
    )
    assert title == "国家互联网信息办公室 - 政策法规"
    assert [e.title for e in entries] == ["促进和规范数据跨境流动规定", "数据出境安全评估申报指南（第三版）"]
    assert entries[0].summary.startswith("为了保障数据安全")


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/rss+xml; charset=utf-8"},
        {"Content-Type": "text/xml"},
        {"Content-Type": "text/html; charset=utf-8"},  # a misconfigured server: still a well-formed feed
        {},
    ],
)
def test_well_formed_feed_without_entries_is_an_empty_feed(headers: dict[str, str]) -> None:
    title, entries = parse_feed(
        (FEEDS / "dpc-empty.rss").read_bytes(), "https://www.dpc.example/rss.xml", "UTC", headers
    )
    assert title == "Data Protection Commission – Decisions"
    assert entries == []


def test_body_that_names_a_local_file_is_not_read(tmp_path: Path) -> None:
    local = tmp_path / "local.rss"
    local.write_text(regulator_rss(item("Read from the crawler's own disk", "local")))
    with pytest.raises(NotAFeed, match="not an RSS or Atom feed"):
        parse_feed(str(local).encode(), "https://www.cnil.example/fr/rss.xml")


# -- the bounded worker ------------------------------------------------------------------------


def deep_feed(depth: int) -> bytes:
    """A valid feed whose one entry carries an element nested ``depth`` deep (50,000 deep: 350 KB,
    a second or more of feedparser's CPU)."""
    nested = "<section>" * depth + "Texte" + "</section>" * depth
    entry = item("Délibération imbriquée", "imbriquee").replace("</item>", f"{nested}</item>")
    return regulator_rss(entry).encode()


def test_worker_parses_a_deeply_nested_feed_and_reports_bad_bytes_by_name() -> None:
    pool = FeedParserPool(1, memory_mb=256, seconds=60)
    try:
        kind, value = pool.parse(deep_feed(50_000), "https://www.cnil.example/fr/rss.xml")
        assert kind == "ok", value
        assert [e.url for e in value[1]] == ["https://www.cnil.example/fr/imbriquee"]
        page = b"<!DOCTYPE html><html><head><title>CNIL</title></head><body><p>Actualit\xc3\xa9s</p></body></html>"
        kind, reason = pool.parse(page, "https://www.cnil.example/fr/rss.xml")
        assert (kind, reason.split(" (")[0]) == ("not_a_feed", "not an RSS or Atom feed")
        assert pool.workers[0].started == 1  # one warm process for both
    finally:
        pool.close()


def test_worker_time_limit_is_that_feeds_error_and_the_next_feed_is_parsed() -> None:
    pool = FeedParserPool(1, memory_mb=256, seconds=0.2)
    try:
        # ~5 s of CPU against a 0.2 s limit.
        assert pool.parse(deep_feed(200_000), "https://www.cnil.example/fr/rss.xml") == (
            "time",
            "feed parsing took longer than 0.2 s",
        )
        kind, value = pool.parse(regulator_rss(GOOD_ITEMS).encode(), "https://www.cnil.example/fr/rss.xml")
        assert kind == "ok" and len(value[1]) == 2
    finally:
        pool.close()


MEASURED = """
import resource, sys
from spiders.feed_pool import FeedParserPool
huge, small = sys.stdin.buffer.read().split(b"\\0")
pool = FeedParserPool(1, memory_mb=int(sys.argv[1]), seconds=120)
print(pool.parse(huge, "https://www.cnil.example/fr/rss.xml")[0])
print(pool.parse(small, "https://www.cnil.example/fr/rss.xml")[0])
print(pool.workers[0].started)
pool.close()
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def test_worker_memory_limit_holds_the_workers_peak_rss() -> None:
    # One 17 MB description: feedparser needs ~190 MB of memory for it.
    huge = regulator_rss(
        item("Délibération", "longue", summary="Transferts de données vers des pays tiers. " * 400_000)
    )
    small = regulator_rss(GOOD_ITEMS)
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "64"],
        input=huge.encode() + b"\0" + small.encode(),
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=300,
        check=True,
    )
    first, second, started, peak_mb = done.stdout.decode().split()
    assert (first, second) == ("memory", "ok")
    assert started == "2"  # the worker that hit the limit was replaced for the next feed
    # The OS's figure for the largest worker: its idle size (~30 MB) plus the 64 MB it may grow.
    assert int(peak_mb) < 30 + 64 + 16, peak_mb


# -- the entry cap -----------------------------------------------------------------------------


def capped_spider(tmp_path: Path, source: Source, **settings: object) -> SourceSpider:
    crawler = get_crawler(SourceSpider, {**DEFAULTS, "MONITOR_DB_URL": f"sqlite:///{tmp_path / 'm.db'}", **settings})
    spider = SourceSpider.from_crawler(crawler, sources=[source])
    crawler.spider = spider
    crawler.stats.open_spider()
    repository_for(f"sqlite:///{tmp_path / 'm.db'}").ensure_source(source.id, source.name)
    return spider


def feed_response(url: str, body: bytes, source_id: str) -> XmlResponse:
    request = scrapy.Request(url, meta={"endpoint": {"kind": "feed", "source_id": source_id, "url": url}})
    return XmlResponse(url, body=body, request=request, headers={"Content-Type": "application/rss+xml"})


def collect(requests: AsyncIterator[scrapy.Request]) -> list[scrapy.Request]:
    async def gather() -> list[scrapy.Request]:
        return [request async for request in requests]

    return asyncio.run(gather())


# Ten decisions, published on days 1..10 of November, listed out of order as some CMSs do.
DAYS = [4, 10, 1, 7, 9, 2, 8, 3, 6, 5]
TEN = regulator_rss("".join(item(f"Décision {day}", f"decision-{day}", day=day) for day in DAYS)).encode()
FEED = "https://www.cnil.example/fr/rss.xml"


def test_a_run_takes_the_newest_entries_not_stored_and_says_what_it_left(tmp_path: Path) -> None:
    source = Source(id="cnil", name="CNIL", kind="regulator", jurisdiction="FR", feeds=[FEED], max_entries_per_feed=3)
    spider = capped_spider(tmp_path, source)
    repository = repository_for(f"sqlite:///{tmp_path / 'm.db'}")
    stored = "https://www.cnil.example/fr/decision-10"
    repository.upsert_article(ArticleRecord(canonical_url=stored, url=stored, source_id="cnil", title="x", text="x"))
    requests = collect(spider.parse_feed(feed_response(FEED, TEN, "cnil"), source))
    assert [r.url for r in requests] == [f"https://www.cnil.example/fr/decision-{day}" for day in (9, 8, 7)]
    (row,) = repository.endpoints()
    assert row.error_class is None and row.items_seen == 10
    assert row.last_error == "took the 3 newest of 9 entries not stored yet (10 in the feed); the rest on later runs"
    # Its validators stay unpromoted: the next run reads the feed in full, not a 304.
    assert spider.sources_with_failed_articles == {"cnil"}
    dispose_all()


def test_the_global_cap_applies_to_a_source_without_its_own(tmp_path: Path) -> None:
    source = Source(id="cnil", name="CNIL", kind="regulator", jurisdiction="FR", feeds=[FEED])
    spider = capped_spider(tmp_path, source, MONITOR_MAX_ENTRIES_PER_FEED=4)
    requests = collect(spider.parse_feed(feed_response(FEED, TEN, "cnil"), source))
    assert [r.url.rsplit("-", 1)[1] for r in requests] == ["10", "9", "8", "7"]
    dispose_all()


def test_a_feed_within_the_cap_is_taken_whole_with_no_note(tmp_path: Path) -> None:
    source = Source(id="cnil", name="CNIL", kind="regulator", jurisdiction="FR", feeds=[FEED], max_entries_per_feed=10)
    spider = capped_spider(tmp_path, source)
    assert len(collect(spider.parse_feed(feed_response(FEED, TEN, "cnil"), source))) == 10
    (row,) = repository_for(f"sqlite:///{tmp_path / 'm.db'}").endpoints()
    assert row.last_error is None and spider.sources_with_failed_articles == set()
    dispose_all()
