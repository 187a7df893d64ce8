"""What an address is, and which host and port a URL names: the pure half of the address check.

``address_problem`` says why an IP address must not be connected to (loopback, private, link-local,
multicast, reserved, ...), looking through the IPv6 forms that carry an IPv4 address inside
(IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4
``2002::/16``). The tables are written out here rather than taken from ``ipaddress.is_global``,
whose answers change between Python versions.

``parse_target`` is the one reading of a URL's host and port: the check and the HTTP client must
connect to the same host, so a URL that Twisted's client would read differently from
``urllib.parse`` (``http://a@b@c/``, ``http://host:/``) is refused, and so is any URL with user info.
The refusals are exceptions that ``spiders.errors.classify_exception`` classifies by type.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest

from spiders.errors import UnsafeAddressError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

LOOPBACK = "a loopback address"
PRIVATE = "a private address"

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# IANA's IPv4 special-purpose blocks that are not globally reachable (RFC 6890 and successors).
IPV4_REFUSED: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_V4("0.0.0.0/32"), "the unspecified address"),
    (_V4("0.0.0.0/8"), "a 'this network' address"),
    (_V4("10.0.0.0/8"), PRIVATE),
    (_V4("100.64.0.0/10"), "a shared address (carrier-grade NAT)"),
    (_V4("127.0.0.0/8"), LOOPBACK),
    (_V4("169.254.0.0/16"), "a link-local address (cloud metadata services live there)"),
    (_V4("172.16.0.0/12"), PRIVATE),
    (_V4("192.0.0.0/24"), "an IETF protocol address"),
    (_V4("192.0.2.0/24"), "a documentation address"),
    (_V4("192.88.99.0/24"), "a 6to4 relay address"),
    (_V4("192.168.0.0/16"), PRIVATE),
    (_V4("198.18.0.0/15"), "a benchmarking address"),
    (_V4("198.51.100.0/24"), "a documentation address"),
    (_V4("203.0.113.0/24"), "a documentation address"),
    (_V4("224.0.0.0/4"), "a multicast address"),
    (_V4("240.0.0.0/4"), "a reserved address"),  # 255.255.255.255, the broadcast address, included
)

# IPv6 blocks whose last 32 bits are an IPv4 address that the packets really go to.
IPV6_EMBEDDING: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("::ffff:0:0/96"), "an IPv4-mapped form"),
    (_V6("64:ff9b::/96"), "a NAT64 form"),
)

# Only global unicast (2000::/3) is ever connected to; inside it, these blocks are refused.
IPV6_GLOBAL_UNICAST = _V6("2000::/3")
IPV6_REFUSED: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("::/128"), "the unspecified address"),
    (_V6("::1/128"), LOOPBACK),
    (_V6("::/96"), "a deprecated IPv4-compatible address"),
    (_V6("64:ff9b:1::/48"), "a local-use NAT64 address"),
    (_V6("100::/64"), "a discard-only address"),
    (_V6("2001::/32"), "a Teredo tunnel address"),
    (_V6("2001::/23"), "an IETF protocol address"),
    (_V6("2001:db8::/32"), "a documentation address"),
    (_V6("3fff::/20"), "a documentation address"),
    (_V6("fc00::/7"), "a private (unique local) address"),
    (_V6("fe80::/10"), "a link-local address"),
    (_V6("fec0::/10"), "a site-local address"),
    (_V6("ff00::/8"), "a multicast address"),
)
SIX_TO_FOUR = _V6("2002::/16")


def _ipv4_problem(ip: ipaddress.IPv4Address) -> str | None:
    for network, problem in IPV4_REFUSED:
        if ip in network:
            return problem
    return None


def address_problem(address: str | IPAddress) -> str | None:
    """None for an address that may be connected to, else what it is ("a loopback address").

    An IPv6 address carrying an IPv4 address is judged by that address: ``::ffff:127.0.0.1`` is
    "an IPv4-mapped form of 127.0.0.1, a loopback address".
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv4Address):
        return _ipv4_problem(ip)
    ip = ipaddress.IPv6Address(int(ip))  # without a scope id (fe80::1%eth0)
    for network, form in IPV6_EMBEDDING:
        if ip in network:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            problem = _ipv4_problem(inner)
            return f"{form} of {inner}, {problem}" if problem else None
    if ip in SIX_TO_FOUR:
        inner = ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)
        problem = _ipv4_problem(inner)
        return f"a 6to4 form of {inner}, {problem}" if problem else None
    compatible = ip in _V6("::/96") and int(ip) > 1
    for network, problem in IPV6_REFUSED:
        if ip in network:
            if compatible:
                inner = ipaddress.IPv4Address(int(ip))
                if inner_problem := _ipv4_problem(inner):
                    return f"an IPv4-compatible form of {inner}, {inner_problem}"
            return problem
    if ip not in IPV6_GLOBAL_UNICAST:
        return "a reserved address"
    return None


