"""DNS cannot outrun the address check: a name that answers a public address to the check and
127.0.0.1 to the connection (rebinding), or whose first lookup fails and the next one answers
loopback, never reaches the internal service on 127.0.0.1, through the real CLI, from the start
URL of ``monitor crawl``, from ``monitor extract``, from a redirect and from a feed's entry.

Each test runs inside its own network namespace (``tests.helpers.dns_netns``), whose resolver
asks the test's DNS server: the "public" address 8.8.8.8 is unreachable there, so no packet
leaves the machine whatever the code does. The proof is the internal service's own accept log:
zero connections.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.helpers.dns import SERVFAIL, DNSServer
from tests.helpers.dns_netns import reran_in_netns
from tests.mockserver.routes import Reply, RouteServer

NAME = "rebind.test"
PUBLIC = "8.8.8.8"  # global, so the old check let it through; unreachable inside the namespace
REBINDING = [PUBLIC, "127.0.0.1"]  # the first lookup says public, every later one loopback
FAILING_FIRST = [SERVFAIL, "127.0.0.1"]  # the first lookup fails, every later one says loopback
SCRIPTS = {"rebinding": REBINDING, "failing-first": FAILING_FIRST}


@dataclass
class InternalService:
    """A TCP service on 127.0.0.1 that logs every connection it accepts and answers a secret."""

    accepted: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="internal-service", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, peer = self._socket.accept()
            except TimeoutError:
                continue
            self.accepted.append(peer)
            with connection:
                connection.settimeout(5)
                try:
                    connection.recv(65536)
                    body = b"<html><body><p>INTERNAL SECRET</p></body></html>"
                    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n"
                    connection.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)
                except OSError:
                    pass

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        self._socket.close()


@pytest.fixture
def internal() -> Iterator[InternalService]:
    service = InternalService()
    yield service
    service.stop()


def rebinding_url(service: InternalService, path: str = "/") -> str:
    return f"http://{NAME}:{service.port}{path}"


def config_for(tmp_path: Path, sources: list[dict[str, object]] | None = None, allowed: Sequence[str] = ()) -> Path:
    return write_config(tmp_path / "config", sources or [], allowed_private_hosts=list(allowed))


def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'monitor.db'}"


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_crawl_start_url(script: str, tmp_path: Path, internal: InternalService) -> None:
    if reran_in_netns():
        return
    with DNSServer({NAME: SCRIPTS[script]}) as dns:
        result = monitor(config_for(tmp_path), database(tmp_path), "crawl", rebinding_url(internal), "--depth", "1")
    assert internal.accepted == [], result.stderr[-3000:]
    assert result.returncode != 0, result.stdout
    assert "INTERNAL SECRET" not in result.stdout
    if script == "rebinding":
        # One lookup for the check and the connection alike: there is no second answer to rebind to.
        assert dns.lookups(NAME) == 1, dns.queries
    else:
        # The failed lookup refused the start URL (fail closed); its retry found loopback, refused.
        failed = [line for line in result.stderr.splitlines() if line.startswith("source adhoc failed: ")]
        assert len(failed) == 1, result.stderr[-3000:]
        assert (
            f"unsafe_address: refused {rebinding_url(internal)}: {NAME} resolves to 127.0.0.1, a loopback" in failed[0]
        )


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_extract_url(script: str, tmp_path: Path, internal: InternalService) -> None:
    if reran_in_netns():
        return
    url = rebinding_url(internal, "/page.html")
    with DNSServer({NAME: SCRIPTS[script]}) as dns:
        result = monitor(config_for(tmp_path), database(tmp_path), "extract", url)
    assert internal.accepted == [], result.stdout[-3000:]
    assert result.returncode != 0
    assert "INTERNAL SECRET" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"monitor: {url}: ")]
    assert len(lines) == 1, result.stderr[-3000:]
    if script == "rebinding":
        assert dns.lookups(NAME) == 1, dns.queries
        assert "(connection)" in lines[0] or "(timeout)" in lines[0], lines  # 8.8.8.8 is unreachable here
    else:
        # The first lookup failed: refused without a second one (fail closed); the retry looks
        # the name up again, finds loopback and is refused for it.
        assert f"{NAME} resolves to 127.0.0.1, a loopback address" in lines[0], lines
        assert "(unsafe_address)" in lines[0], lines


def test_extract_https_url(tmp_path: Path, internal: InternalService) -> None:
    # The https endpoint is the same HostnameEndpoint with TLS wrapped around it: gated the same way.
    if reran_in_netns():
        return
    url = f"https://{NAME}:{internal.port}/page.html"
    with DNSServer({NAME: REBINDING}) as dns:
        result = monitor(config_for(tmp_path), database(tmp_path), "extract", url)
    assert internal.accepted == [], result.stderr[-3000:]
    assert result.returncode != 0
    assert dns.lookups(NAME) == 1, dns.queries


def test_redirect_from_an_allowed_host(tmp_path: Path, internal: InternalService) -> None:
    if reran_in_netns():
        return
    target = rebinding_url(internal, "/admin")
    routes = {"/start": lambda h: Reply(302, b"", headers={"Location": target})}
    with DNSServer({NAME: REBINDING}) as dns, RouteServer("allowed", routes) as allowed:
        config = config_for(tmp_path, allowed=[allowed.hostport])
        result = monitor(config, database(tmp_path), "extract", allowed.url("/start"))
        hits = allowed.hits("/start")
    assert hits == 1, result.stderr[-3000:]  # the allowed host was fetched: the redirect was followed
    assert internal.accepted == [], result.stdout[-3000:]
    assert dns.lookups(NAME) == 1, dns.queries


def test_feed_entry_linking_to_the_name(tmp_path: Path, internal: InternalService) -> None:
    if reran_in_netns():
        return
    article = rebinding_url(internal, "/articles/inside.html")
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Allowed</title>'
        f"<link>http://example.org/</link><item><title>Data transfer decision</title><link>{article}</link>"
        "<pubDate>Mon, 01 Dec 2025 09:00:00 GMT</pubDate></item></channel></rss>"
    )
    routes = {"/feed.xml": lambda h: Reply(200, feed.encode(), content_type="application/rss+xml")}
    with DNSServer({NAME: REBINDING}) as dns, RouteServer("allowed", routes) as allowed:
        source = {
            "id": "allowed",
            "name": "Allowed",
            "kind": "other",
            "jurisdiction": "INTL",
            "timezone": "UTC",
            "feeds": [allowed.url("/feed.xml")],
        }
        config = config_for(tmp_path, [source], allowed=[allowed.hostport])
        result = monitor(config, database(tmp_path), "run")
        hits = allowed.hits("/feed.xml")
    assert hits >= 1, result.stderr[-3000:]
    assert internal.accepted == [], result.stderr[-3000:]
    assert dns.lookups(NAME) == 1, dns.queries
