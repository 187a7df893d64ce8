"""What an operator should do about an entry point, from what its last check recorded.

``monitor sources check`` prints these under its health table (and in ``--json``): the error class
says what went wrong, the hint the likely fix, so that nobody has to look up an error class to
know whether to change the URL, the agent or nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config.schema import Source
from monitor.storage.models import Endpoint

# The shape some government sites require of an agent (issue 14; docs/sources.md has the evidence).
BROWSER_SHAPE = "Mozilla/5.0 (compatible; "
# Notes the crawl leaves on a success (spiders/source_spider.py, spiders/base.py).
MOVED = "moved: "
REDIRECTED = "redirected: "
NO_LINKS = "no links: "
UNDATED = "undated: "


@dataclass(frozen=True)
class Hint:
    source_id: str
    url: str
    problem: str  # the error class, or what the note says is off
    advice: str


def _blocked(row: Endpoint, agent: str) -> str:
    if row.last_status == 429:
        return "rate-limited: raise politeness.download_delay or lower concurrent_requests_per_domain"
    if row.last_status in (401, 403) and not agent.startswith(BROWSER_SHAPE):
        return (
            f"the site refuses the agent {agent!r}: give it the shape 'Mozilla/5.0 (compatible; "
            "name/version; +URL; contact)' (user_agent in monitor.yaml, or for this source in sources.yaml)"
        )
    if row.last_status in (401, 403):
        return (
            "refused although the agent is browser-shaped: the site blocks crawlers (a bot challenge or a "
            "firewall); look for its feed or API elsewhere, or disable the source and say why in notes"
        )
    return "the site keeps us out for now (Retry-After beyond the cap or 451): check again later"


ADVICE = {
    "robots_denied": "robots.txt refuses news-monitor here, and news-monitor obeys it: find an entry point it "
    "allows (a feed, the sitemap) or retire the source",
    "robots_unreachable": "robots.txt answers a server error or nothing, so the host is left alone this run: "
    "check again later",
    "http_4xx": "gone or moved: find the new URL from the homepage and update sources.yaml",
    "http_5xx": "the server fails: check again later; if it lasts, the URL may have moved",
    "dns": "the host name does not resolve: a typo, or the domain is retired",
    "tls": "its certificate does not verify (news-monitor always verifies): check the host name; "
    "if the site's certificate is broken, wait for its fix",
    "timeout": "no answer in time: check again later; raise politeness.download_timeout for a slow site",
    "connection": "the connection failed or dropped: check again later",
    "not_a_feed": "not a feed (an HTML page, broken XML or JSON): open the URL in a browser; it may have moved",
    "too_large": "the answer is larger than politeness.download_maxsize: raise it, or use a smaller feed",
    "redirect_loop": "redirects in a loop: the site may require cookies or a login; try the final URL",
    "unsafe_address": "the host resolves to an internal address: refused unless allowed "
    "(allowed_private_hosts, --allow-private)",
    "invalid_url": "the URL cannot be read: fix it in sources.yaml",
}


def hint_for(source: Source, url: str, row: Endpoint | None, agent: str) -> Hint | None:
    """The advice for one entry point's last check, or None when there is nothing to do."""
    if row is None or row.last_checked_at is None:
        return Hint(source.id, url, "not reached", "not checked in this run (its host was skipped, or the check ended)")
    note = row.last_error or ""
    if row.error_class == "blocked":
        return Hint(source.id, row.url, "blocked", _blocked(row, agent))
    if row.error_class:
        advice = ADVICE.get(row.error_class, "see the cause in the detail column")
        return Hint(source.id, row.url, row.error_class, advice)
    if note.startswith(MOVED):
        target = note.rsplit(" to ", 1)[-1]
        return Hint(source.id, row.url, "moved", f"update sources.yaml to {target} (the old URL redirects there)")
    if note.startswith(REDIRECTED):
        target = note.rsplit(" to ", 1)[-1]
        return Hint(
            source.id,
            row.url,
            "redirected",
            f"answers through a temporary redirect to {target}: if that is where the news is (not another "
            "language or a login page), configure it instead",
        )
    if note.startswith(NO_LINKS):
        return Hint(
            source.id,
            row.url,
            "no links",
            "the listing's selector matched nothing: compare link_selector / link_pattern with the page's markup",
        )
    if note.startswith(UNDATED):
        return Hint(
            source.id,
            row.url,
            "undated",
            "the feed's entries carry no date: items are dated from their pages, else the fetch time; "
            "a listing or sitemap may date them better",
        )
    return None
