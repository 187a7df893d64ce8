"""The ``sources.yaml`` entry a crawl suggests for the site it read, ready to paste.

Made of what the crawl found (``spiders.discovery.Discovered``), never of guesses about URLs: the
feeds announced by ``<link rel="alternate">`` that parsed with entries, the sitemaps robots.txt
names that parsed, and the fewest listings whose content area linked to the articles and documents
the crawl took (the home page drops out when the news listing shows its teasers too). A listing
whose content area also links to pages that are no articles (section fronts) gets a
``link_pattern`` that keeps only the article links, or is left out when none separates them. A
listing whose pages differ by one number counting up (``?page=1``, ``?page=2``; ``/page/2/``,
``/page/3/``; ``index_1.htm``, ``index_2.htm``) gets that ``page_url`` template and its
``first_page``; any other pager is found by itself on each run, as the crawl found it.

``id``, ``name``, ``language`` and ``homepage`` come from the start page; ``kind`` and
``jurisdiction`` (from the country-code domain, else ``INTL``) are guesses, said so in the comment
above the entry. The entry is what ``monitor.config.schema.Source`` accepts.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

import yaml

from monitor.config.names import iso_codes
from spiders.discovery import Discovered, ListingSeen

# Country-code domains that ISO 3166-1 spells otherwise.
_DOMAIN_CODES = {"uk": "GB", "eu": "EU"}
# Labels of a host that do not name the site.
_GENERIC_LABELS = frozenset({"www", "www2", "web", "en", "fr", "de", "m", "news"})
_NUMBER = re.compile(r"\d+")
# Characters of the start page's title kept as the entry's name.
NAME_CHARS = 120

HEADER = (
    "# Suggested sources.yaml entry, from what this crawl found; paste it under `sources:`.\n"
    "# kind and jurisdiction are guesses (jurisdiction from the domain): check them.\n"
)


def _site_id(host: str, taken: Collection[str]) -> str:
    """A source id from the host (``www.cnil.fr``: ``cnil``), not one of ``taken``."""
    host = host.lower().split(":")[0].strip("[]")
    try:
        ipaddress.ip_address(host)
        base = "site-" + re.sub(r"[^a-z0-9]+", "-", host).strip("-")
    except ValueError:
        labels = [label for label in host.split(".") if label]
        named = [label for label in labels[:-1] if label not in _GENERIC_LABELS] or labels
        base = re.sub(r"[^a-z0-9_-]+", "-", named[0]).strip("-") or "site"
    base = base[:60]
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _jurisdiction(host: str) -> str:
    tld = host.lower().split(":")[0].rsplit(".", 1)[-1]
    code = _DOMAIN_CODES.get(tld, tld.upper())
    return code if code == "EU" or (len(code) == 2 and code in iso_codes()) else "INTL"


def page_template(pages: list[str]) -> tuple[str, int] | None:
    """``(page_url, first_page)`` when the pages after the first differ by one number counting up
    (``?page=1``, ``?page=2``), confirmed by at least two of them; else None."""
    if len(pages) < 3:
        return None
    second, third = pages[1], pages[2]
    parts, others = _NUMBER.split(second), _NUMBER.split(third)
    numbers, following = _NUMBER.findall(second), _NUMBER.findall(third)
    if parts != others or len(numbers) != len(following):
        return None
    differing = [i for i, (a, b) in enumerate(zip(numbers, following, strict=True)) if a != b]
    if len(differing) != 1 or int(following[differing[0]]) != int(numbers[differing[0]]) + 1:
        return None
    index = differing[0]
    spans = list(_NUMBER.finditer(second))
    template = second[: spans[index].start()] + "{n}" + second[spans[index].end() :]
    start = int(numbers[index])
    if any(page != template.replace("{n}", str(start + i)) for i, page in enumerate(pages[1:])):
        return None
    return template, start - 1


def _link_pattern(site: str, articles: set[str], others: set[str]) -> str | None:
    """A regular expression matching every one of ``articles`` and none of ``others``: the
    articles' longest common folder, or None when there is none that separates them."""
    folders = [posixpath.dirname(urlsplit(url).path.rstrip("/")) for url in articles]
    folder = posixpath.commonpath(folders) if folders and all(f.startswith("/") for f in folders) else "/"
    if folder in ("", "/"):
        return None
    pattern = "^" + re.escape(site + folder.rstrip("/") + "/")
    compiled = re.compile(pattern)
    if all(compiled.search(url) for url in articles) and not any(compiled.search(url) for url in others):
        return pattern
    return None


def _listing(
    site: str, first: str, seen: ListingSeen, discovered: Discovered, covered: set[str]
) -> dict[str, Any] | None:
    entry: dict[str, Any] = {"url": seen.pages[0] if seen.pages else first}
    others = seen.links & discovered.read_as_listings
    if others:
        pattern = _link_pattern(site, covered - discovered.documents, others)
        if pattern is None:
            return None
        entry["link_pattern"] = pattern
    template = page_template(seen.pages)
    if template is not None:
        entry["page_url"], entry["first_page"] = template
    return entry


def _listings(discovered: Discovered, site: str) -> list[dict[str, Any]]:
    """The fewest listings that together link to every article the listings showed, biggest first."""
    candidates = sorted(
        ((first, seen, seen.links & discovered.items) for first, seen in discovered.listings.items()),
        # Most articles first; of equals, one with a pager (the news listing, not the home page
        # that shows its teasers: on a rerun, which pages no listing, they cover the same).
        key=lambda c: (-len(c[2]), not c[1].paged, -len(c[1].pages), c[0]),
    )
    chosen: list[dict[str, Any]] = []
    done: set[str] = set()
    for first, seen, covered in candidates:
        if not covered - done:
            continue
        entry = _listing(site, first, seen, discovered, covered)
        if entry is not None:
            chosen.append(entry)
            done |= covered
    return chosen


def suggested_source(discovered: Discovered, taken: Collection[str] = ()) -> dict[str, Any] | None:
    """The entry for the site, or None when the crawl found no feed, sitemap or listing with articles."""
    parts = urlsplit(discovered.start_url)
    site = f"{parts.scheme}://{parts.netloc}"
    feeds = list(discovered.feeds)
    sitemaps = list(discovered.sitemaps)
    listings = _listings(discovered, site)
    if not (feeds or sitemaps or listings):
        return None
    entry: dict[str, Any] = {
        "id": _site_id(parts.netloc, taken),
        "name": (discovered.title or parts.netloc)[:NAME_CHARS],
        "kind": "regulator",
        "jurisdiction": _jurisdiction(parts.netloc),
        "language": discovered.language or "en",
        "homepage": discovered.start_url,
    }
    for key, value in (("feeds", feeds), ("sitemaps", sitemaps), ("listings", listings)):
        if value:
            entry[key] = value
    return entry


def suggestion_yaml(entry: dict[str, Any]) -> str:
    """The entry as a YAML list item under a comment, to paste under ``sources:``."""
    body = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return HEADER + body
