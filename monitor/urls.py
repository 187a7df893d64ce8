"""Canonical URLs: the key that makes an article unique, so tracking parameters must not split it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Parameters that say where a reader came from, never what they read.
TRACKING_PARAMETERS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
    "utm_name",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "igshid",
    "yclid",
    "ref_src",
    "cmpid",
    "at_medium",
    "at_campaign",
    "xtor",
    "wt_mc",
    "ito",
    "sr_share",
)
TRACKING_PREFIXES = re.compile(r"^(utm_|pk_|mtm_|at_|ga_)", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query."""
    cleaned = url_query_cleaner(url.strip(), TRACKING_PARAMETERS, remove=True, keep_fragments=False)
    parts = urlsplit(cleaned)
    if parts.query:
        kept = "&".join(
            pair for pair in parts.query.split("&") if pair and not TRACKING_PREFIXES.match(pair.split("=", 1)[0])
        )
        parts = parts._replace(query=kept)
    netloc = (parts.hostname or "").lower()
    if parts.port and not (
        parts.scheme == "http" and parts.port == 80 or parts.scheme == "https" and parts.port == 443
    ):
        netloc = f"{netloc}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path or "/"
    return canonicalize_url(urlunsplit((parts.scheme.lower(), netloc, path, parts.query, "")))


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on one host (a leading ``www.`` ignored)."""
    first = (urlsplit(url).hostname or "").removeprefix("www.")
    second = (urlsplit(other).hostname or "").removeprefix("www.")
    return bool(first) and first == second
