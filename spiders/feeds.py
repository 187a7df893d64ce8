"""Turns the bytes of an RSS or Atom feed that Scrapy fetched into entries.

feedparser only ever sees bytes, never a URL or a path: fetching is Scrapy's job (robots.txt,
throttling, size limits), and feedparser fetching on its own would bypass all of it. The bytes
go in wrapped in ``BytesIO``: given a bare ``bytes`` object, feedparser first tries it as a file
name, so a feed whose body is ``/etc/passwd`` or ``/dev/zero`` would read the local file.

This module is pure (no Scrapy, no Twisted): the crawl runs it in a bounded worker process
(``spiders.feed_pool``); ``parse_feed`` is the whole job of that worker.
"""

from __future__ import annotations

import calendar
import codecs
import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
from feedparser.encodings import convert_to_utf8, parse_content_type

from monitor.extraction.dates import parse_date

log = logging.getLogger(__name__)

# feedparser's loose parser expands internal entities without limit (quadratic "billion laughs"
# variants get past expat's amplification guard that way), and a feed has no legitimate need for
# an internal DTD subset: a declared entity or an internal subset refuses the whole feed. A plain
# ``<!DOCTYPE rss PUBLIC ...>`` (RSS 0.91) is fine. Looked for in the text as feedparser will
# decode it (see ``decoded_as_parsed``), so no encoding can hide it: UTF-16, UTF-32, EBCDIC,
# UTF-7 or a charset named only in the HTTP header.
DTD_DECLARATION = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)

# A numeric character reference: decimal or hex, any length (``&#99999999999;`` included).
CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
REPLACEMENT_REFERENCE = b"&#xFFFD;"

# Headers that describe the transfer, not the bytes handed over: Scrapy has already undone them.
TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})

# Byte order marks, UTF-32 before UTF-16 (FF FE 00 00 begins with FF FE).
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_BE, "utf-32be"),
    (codecs.BOM_UTF32_LE, "utf-32le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
)

# What feedparser flags as bozo on a feed that its strict XML parser read in full: a media type
# that is not an XML one (``text/html`` from a misconfigured server), or a charset that had to be
# corrected (declared utf-8, encoded latin-1). Neither makes the feed malformed.
WELL_FORMED_BOZO: tuple[type[Exception], ...] = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


class NotAFeed(ValueError):
    """The bytes are not a feed (HTML, empty, truncated beyond repair) or are unsafe to parse."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    summary: str
    published: datetime | None
    updated: datetime | None


def parser_headers(headers: Mapping[str, str] | None, base_url: str, body: bytes = b"") -> dict[str, str]:
    """The response headers as feedparser takes them: lower-case names, the feed's own URL as
    ``content-location`` (the base of relative links), and no transfer headers.

    Without a ``Content-Type`` the feed is taken as ``application/xml``, so the XML rules decide
    its encoding (declaration, else UTF-8), not HTTP's ISO-8859-1 default for text. A byte order
    mark names the encoding whatever the header says (RFC 7303, 3.3): feedparser would otherwise
    try the header's charset, or UTF-8, on the bytes after the mark first.
    """
    result = {name.lower(): value for name, value in (headers or {}).items() if name.lower() not in TRANSFER_HEADERS}
    result["content-location"] = base_url
    result.setdefault("content-type", "application/xml")
    bom = next((encoding for mark, encoding in BYTE_ORDER_MARKS if body.startswith(mark)), None)
    if bom is not None:
        media_type, _charset = parse_content_type(result["content-type"])
        result["content-type"] = f"{media_type or 'application/xml'}; charset={bom}"
    return result


def decoded_as_parsed(body: bytes, headers: Mapping[str, str]) -> bytes:
    """The body as UTF-8, decoded exactly as ``feedparser.parse`` will decode it for its parsers.

    feedparser's own encoding detection (BOM, ``<?xml`` sniffing for UTF-16/32 and EBCDIC, the
    HTTP charset, the declaration, fallbacks), run on the same bytes and headers, so what is
    checked here is what its parsers read.
    """
    decoded: bytes = convert_to_utf8(dict(headers), body, {})
    return decoded


def _is_character(match: re.Match[bytes]) -> bool:
    """Can this reference stand in XML: a scalar value of Unicode, not a surrogate?"""
    digits = match.group(1) or match.group(2)
    if len(digits) > 8:
        return False
    value = int(digits, 16) if match.group(1) else int(digits)
    return 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF


def replace_bad_references(decoded: bytes) -> bytes | None:
    """The decoded feed with every reference to a non-character (a surrogate, a code point above
    U+10FFFF, a huge number) replaced by U+FFFD, or None when there is none: one bad reference in
    one title must not cost the feed's other entries (feedparser raises on them)."""
    found = False

    def fix(match: re.Match[bytes]) -> bytes:
        nonlocal found
        if _is_character(match):
            return match.group(0)
        found = True
        return REPLACEMENT_REFERENCE

    repaired = CHARACTER_REFERENCE.sub(fix, decoded)
    return repaired if found else None


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


def parse_feed(
    body: bytes, base_url: str, timezone: str = "UTC", headers: Mapping[str, str] | None = None
) -> tuple[str, list[FeedEntry]]:
    """Parse a feed; return its title and entries, or raise ``NotAFeed`` with the reason.

    ``headers`` are the HTTP response's (their charset decides the encoding, as feedparser reads
    it). ``timezone`` is the source's: dates without a zone, or with an abbreviation that pins
    none down, are read in it. Whatever feedparser raises (a character reference outside Unicode,
    ``&#xD800;`` or ``&#x110000;``, makes it raise ValueError or UnicodeEncodeError) is a
    ``NotAFeed`` with that cause; a MemoryError is left to the caller, who set the limit.
    """
    try:
        return _parse(body, parser_headers(headers, base_url, body), timezone)
    except (NotAFeed, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party parser on hostile bytes is this feed's
        message = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise NotAFeed(f"feed could not be parsed: {type(exc).__name__}{': ' + message if message else ''}") from exc


def _parse(body: bytes, headers: dict[str, str], timezone: str) -> tuple[str, list[FeedEntry]]:
    if not body.strip():
        raise NotAFeed("empty body")
    decoded = decoded_as_parsed(body, headers)
    if DTD_DECLARATION.search(decoded):
        raise NotAFeed("feed declares a DTD or XML entities (refused: entity expansion attack)")
    repaired = replace_bad_references(decoded)
    if repaired is not None:
        # Parsed from the UTF-8 text that feedparser's own decoding produced (its declaration
        # already rewritten to utf-8), with the bad references made U+FFFD.
        log.info("feed %s: references to non-characters replaced by U+FFFD", headers.get("content-location"))
        body = repaired
        headers = {**headers, "content-type": "application/xml; charset=utf-8"}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    reason = parsed.get("bozo_exception")
    malformed = bool(parsed.get("bozo")) and not isinstance(reason, WELL_FORMED_BOZO)
    if not version and not entries:
        raise NotAFeed(f"not an RSS or Atom feed ({type(reason).__name__ if reason else 'no feed elements'})")
    if malformed and not entries:
        raise NotAFeed(f"malformed feed: {reason}")
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
    if malformed and not result:
        raise NotAFeed(f"malformed feed without a usable entry: {reason}")
    return (parsed.get("feed") or {}).get("title", ""), result
