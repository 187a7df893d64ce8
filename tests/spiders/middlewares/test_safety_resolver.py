"""The gate where the connection's address is chosen: ``GatedResolver`` as ``reactor.nameResolver``.

Scrapy's HTTP/1.1 handler connects through ``twisted.web.client.Agent``; these tests drive that
Agent (http and https) on Twisted's in-memory reactor, which records every TCP connection it is
asked to open instead of opening it. What is asserted is what the Agent connects to: exactly the
addresses the gate checked, never a second answer, nothing at all for an internal or failed name.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from twisted.internet.defer import Deferred, fail, succeed
from twisted.internet.error import DNSLookupError
from twisted.internet.testing import MemoryReactorClock
from twisted.python.failure import Failure
from twisted.web.client import Agent

from spiders.addresses import LookupRefused, UnsafeAddress, UnsafeURL
from spiders.resolver import AddressGate, GatedResolver, Policy, ensure_installed

Entry = list[str] | Exception


class Script:
    """A lookup function: the n-th lookup of a name gets the n-th entry (the last one after that)."""

    def __init__(self, answers: dict[str, list[Entry]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str) -> Deferred[list[str]]:
        self.asked.append(host)
        script = self.answers[host]
        entry = script[min(self.asked.count(host), len(script)) - 1]
        return fail(entry) if isinstance(entry, Exception) else succeed(list(entry))


def reactor_with(script: Script, **policy: Any) -> tuple[MemoryReactorClock, AddressGate]:
    reactor = MemoryReactorClock()
    gate = AddressGate(Policy(**policy), script)
    GatedResolver(reactor, gate).install_on_reactor()  # type: ignore[arg-type]
    return reactor, gate


def request(reactor: MemoryReactorClock, url: str) -> list[Failure]:
    """Start a GET of ``url`` (it never completes: nothing answers); its failure, if any, so far."""
    failures: list[Failure] = []
    Agent(reactor).request(b"GET", url.encode()).addErrback(failures.append)
    return failures


def connected(reactor: MemoryReactorClock) -> list[tuple[str, int]]:
    return [(host, port) for host, port, *_ in reactor.tcpClients]


REBINDING: list[Entry] = [["93.184.215.14"], ["127.0.0.1"]]


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_connection_goes_to_the_checked_address_and_no_other(scheme: str) -> None:
    script = Script({"rebind.test": REBINDING})
    reactor, gate = reactor_with(script)
    for _ in range(3):  # new connections, each asking the resolver again
        assert request(reactor, f"{scheme}://rebind.test:8443/page") == []
    assert connected(reactor) == [("93.184.215.14", 8443)] * 3
    assert script.asked == ["rebind.test"]  # one lookup: there is no second answer to rebind to
    assert gate.lookups_made == 1


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_name_resolving_to_loopback_is_never_connected_to(scheme: str) -> None:
    reactor, gate = reactor_with(Script({"inside.test": [["127.0.0.1"]]}))
    failures = request(reactor, f"{scheme}://inside.test:8080/")
    assert connected(reactor) == []
    assert len(failures) == 1 and failures[0].check(DNSLookupError)  # what Twisted makes of "no addresses"
    refusal = gate.refusal("inside.test")
    assert isinstance(refusal, UnsafeAddress)
    assert "inside.test resolves to 127.0.0.1, a loopback address" in str(refusal)


def test_one_internal_address_among_public_ones_refuses_the_host() -> None:
    reactor, gate = reactor_with(Script({"mixed.test": [["93.184.215.14", "2606:4700::1111", "::1"]]}))
    request(reactor, "http://mixed.test/")
    assert connected(reactor) == []
    assert "mixed.test resolves to ::1, a loopback address" in str(gate.refusal("mixed.test"))


def test_ipv6_answers_are_connected_to_as_checked() -> None:
    reactor, _ = reactor_with(Script({"six.test": [["2606:4700::1111"]]}))
    request(reactor, "http://six.test/")
    assert connected(reactor) == [("2606:4700::1111", 80)]


def test_a_failed_lookup_connects_to_nothing_and_the_next_answer_is_checked_too() -> None:
    failure = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    script = Script({"flaky.test": [failure, ["127.0.0.1"]]})
    reactor, gate = reactor_with(script)
    request(reactor, "http://flaky.test/")
    assert connected(reactor) == []
    refusal = gate.refusal("flaky.test")
    assert isinstance(refusal, LookupRefused) and "fail closed" in str(refusal)
    request(reactor, "http://flaky.test/")  # a retry: a new lookup, loopback this time
    assert connected(reactor) == []
    assert isinstance(gate.refusal("flaky.test"), UnsafeAddress)
    assert script.asked == ["flaky.test", "flaky.test"]


def test_numeric_hosts_are_checked_too() -> None:
    reactor, gate = reactor_with(Script({"127.0.0.1": [["127.0.0.1"]], "::1": [["::1"]]}))
    request(reactor, "http://127.0.0.1:8080/")
    request(reactor, "http://[::1]:8080/")
    assert connected(reactor) == []
    assert "127.0.0.1 is a loopback address" in str(gate.refusal("127.0.0.1"))


def test_a_host_with_user_info_is_refused_without_a_lookup() -> None:
    # Twisted's URI reads "user@127.0.0.1" as the host; HostnameEndpoint and the gate both refuse it.
    script = Script({})
    reactor, gate = reactor_with(script)
    failures = request(reactor, "http://user@127.0.0.1:8080/")
    assert connected(reactor) == [] and len(failures) == 1
    refused: list[Failure] = []
    gate.check("user@127.0.0.1", 8080).addErrback(refused.append)
    assert len(refused) == 1 and refused[0].check(UnsafeURL)
    assert script.asked == []


def test_exempt_hosts_and_allow_private_connect() -> None:
    reactor, _ = reactor_with(Script({"127.0.0.1": [["127.0.0.1"]]}), allowed_hosts=frozenset({"127.0.0.1:8080"}))
    request(reactor, "http://127.0.0.1:8080/")
    request(reactor, "http://127.0.0.1:8081/")  # another port of the same address is not exempt
    assert connected(reactor) == [("127.0.0.1", 8080)]
    reactor, _ = reactor_with(Script({"inside.test": [["10.0.0.7"]]}), allow_private=True)
    request(reactor, "http://inside.test:81/")
    assert connected(reactor) == [("10.0.0.7", 81)]


def test_the_simple_resolver_path_is_gated_as_well() -> None:
    # reactor.connectTCP with a name (Scrapy's HTTPS proxy tunnel, FTP) asks reactor.resolver,
    # which installNameResolver points at the gate too.
    from twisted.internet.base import _ComplexResolverSimplifier

    gate = AddressGate(Policy(), Script({"inside.test": [["127.0.0.1"]], "public.test": [["93.184.215.14"]]}))
    simple = _ComplexResolverSimplifier(GatedResolver(MemoryReactorClock(), gate))  # type: ignore[arg-type]
    results: list[object] = []
    simple.getHostByName("public.test").addBoth(results.append)
    simple.getHostByName("inside.test").addBoth(results.append)
    assert results[0] == "93.184.215.14"
    assert isinstance(results[1], Failure) and results[1].check(DNSLookupError)


def test_ensure_installed_replaces_another_resolver_once() -> None:
    reactor = MemoryReactorClock()
    gate = AddressGate(Policy(), Script({}))
    ensure_installed(reactor, gate)  # type: ignore[arg-type]
    installed = reactor.nameResolver
    assert isinstance(installed, GatedResolver) and installed.gate is gate
    ensure_installed(reactor, gate)  # type: ignore[arg-type]
    assert reactor.nameResolver is installed
