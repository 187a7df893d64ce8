"""Politeness keys: the registrable domain of a host, the unit that one crawl process at a time talks to.

``www.edpb.europa.eu`` and ``edps.europa.eu`` share the key ``europa.eu``: one registrant, often
one server farm, so one pacer. A bare address or a single-label host (``127.0.0.5``,
``localhost``) is its own key. The public suffix list is the snapshot that ships inside
tldextract, never fetched at run time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import tldextract

    from monitor.config.schema import Source


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    import tldextract

    # No URLs: the bundled snapshot only. No cache directory: nothing written to the user's home.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def release_suffix_list() -> None:
    """Drop the parsed public suffix list (~5 MB of Python objects, rebuilt if a key is asked again).

    A crawl process needs it only for its keys, before the crawl starts; freed then, the memory
    is reused by what the crawl builds next (the matcher) instead of staying beside it.
    """
    _extractor.cache_clear()


def host_key(host: str) -> str:
    """The politeness key of a host name or address (lower-cased, no port)."""
    host = host.strip().lower().rstrip(".")
    if not host:
        return ""
    result = _extractor()(host)
    domain: str = result.top_domain_under_public_suffix
    return domain or host


def url_key(url: str) -> str:
    """The politeness key of a URL's host; '' for a URL without one."""
    return host_key(urlsplit(url).hostname or "")


def source_urls(source: Source) -> list[str]:
    """Every URL a crawl of ``source`` starts from."""
    urls = [*source.feeds, *source.sitemaps]
    for listing in source.listings:
        urls.append(listing.url)
        if listing.page_url:
            urls.append(listing.page_url.replace("{n}", "1"))
    if source.homepage:
        urls.append(source.homepage)
    return urls


def source_keys(source: Source) -> set[str]:
    """The politeness keys of a source's entry points (usually one)."""
    return {key for key in map(url_key, source_urls(source)) if key}


def spider_keys(spider_kwargs: Mapping[str, Any]) -> dict[str | None, set[str]]:
    """Keys per source id of a crawl's arguments: ``{"sources": [...]}`` or ``{"start_url": ...}`` (None)."""
    if "sources" in spider_kwargs:
        return {source.id: source_keys(source) for source in spider_kwargs["sources"]}
    start = spider_kwargs.get("start_url")
    return {None: {url_key(start)} - {""}} if start else {}


def all_keys(keys_by_source: Mapping[str | None, Iterable[str]]) -> set[str]:
    return {key for keys in keys_by_source.values() for key in keys}
