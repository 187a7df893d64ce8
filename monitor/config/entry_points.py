"""The kinds of entry point a source may have, in one registry.

Each kind says where its entry points sit in a ``Source`` and what the spider's callback for it
(``parse_<kind>``) is given besides the response and the source. The crawl's start loop, ``monitor
sources list`` and ``sources check`` read this table, so a new kind is a schema field, a parser
module, a ``parse_<kind>`` callback and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from monitor.config.schema import Source


@dataclass(frozen=True)
class EntryPoint:
    kind: str  # the endpoint kind recorded in the database: feed | sitemap | listing | json_api
    url: str
    # What the callback gets besides the response and the source (a listing and its first page).
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    entry_points: Callable[[Source], list[EntryPoint]]


KINDS: tuple[Kind, ...] = (
    Kind("feed", lambda source: [EntryPoint("feed", url) for url in source.feeds]),
    Kind("sitemap", lambda source: [EntryPoint("sitemap", url) for url in source.sitemaps]),
    Kind(
        "listing",
        lambda source: [
            EntryPoint("listing", listing.url, {"listing": listing, "page": listing.first_page})
            for listing in source.listings
        ],
    ),
    Kind(
        "json_api",
        lambda source: [
            EntryPoint("json_api", api.url, {"api": api, "page": api.first_page}) for api in source.json_apis
        ],
    ),
)


def entry_points(source: Source) -> list[EntryPoint]:
    """Every configured entry point of ``source``, kind by kind in the registry's order."""
    return [point for kind in KINDS for point in kind.entry_points(source)]
