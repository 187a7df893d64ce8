"""Refuses requests to loopback, private, link-local and other internal addresses, early and by URL.

The real gate is at connection time (``spiders.resolver.GatedResolver``: the connection uses the
addresses that were checked, and no others). This middleware runs the same check from the same
lookup (``spiders.resolver.gate_for``) before the request is downloaded, so that a refusal is one
line naming the URL and the cause, and it refuses what only a URL shows: user info
(``http://a@b/``), a host that Twisted's client would read differently, a proxy (a proxy resolves
the name itself, out of the gate's sight). It runs on every request, so a redirect or a feed's
link to an internal address is refused too: Scrapy sends those through the downloader
middlewares again.
"""

from __future__ import annotations

import sys

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from spiders.addresses import LookupRefused, UnsafeAddress, UnsafeURL, parse_target
from spiders.resolver import AddressGate, check_download_handlers, ensure_installed, gate_for


class PrivateAddressMiddleware:
    """Downloader middleware; settings ``MONITOR_ALLOW_PRIVATE`` (bool) and
    ``MONITOR_ALLOWED_HOSTS`` (``host:port`` strings exempt from the check, for the demo's own server)."""

    def __init__(self, gate: AddressGate) -> None:
        self.gate = gate

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        check_download_handlers(crawler.settings)
        return cls(gate_for(crawler.settings))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if "twisted.internet.reactor" in sys.modules:  # never install a reactor from here
            from twisted.internet import reactor

            ensure_installed(reactor, self.gate)
        target = parse_target(request.url)
        if request.meta.get("proxy") and not self.gate.policy.allow_private:
            raise UnsafeURL(request.url, "a proxy resolves the host itself, out of the address check's sight")
        await maybe_deferred_to_future(self.gate.check(target.host, target.port, request.url))
        return None

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        """Twisted reports a refusal at connection time as "no results for hostname lookup": name the cause."""
        if not isinstance(exception, CannotResolveHostError | DNSLookupError) or isinstance(exception, LookupRefused):
            return None
        try:
            host = parse_target(request.url).host
        except UnsafeURL:
            return None
        refusal = self.gate.refusal(host)
        if isinstance(refusal, UnsafeAddress):
            raise UnsafeAddress(request.url, refusal.host, refusal.address, refusal.problem) from exception
        if isinstance(refusal, LookupRefused):
            raise LookupRefused(request.url, refusal.host, refusal.cause) from exception
        if isinstance(refusal, UnsafeURL):
            raise UnsafeURL(request.url, refusal.why) from exception
        return None
