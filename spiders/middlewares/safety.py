"""Refuses requests to loopback, private, link-local and other internal addresses.

The check runs on the addresses the host name resolves to (not on the URL's spelling, which
``0x7f.1``, ``[::ffff:127.0.0.1]`` or a DNS name pointing at 10.0.0.1 would slip past), and on every
request, so a redirect to an internal address is refused too: Scrapy sends redirected requests
through the downloader middlewares again.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

log = logging.getLogger(__name__)


def is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


class PrivateAddressMiddleware:
    """Downloader middleware; settings ``MONITOR_ALLOW_PRIVATE`` (bool) and
    ``MONITOR_ALLOWED_HOSTS`` (``host:port`` strings exempt from the check, for the demo's own server)."""

    def __init__(self, allow_private: bool, allowed_hosts: list[str]) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = set(allowed_hosts)
        self.cache: dict[tuple[str, int], bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(
            crawler.settings.getbool("MONITOR_ALLOW_PRIVATE"),
            crawler.settings.getlist("MONITOR_ALLOWED_HOSTS"),
        )

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.allow_private:
            return None
        parts = urlsplit(request.url)
        host = (parts.hostname or "").strip("[]")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if f"{host}:{port}" in self.allowed_hosts:
            return None
        key = (host, port)
        if key not in self.cache:
            try:
                addresses = await maybe_deferred_to_future(deferToThread(resolve, host, port))
            except OSError:
                return None  # let the download fail with Scrapy's own DNS error, classified as "dns"
            self.cache[key] = any(is_internal(address) for address in addresses)
        if self.cache[key]:
            raise IgnoreRequest(
                f"refused {request.url}: {host} is a loopback or private address (use --allow-private to crawl it)"
            )
        return None
