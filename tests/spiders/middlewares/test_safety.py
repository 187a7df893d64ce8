"""The address check: the classifier, the one reading of a URL's host, and the early refusal.

The connection-time half (``spiders.resolver.GatedResolver`` under Twisted's HostnameEndpoint) is
in ``test_safety_resolver.py``; the whole, through the CLI with a rebinding DNS server, in
``tests/e2e/test_dns_rebinding.py``.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred, fail, maybeDeferred, succeed

from spiders import errors
from spiders.addresses import LookupRefused, UnsafeAddress, UnsafeURL, address_problem, numeric_address, parse_target
from spiders.middlewares import safety
from spiders.middlewares.safety import PrivateAddressMiddleware
from spiders.resolver import (
    GATED_HANDLER,
    AddressGate,
    GatedResolver,
    Policy,
    _getaddrinfo,
    check_download_handlers,
    gate_for,
)

# --- The classifier -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.0.0.2", "a loopback address"),
        ("0x7f.1", "a loopback address"),
        ("2130706433", "a loopback address"),
        ("0177.0.0.1", "a loopback address"),
        ("127.1", "a loopback address"),
        ("[::1]", "a loopback address"),
        ("[::ffff:127.0.0.1]", "an IPv4-mapped form of 127.0.0.1, a loopback address"),
        ("[::127.0.0.1]", "an IPv4-compatible form of 127.0.0.1, a loopback address"),
        ("[64:ff9b::7f00:1]", "a NAT64 form of 127.0.0.1, a loopback address"),
        ("[64:ff9b::a00:1]", "a NAT64 form of 10.0.0.1, a private address"),
        ("[64:ff9b:1::1]", "a local-use NAT64 address"),
        ("[2002:7f00:1::]", "a 6to4 form of 127.0.0.1, a loopback address"),
        ("[2002:a9fe:a9fe::1]", "a 6to4 form of 169.254.169.254, a link-local address"),
        ("[2001::1]", "a Teredo tunnel address"),
        ("[::]", "the unspecified address"),
        ("0.0.0.0", "the unspecified address"),
        ("0.1.2.3", "a 'this network' address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("100.64.0.1", "a shared address (carrier-grade NAT)"),
        ("169.254.169.254", "a link-local address"),
        ("[fe80::1]", "a link-local address"),
        ("[fc00::1]", "a private (unique local) address"),
        ("[fd12:3456::1]", "a private (unique local) address"),
        ("[fec0::1]", "a site-local address"),
        ("224.0.0.1", "a multicast address"),
        ("[ff02::1]", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "a reserved address"),
        ("192.0.2.1", "a documentation address"),
        ("[2001:db8::1]", "a documentation address"),
        ("198.18.0.1", "a benchmarking address"),
        ("[100::1]", "a discard-only address"),
        ("[4000::1]", "a reserved address"),  # outside global unicast 2000::/3
    ],
)
def test_every_spelling_of_an_internal_address_is_refused(host: str, problem: str) -> None:
    address = numeric_address(host)
    assert address is not None, host
    found = address_problem(address)
    assert found is not None and found.startswith(problem), (host, found)


@pytest.mark.parametrize(
    "host",
    ["8.8.8.8", "1.1.1.1", "[2606:4700::1111]", "[2001:4860:4860::8888]", "[::ffff:8.8.8.8]", "[64:ff9b::808:808]"],
)
def test_public_addresses_are_allowed(host: str) -> None:
    address = numeric_address(host)
    assert address is not None
    assert address_problem(address) is None


def test_a_name_is_not_a_numeric_address() -> None:
    assert numeric_address("example.org") is None
    assert numeric_address("127.0.0.1.example.org") is None


# --- One reading of the URL's host --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://user@example.org/",
        "http://user:secret@example.org/",
        "http://a@b@c/",
        "http://example.org@127.0.0.1/",
        "http://a%40b@c/",
    ],
)
def test_urls_with_user_info_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL, match="user info") as refused:
        parse_target(Request(url).url)
    assert errors.classify_exception(refused.value)[0] == errors.UNSAFE


def test_a_host_the_http_client_reads_differently_is_refused() -> None:
    # urllib: host "example.org", port 80; Twisted's URI: host "example.org:", port 80.
    with pytest.raises(UnsafeURL, match="reads as example.org:80 to the address check but example.org::80"):
        parse_target("http://example.org:/")


@pytest.mark.parametrize(
    ("url", "host", "port"),
    [
        ("http://Example.ORG/x", "example.org", 80),
        ("https://example.org/", "example.org", 443),
        ("http://[::1]:8080/", "::1", 8080),
        ("http://127.0.0.1:5000/feed?a=@b", "127.0.0.1", 5000),
    ],
)
def test_the_host_and_port_connected_to(url: str, host: str, port: int) -> None:
    target = parse_target(url)
    assert (target.host, target.port) == (host, port)


# --- The early refusal --------------------------------------------------------------------------


def scripted(answers: dict[str, list[list[str] | Exception]]) -> tuple[Callable[[str], Deferred[list[str]]], list[str]]:
    """A lookup function answering each name from its script, one entry per lookup, and its log."""
    asked: list[str] = []

    def lookup(host: str) -> Deferred[list[str]]:
        asked.append(host)
        script = answers[host]
        entry = script[min(asked.count(host), len(script)) - 1]
        return fail(entry) if isinstance(entry, Exception) else succeed(list(entry))

    return lookup, asked


def system(host: str) -> Deferred[list[str]]:
    """The C library's answer, in this thread: numeric hosts and /etc/hosts only in these tests."""
    return maybeDeferred(_getaddrinfo, host)


