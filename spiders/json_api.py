"""Turns the bytes of a JSON news API (the US Federal Register, the Government of Canada news API)
into entries, the way ``spiders.feeds`` does for RSS and Atom.

Where the items, and each item's title, link, date and summary sit is configured per source as
JMESPath expressions (``json_apis:`` in sources.yaml), so a new API is a YAML entry, not code.
Pure: no Scrapy, no Twisted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import jmespath
from jmespath.exceptions import JMESPathError

from monitor.extraction.dates import parse_date
from spiders.feeds import FeedEntry

if TYPE_CHECKING:
    from monitor.config.schema import JsonApi

# A JSON API answer bigger than this many items is cut there: the newest come first in every API
# we know of (``order=newest``), and the per-feed entry cap applies after.
MAX_ITEMS = 1000


class NotAnApiAnswer(ValueError):
    """The body is not JSON, or the configured paths find no list of items in it."""


@dataclass(frozen=True)
class ApiPage:
    entries: list[FeedEntry]
    items: int  # items in the answer, with or without a usable link
    next_url: str | None  # the answer's own link to its next page, when the API gives one


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # an API that gives several titles or links: the first
        return _text(value[0]) if value else ""
    if isinstance(value, dict):
        return _text(value.get("href") or value.get("url") or value.get("value"))
    return str(value).strip()


def _search(expression: str | None, data: object) -> object:
    if not expression:
        return None
    try:
        return jmespath.search(expression, data)
    except JMESPathError:  # a path that does not fit this answer's shape finds nothing
        return None


def parse_json_api(body: bytes, api: JsonApi, timezone: str = "UTC") -> ApiPage:
    """The entries of one answer, or ``NotAnApiAnswer`` with the reason.

    ``timezone`` reads a date without one (the Federal Register gives ``YYYY-MM-DD`` only).
    """
    if not body.strip():
        raise NotAnApiAnswer("empty body")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise NotAnApiAnswer(f"not JSON ({type(exc).__name__}: {str(exc)[:120]})") from None
    items = _search(api.items, data)
    if items is None:
        raise NotAnApiAnswer(f"no {api.items!r} in the answer (is it the API's JSON, or an error page?)")
    if not isinstance(items, list):
        raise NotAnApiAnswer(f"{api.items!r} is a {type(items).__name__}, not a list of items")
    entries = []
    for item in items[:MAX_ITEMS]:
        link = _text(_search(api.link, item))
        if not link:
            continue
        raw_date = _text(_search(api.date, item))
        entries.append(
            FeedEntry(
                url=link,
                title=_text(_search(api.title, item)),
                summary=_text(_search(api.summary, item)),
                published=parse_date(raw_date, timezone) if raw_date else None,
                updated=None,
            )
        )
    next_url = _text(_search(api.next, data)) or None
    return ApiPage(entries, len(items), next_url)
