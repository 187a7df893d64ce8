"""The address check at the place where a connection's address is chosen: Twisted's name resolver.

Scrapy's HTTP/1.1 download handler connects through ``twisted.web.client.Agent``, whose endpoint
for ``http`` and ``https`` alike (TLS is wrapped around it) is a ``HostnameEndpoint``; that asks
``reactor.nameResolver`` for the addresses and connects to exactly those. ``GatedResolver`` is
installed as that resolver (Scrapy's ``TWISTED_DNS_RESOLVER`` setting): it resolves a host once,
refuses it when any of its addresses is internal (``spiders.addresses.address_problem``) or when
the lookup fails, and otherwise hands Twisted the addresses it checked, nothing else. A name that
answers a public address to the check and 127.0.0.1 to the connection (DNS rebinding) cannot get
through: there is no second answer, the connection uses the checked one.

``AddressGate`` holds the policy (``MONITOR_ALLOW_PRIVATE``, ``MONITOR_ALLOWED_HOSTS``) and the
crawl's answers, one per host, shared by the resolver and ``PrivateAddressMiddleware`` (the early
refusal, with the request's URL in its message): both get the same gate from ``gate_for``, so
the middleware's check and the connection use one lookup. A failed lookup is not kept: a retry
looks the name up again, and that answer is checked in turn. A process runs one crawl
(``monitor.runner``), so one gate per policy and process is one gate per crawl.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from scrapy.utils.misc import load_object
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.defer import Deferred, fail, maybeDeferred, succeed
from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution, IResolutionReceiver
from twisted.internet.threads import deferToThreadPool
from twisted.python.failure import Failure
from zope.interface import implementer

from spiders.addresses import LookupRefused, UnsafeAddress, UnsafeURL, address_problem

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings
    from twisted.internet.base import ReactorBase
    from twisted.internet.interfaces import IReactorFromThreads, IReactorTime

log = logging.getLogger(__name__)

# The only download handler whose connections go through reactor.nameResolver (see the docstring).
# Scrapy's http2, httpx and aiohttp handlers resolve names their own way, past the gate.
GATED_HANDLER = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"

Lookups = Callable[[str], "Deferred[list[str]]"]  # ASCII host name -> its addresses


class HasSettings(Protocol):
    """A Crawler, or the CrawlerProcess that Scrapy passes to a resolver's ``from_crawler``."""

    @property
    def settings(self) -> BaseSettings: ...


@dataclass(frozen=True)
class Policy:
    """What the gate lets through besides public addresses; ``timeout`` bounds a lookup (seconds)."""

    allow_private: bool = False
    allowed_hosts: frozenset[str] = frozenset()  # "host:port", the demo's and the tests' own servers
    timeout: float = 60.0

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Policy:
        return cls(
            allow_private=settings.getbool("MONITOR_ALLOW_PRIVATE"),
            allowed_hosts=frozenset(entry.lower() for entry in settings.getlist("MONITOR_ALLOWED_HOSTS")),
            timeout=settings.getfloat("DNS_TIMEOUT") or 60.0,
        )

    def exempt(self, host: str, port: int) -> bool:
        return self.allow_private or f"{host}:{port}" in self.allowed_hosts


@dataclass(frozen=True)
class Lookup:
    """One lookup's answer: the addresses in the resolver's order, or why there are none."""

    host: str
    addresses: tuple[str, ...] = ()
    error: str | None = None


def host_key(host: str) -> str:
    """The host as the cache and the policy know it: lower-case ASCII (IDNA), no brackets.

    Twisted hands the resolver an internationalised name decoded, the URL has it encoded."""
    host = host.strip("[]")
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return host.lower()


def _plausible_host(host: str) -> bool:
    """No user info, path, port or space smuggled into what should be a name or an address."""
    return bool(host) and not any(char in host for char in "@/\\?#%[] \t\r\n") and host.isprintable()


def system_lookups(reactor: ReactorBase, timeout: float) -> Lookups:
    """getaddrinfo in the reactor's thread pool, bounded by ``timeout`` (a timed-out lookup fails)."""

    def lookup(host: str) -> Deferred[list[str]]:
        d: Deferred[list[str]] = deferToThreadPool(
            cast("IReactorFromThreads", reactor), reactor.getThreadPool(), _getaddrinfo, host
        )
        return d.addTimeout(timeout, cast("IReactorTime", reactor))

    return lookup