def middleware(lookups: Callable[[str], Deferred[list[str]]] = system, **policy: Any) -> PrivateAddressMiddleware:
    return PrivateAddressMiddleware(AddressGate(Policy(**policy), lookups))


@pytest.fixture(autouse=True)
def _no_reactor_resolver(monkeypatch: pytest.MonkeyPatch) -> list[AddressGate]:
    """The middleware installs its gate on the running reactor; these tests have none to change."""
    installed: list[AddressGate] = []
    monkeypatch.setattr(safety, "ensure_installed", lambda reactor, gate: installed.append(gate))
    return installed


def run(mw: PrivateAddressMiddleware, url: str, **meta: Any) -> None:
    asyncio.run(mw.process_request(Request(url, meta=meta)))


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://127.0.0.1:8080/", "127.0.0.1 is a loopback address"),
        ("http://localhost/", "localhost resolves to "),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://2130706433/", "2130706433 resolves to 127.0.0.1, a loopback address"),
        ("http://0x7f.1/", "0x7f.1 resolves to 127.0.0.1, a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "an IPv4-mapped form of 127.0.0.1, a loopback address"),
        ("http://[64:ff9b::7f00:1]/", "a NAT64 form of 127.0.0.1, a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ],
)
def test_refuses_internal_addresses_however_spelled(url: str, said: str) -> None:
    with pytest.raises(UnsafeAddress) as refused:
        run(middleware(), url)
    error_class, cause = errors.classify_exception(refused.value)
    assert error_class == errors.UNSAFE
    carried = Request(url).url
    if urlsplit(carried).hostname != urlsplit(url).hostname:
        # w3lib >= 2.6 writes a numeric host as dotted IPv4 when the Request is made, so the
        # middleware meets 127.0.0.1 itself; our own reading of the odd spellings is tested above.
        said = said.split(" resolves to ")[-1].replace(", a ", " is a ", 1)
    assert cause.startswith(f"refused {carried}: ") and said in cause, cause
    assert "\n" not in cause


def test_a_name_resolving_to_loopback_is_refused_with_its_address() -> None:
    lookups, _ = scripted({"rebind.test": [["93.184.215.14", "127.0.0.1"]]})
    with pytest.raises(UnsafeAddress, match=r"rebind.test resolves to 127.0.0.1, a loopback address"):
        run(middleware(lookups), "http://rebind.test/")


def test_a_failed_lookup_refuses_the_request_and_is_not_kept() -> None:
    failure = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    lookups, asked = scripted({"flaky.test": [failure, ["127.0.0.1"]]})
    mw = middleware(lookups)
    with pytest.raises(LookupRefused) as refused:
        run(mw, "http://flaky.test/a")
    error_class, cause = errors.classify_exception(refused.value)
    assert error_class == errors.DNS  # a DNS failure, retried as one; nothing was connected to
    assert cause == (
        "DNS lookup failed: flaky.test did not resolve (Temporary failure in name resolution); "
        "http://flaky.test/a refused (fail closed)"
    )
    # The retry looks the name up again, and that answer is checked too.
    with pytest.raises(UnsafeAddress, match="flaky.test resolves to 127.0.0.1"):
        run(mw, "http://flaky.test/a")
    assert asked == ["flaky.test", "flaky.test"]


def test_a_lookup_is_made_once_per_host() -> None:
    lookups, asked = scripted({"example.test": [["93.184.215.14"], ["127.0.0.1"]]})
    mw = middleware(lookups)
    for path in ("/", "/a", "/b"):
        run(mw, f"http://example.test{path}")
    run(mw, "https://EXAMPLE.test/")
    assert asked == ["example.test"]


def test_user_info_is_refused_before_any_lookup() -> None:
    lookups, asked = scripted({})
    with pytest.raises(UnsafeURL, match="user info"):
        run(middleware(lookups), "http://user@example.org/")
    with pytest.raises(UnsafeURL, match="user info"):
        run(middleware(lookups, allow_private=True), "http://a@b@127.0.0.1/")
    assert asked == []


def test_a_proxy_is_refused() -> None:
    with pytest.raises(UnsafeURL, match="a proxy resolves the host itself"):
        run(middleware(scripted({"example.org": [["93.184.215.14"]]})[0]), "http://example.org/", proxy="http://p:3128")


def test_allowed_when_configured_or_exempt() -> None:
    run(middleware(allow_private=True), "http://127.0.0.1/")
    exempt = middleware(allowed_hosts=frozenset({"127.0.0.1:8080"}))
    run(exempt, "http://127.0.0.1:8080/x")
    with pytest.raises(UnsafeAddress):
        run(exempt, "http://127.0.0.1:8081/x")


def test_the_settings_that_relax_it() -> None:
    assert gate_for(Settings({"MONITOR_ALLOW_PRIVATE": True})).policy.allow_private
    exempt = gate_for(Settings({"MONITOR_ALLOWED_HOSTS": ["127.0.0.1:8080"]})).policy
    assert exempt.exempt("127.0.0.1", 8080) and not exempt.exempt("127.0.0.1", 8081)
    assert not gate_for(Settings({})).policy.exempt("127.0.0.1", 8080)


def test_the_middleware_and_the_resolver_share_one_gate() -> None:
    gated = {"http": GATED_HANDLER, "https": GATED_HANDLER}
    crawler = get_crawler(settings_dict={"MONITOR_ALLOWED_HOSTS": ["127.0.0.1:9"], "DOWNLOAD_HANDLERS": gated})
    mw = PrivateAddressMiddleware.from_crawler(crawler)

    class Process:  # what Scrapy hands TWISTED_DNS_RESOLVER: the CrawlerProcess, with the same settings
        settings = Settings({"MONITOR_ALLOWED_HOSTS": ["127.0.0.1:9"]})

    assert GatedResolver.from_crawler(Process(), reactor=object()).gate is mw.gate  # type: ignore[arg-type]


def test_a_refusal_at_connection_time_is_reported_with_its_cause() -> None:
    mw = middleware()
    request = Request("http://rebind.test:8080/page")
    mw.gate.note_refusal(
        "rebind.test", UnsafeAddress("rebind.test:8080", "rebind.test", "127.0.0.1", "a loopback address")
    )
    twisted_says = CannotResolveHostError("no results for hostname lookup: rebind.test")
    with pytest.raises(UnsafeAddress) as refused:
        mw.process_exception(request, twisted_says)
    assert str(refused.value).startswith("refused http://rebind.test:8080/page: rebind.test resolves to 127.0.0.1")
    assert errors.classify_exception(refused.value)[0] == errors.UNSAFE
    assert mw.process_exception(Request("http://other.test/"), twisted_says) is None  # a plain DNS error stays one


def test_unsafe_refusals_are_ignored_requests() -> None:
    # Scrapy neither retries nor logs an IgnoreRequest as an error; the spider's errback gets it.
    assert issubclass(UnsafeAddress, IgnoreRequest) and issubclass(UnsafeURL, IgnoreRequest)
    assert issubclass(LookupRefused, CannotResolveHostError)  # retried like any DNS failure


# --- Download handlers that would connect past the gate -------------------------------------------


def test_the_crawl_settings_use_the_gated_handler_and_resolver() -> None:
    from monitor.config import load_config
    from monitor.scrapy_settings import scrapy_settings
    from tests.helpers import CONFIG_DIR

    settings = Settings(scrapy_settings(load_config(CONFIG_DIR)))
    check_download_handlers(settings)
    assert settings["TWISTED_DNS_RESOLVER"] == "spiders.resolver.GatedResolver"
    assert settings.getbool("HTTPPROXY_ENABLED") is False


@pytest.mark.parametrize(
    "handler",
    [
        "scrapy.core.downloader.handlers.http2.H2DownloadHandler",
        "scrapy.core.downloader.handlers._httpx.HttpxDownloadHandler",
    ],
)
def test_a_handler_that_resolves_on_its_own_is_refused(handler: str) -> None:
    settings = Settings({"DOWNLOAD_HANDLERS": {"https": handler}})
    with pytest.raises(ValueError, match="connects without the address check"):
        check_download_handlers(settings)
    with pytest.raises(ValueError, match="connects without the address check"):
        PrivateAddressMiddleware.from_crawler(get_crawler(settings_dict={"DOWNLOAD_HANDLERS": {"https": handler}}))