def numeric_address(host: str) -> IPAddress | None:
    """The address a numeric host stands for, in every spelling the C library accepts
    (``0x7f.1``, ``2130706433``, ``[::ffff:127.0.0.1]``), or None for a name."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return None
    return ipaddress.ip_address(str(infos[0][4][0]).split("%", 1)[0]) if infos else None


# --- Refusals ----------------------------------------------------------------------------------


class UnsafeAddress(UnsafeAddressError, IgnoreRequest):
    """A request refused because its host is, or resolves to, an internal address (class unsafe_address)."""

    def __init__(self, url: str, host: str, address: str, problem: str) -> None:
        self.url, self.host, self.address, self.problem = url, host, address, problem
        said = f"{host} is {problem}" if address == host else f"{host} resolves to {address}, {problem}"
        super().__init__(f"refused {url}: {said} (use --allow-private to crawl it)")


class UnsafeURL(UnsafeAddressError, IgnoreRequest):
    """A request refused because its URL does not name one host unambiguously (class unsafe_address)."""

    def __init__(self, url: str, why: str) -> None:
        self.url, self.why = url, why
        super().__init__(f"refused {url}: {why}")


class LookupRefused(CannotResolveHostError):
    """A request refused because its host did not resolve: nothing is connected to then, and no
    second lookup is made behind the check's back (fail closed). A DNS failure (class dns),
    retried like one: the retry makes a new lookup, which is checked in turn."""

    def __init__(self, url: str, host: str, cause: str) -> None:
        self.url, self.host, self.cause = url, host, cause
        super().__init__(f"{host} did not resolve ({cause}); {url} refused (fail closed)")


# --- The one reading of a URL's host ------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a request connects: the host as the HTTP client reads it (no brackets) and the port."""

    scheme: str
    host: str
    port: int


DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_target(url: str) -> Target:
    """The host and port ``url`` connects to; UnsafeURL when there is no single answer."""
    from twisted.web.client import URI

    parts = urlsplit(url)
    if "@" in parts.netloc:
        return _refuse(url, "a URL with user info (user@host) is refused: its host could be read two ways")
    try:
        port = parts.port
    except ValueError:
        return _refuse(url, f"its port in {parts.netloc!r} is not a number from 0 to 65535")
    host = parts.hostname or ""
    if not host:
        return _refuse(url, "it names no host")
    port = port or DEFAULT_PORTS.get(parts.scheme.lower(), 80)
    try:
        client = URI.fromBytes(  # type: ignore[no-untyped-call]
            url.encode("ascii"), defaultPort=DEFAULT_PORTS.get(parts.scheme.lower(), 80)
        )
        client_host = client.host.decode("ascii").lower()
    except (UnicodeError, ValueError):
        return _refuse(url, "its host is not plain ASCII (not IDNA-encoded)")
    if (client_host, client.port) != (host, port):
        return _refuse(
            url,
            f"its host reads as {host}:{port} to the address check but {client_host}:{client.port} to the HTTP client",
        )
    return Target(parts.scheme.lower(), host, port)


def _refuse(url: str, why: str) -> Target:
    raise UnsafeURL(url, why)