def _getaddrinfo(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressGate:
    """The crawl's lookups and what the policy makes of them; see the module docstring."""

    def __init__(self, policy: Policy, lookups: Lookups | None = None) -> None:
        self.policy = policy
        self._lookups = lookups
        self._answers: dict[str, Lookup] = {}
        self._waiting: dict[str, list[Deferred[Lookup]]] = {}
        self._refusals: dict[str, Exception] = {}
        self.lookups_made = 0

    def lookup(self, host: str) -> Deferred[Lookup]:
        """The host's answer: the crawl's one lookup of it, made now or shared with one under way."""
        key = host_key(host)
        if key in self._answers:
            return succeed(self._answers[key])
        waiter: Deferred[Lookup] = Deferred()
        if key in self._waiting:
            self._waiting[key].append(waiter)
            return waiter
        self._waiting[key] = [waiter]
        self.lookups_made += 1

        def answered(addresses: list[str]) -> None:
            self._settle(Lookup(key, tuple(addresses)) if addresses else Lookup(key, error="no address"))

        def failed(failure: Failure) -> None:
            self._settle(Lookup(key, error=_cause(failure)))

        maybeDeferred(self._resolve, key).addCallbacks(answered, failed)
        return waiter

    def _resolve(self, host: str) -> Deferred[list[str]]:
        if self._lookups is None:
            from twisted.internet import reactor

            self._lookups = system_lookups(reactor, self.policy.timeout)
        return self._lookups(host)

    def _settle(self, answer: Lookup) -> None:
        if answer.error is None:
            self._answers[answer.host] = answer  # a failure is not kept: a retry asks again
        for waiter in self._waiting.pop(answer.host, []):
            waiter.callback(answer)

    def check(self, host: str, port: int, url: str | None = None) -> Deferred[tuple[str, ...]]:
        """The addresses to connect to for ``host:port``; fails with UnsafeURL, UnsafeAddress or LookupRefused."""
        where = url or f"{host}:{port}"
        if not _plausible_host(host.strip("[]")):
            return fail(UnsafeURL(where, f"{host!r} is not a host name"))
        key = host_key(host)
        return self.lookup(host).addCallback(self._verdict, host.strip("[]"), key, port, where)

    def _verdict(self, answer: Lookup, host: str, key: str, port: int, where: str) -> tuple[str, ...]:
        if answer.error is not None:
            raise LookupRefused(where, host, answer.error)
        if self.policy.exempt(key, port):
            return answer.addresses
        for address in answer.addresses:
            if problem := address_problem(address):
                raise UnsafeAddress(where, host, address, problem)
        return answer.addresses

    def note_refusal(self, host: str, refusal: Exception) -> None:
        """Keep a refusal made at connection time, which Twisted reports only as "no results"."""
        self._refusals[host_key(host)] = refusal

    def refusal(self, host: str) -> Exception | None:
        return self._refusals.get(host_key(host))


def _cause(failure: Failure) -> str:
    value = failure.value
    if isinstance(value, socket.gaierror) and value.strerror:
        return value.strerror
    text = str(value).strip().splitlines()
    return text[0] if text else type(value).__name__


_GATES: dict[Policy, AddressGate] = {}


def gate_for(settings: BaseSettings) -> AddressGate:
    """The process's gate for the policy ``settings`` set: the resolver and the middleware share it."""
    policy = Policy.from_settings(settings)
    if policy not in _GATES:
        _GATES[policy] = AddressGate(policy)
    return _GATES[policy]


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        """A lookup in a thread cannot be stopped; its answer is kept for the next connection."""


@implementer(IHostnameResolver)
class GatedResolver:
    """``reactor.nameResolver``: only checked addresses reach a connection (``TWISTED_DNS_RESOLVER``)."""

    def __init__(self, reactor: ReactorBase, gate: AddressGate) -> None:
        self.reactor = reactor
        self.gate = gate

    @classmethod
    def from_crawler(cls, crawler: HasSettings, reactor: ReactorBase) -> GatedResolver:
        # Scrapy passes its CrawlerProcess here, not a Crawler: only its settings are read.
        return cls(reactor, gate_for(crawler.settings))

    def install_on_reactor(self) -> None:
        # Also sets reactor.resolver (getHostByName, used by connectTCP with a name) to go through us.
        self.reactor.installNameResolver(cast(IHostnameResolver, self))

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> _Resolution:
        receiver: Any = resolutionReceiver  # a zope interface: its methods take no self
        resolution = _Resolution(hostName)
        receiver.resolutionBegan(resolution)
        semantics: Literal["TCP", "UDP"] = "UDP" if transportSemantics == "UDP" else "TCP"

        def deliver(addresses: tuple[str, ...]) -> None:
            for address in addresses:
                kind = IPv6Address if ipaddress.ip_address(address.split("%", 1)[0]).version == 6 else IPv4Address
                if addressTypes is None or kind in addressTypes:
                    receiver.addressResolved(kind(semantics, address, portNumber))

        def refused(failure: Failure) -> None:
            # Twisted turns "no addresses" into DNSLookupError; PrivateAddressMiddleware puts this back.
            refusal = failure.value if isinstance(failure.value, Exception) else Exception(str(failure.value))
            self.gate.note_refusal(hostName, refusal)
            log.info("connection to %s:%s not made: %s", hostName, portNumber, refusal)

        def complete(_: None) -> None:
            receiver.resolutionComplete()

        self.gate.check(hostName, portNumber).addCallbacks(deliver, refused).addCallback(complete)
        return resolution


def ensure_installed(reactor: ReactorBase, gate: AddressGate) -> None:
    """Install the gate's resolver unless it is in place: a crawl started without Scrapy's
    CrawlerProcess (CrawlerRunner, a test) never reads TWISTED_DNS_RESOLVER."""
    current = getattr(reactor, "nameResolver", None)
    if not (isinstance(current, GatedResolver) and current.gate is gate):
        GatedResolver(reactor, gate).install_on_reactor()


def check_download_handlers(settings: BaseSettings) -> None:
    """Refuse to crawl with an http(s) download handler that would connect past the gate (ValueError).

    The other schemes are switched off by ``monitor.scrapy_settings`` (``file``, ``data``, ``ftp``, ``s3``)."""
    from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    for scheme in ("http", "https"):
        path = handlers.get(scheme)
        if path is None or path == GATED_HANDLER:
            continue
        try:
            handler = load_object(path) if isinstance(path, str) else path
        except ImportError:  # not usable either (h2 or httpx not installed)
            handler = None
        if not (isinstance(handler, type) and issubclass(handler, HTTP11DownloadHandler)):
            raise ValueError(
                f"DOWNLOAD_HANDLERS[{scheme!r}] = {path!r} connects without the address check "
                f"(only {GATED_HANDLER} and its subclasses resolve through spiders.resolver.GatedResolver)"
            )
