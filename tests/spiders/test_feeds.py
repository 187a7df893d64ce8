from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spiders.feeds import NotAFeed, parse_feed
from tests.helpers import FIXTURES_DIR

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
