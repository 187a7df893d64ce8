"""Turns the bytes of an RSS or Atom feed that Scrapy fetched into entries.

feedparser only ever sees bytes, never a URL or a path: fetching is Scrapy's job (robots.txt,
throttling, size limits), and feedparser fetching on its own would bypass all of it.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from monitor.extraction.dates import parse_date

log = logging.getLogger(__name__)

# feedparser's loose parser expands internal entities without limit ("billion laughs"); a feed
# has no legitimate need for an internal DTD subset, so any declaration refuses the whole feed.
ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)


class NotAFeed(ValueError):
    """The bytes are not a feed (HTML, empty, truncated beyond repair) or are unsafe to parse."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    summary: str
    published: datetime | None
    updated: datetime | None


def _decode_for_check(body: bytes) -> str:
    """Decode well enough to see markup, whatever the encoding, so UTF-16 cannot hide a DTD."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", "replace")
    if body[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return body.decode("utf-16-le" if body[0] == 0x3C else "utf-16-be", "replace")
    return body.decode("utf-8", "replace")


def _as_datetime(parsed: object) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)  # type: ignore[arg-type]  # feedparser's struct_time is untyped
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_date(entry: dict, key: str, timezone: str) -> datetime | None:  # type: ignore[type-arg]  # a feedparser entry
    """The raw string read in the source's timezone when it names none; feedparser's own parse
    (which takes a zoneless date as UTC) only when ours cannot read it."""
    # dict.get: FeedParserDict.get maps a missing key onto another (with a warning).
    raw = dict.get(entry, key)
    parsed = parse_date(raw, timezone) if isinstance(raw, str) else None
    return parsed or _as_datetime(dict.get(entry, f"{key}_parsed"))


def parse_feed(body: bytes, base_url: str, timezone: str = "UTC") -> tuple[str, list[FeedEntry]]:
    """Parse a feed; return its title and entries, or raise ``NotAFeed`` with the reason.

    ``timezone`` is the source's: dates without a zone, or with an abbreviation that pins none
    down, are read in it.
    """
    if not body.strip():
        raise NotAFeed("empty body")
    head = _decode_for_check(body)
    if ENTITY_DECLARATION.search(head):
        raise NotAFeed("feed declares XML entities (refused: entity expansion attack)")
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not version and not entries:
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not an RSS or Atom feed ({type(reason).__name__ if reason else 'no feed elements'})")
    if parsed.get("bozo") and not entries:
        raise NotAFeed(f"malformed feed: {parsed.get('bozo_exception')}")
    result: list[FeedEntry] = []
    for entry in entries:
        link = entry.get("link") or ""
        if not link:
            for candidate in entry.get("links") or []:
                if candidate.get("href"):
                    link = candidate["href"]
                    break
        if not link:
            continue
        result.append(
            FeedEntry(
                url=link.strip(),
                title=(entry.get("title") or "").strip(),
                summary=(entry.get("summary") or "").strip(),
                published=_entry_date(entry, "published", timezone),
                updated=_entry_date(entry, "updated", timezone),
            )
        )
    if parsed.get("bozo") and not result:
        raise NotAFeed(f"malformed feed without a usable entry: {parsed.get('bozo_exception')}")
    return (parsed.get("feed") or {}).get("title", ""), result
