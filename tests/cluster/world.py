"""A fixture world for the cluster tests: sources on many loopback hosts, and a server-side oracle.

Each host is its own address (127.0.0.2 and up: Linux routes all of 127/8 to the loopback
device), because Scrapy paces, and the locks key, by host name; ports alone would be one host.
Each source has an RSS feed of a few articles; feeds answer conditional requests (ETag) with 304.

The oracle does not trust the database: for every request it records which crawl process sent
it (the process group of the client socket's owner, found in ``/proc``: a crawl child starts its
own session, so its extraction workers share its group), the requests then in flight on that
host, and the status. Politeness is "at most one request in flight per host"; overlap is "one
crawl's requests to a host interleaved with another's".

Article pages can be held (``gate``): a kill test stops a crawl part-way at that point, however
loaded the machine is, instead of after a guessed delay.
"""

from __future__ import annotations

import hashlib
import os
import random
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# The longest a held request waits: a test that forgets to release must not hang the server.
HOLD_LIMIT = 300.0
WORDS = (
    "data transfer sovereignty cloud regulator authority decision personal processing adequacy "
    "localisation storage order court ruling ministry consultation platform access encryption "
    "security breach fine investigation guidance network operator public sector contract"
).split()


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    crawl: int | None  # process group of the client, None when it could not be told
    in_flight: int  # requests in flight on this host, this one included
    status: int
    conditional: bool


@dataclass
class WorldSource:
    id: str
    host: str
    articles: int

    def feed_path(self) -> str:
        return f"/{self.id}/feed.xml"

    def article_paths(self) -> list[str]:
        return [f"/{self.id}/{n}.html" for n in range(self.articles)]


@dataclass
class _Gate:
    holding: bool = False
    permits: int = 0
    generation: int = 0


@dataclass
class _HostState:
    in_flight: int = 0
    max_in_flight: int = 0
    hits: list[Hit] = field(default_factory=list)


class World:
    """``sources`` sources on ``hosts`` loopback hosts (the first hosts get the extra sources)."""

    def __init__(self, *, sources: int = 50, hosts: int = 35, articles: int = 4, delay: float = 0.02) -> None:
        if not 1 <= hosts <= 250:
            raise ValueError("1 to 250 hosts: 127.0.0.2 ... 127.0.0.251")
        self.hosts = [f"127.0.0.{2 + index}" for index in range(hosts)]
        self.sources = [WorldSource(f"s{index:02d}", self.hosts[index % hosts], articles) for index in range(sources)]
        self.delay = delay
        self._by_host: dict[str, list[WorldSource]] = {}
        for source in self.sources:
            self._by_host.setdefault(source.host, []).append(source)
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._state = {host: _HostState() for host in self.hosts}
        self._owners: dict[tuple[str, int], int | None] = {}
        self._gate = threading.Condition()
        self._gates: dict[str, _Gate] = {}

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> World:
        for host in self.hosts:
            server = _Server((host, 0), self)
            self._servers[host] = server
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.release_all()
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> World:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the crawler is given -----------------------------------------------------------
    def base(self, host: str) -> str:
        return f"http://{host}:{self._servers[host].server_address[1]}"

    def source_configs(self) -> list[dict[str, Any]]:
        return [
            {
                "id": source.id,
                "name": f"Source {source.id}",
                "kind": "regulator",
                "jurisdiction": "FR",
                "feeds": [self.base(source.host) + source.feed_path()],
            }
            for source in self.sources
        ]

    def expected_urls(self, sources: list[WorldSource] | None = None) -> set[str]:
        return {
            self.base(source.host) + path for source in (sources or self.sources) for path in source.article_paths()
        }

    def source(self, source_id: str) -> WorldSource:
        return next(source for source in self.sources if source.id == source_id)

    # -- the oracle --------------------------------------------------------------------------
    def hits(self, host: str | None = None) -> list[Hit]:
        with self._lock:
            if host is not None:
                return list(self._state[host].hits)
            return [hit for state in self._state.values() for hit in state.hits]

    def max_in_flight(self) -> dict[str, int]:
        with self._lock:
            return {host: state.max_in_flight for host, state in self._state.items()}

    def interleavings(self) -> dict[str, list[int | None]]:
        """Hosts whose requests came from one crawl, then another, then the first again."""
        found: dict[str, list[int | None]] = {}
        for host in self.hosts:
            runs: list[int | None] = []
            for hit in self.hits(host):
                if not runs or runs[-1] != hit.crawl:
                    runs.append(hit.crawl)
            if len(runs) != len(set(runs)):
                found[host] = runs
        return found

    def crawls_of(self, source: WorldSource, path: str | None = None) -> list[int | None]:
        """The crawl process groups that requested ``path`` (default: the source's feed), in order."""
        wanted = path or source.feed_path()
        return [hit.crawl for hit in self.hits(source.host) if hit.path == wanted]

    # -- holding article pages ---------------------------------------------------------------
    def gate(self, host: str, pages: int = 0) -> None:
        """From now on article pages of ``host`` wait; ``pages`` more of them are answered first."""
        with self._gate:
            gate = self._gates.setdefault(host, _Gate())
            gate.holding, gate.permits = True, pages
            gate.generation += 1
            self._gate.notify_all()

    def release(self, host: str) -> None:
        with self._gate:
            gate = self._gates.setdefault(host, _Gate())
            gate.holding = False
            gate.generation += 1
            self._gate.notify_all()

    def release_all(self) -> None:
        for host in list(self._gates):
            self.release(host)

    def waiting(self, host: str) -> int:
        """Article requests of ``host`` in flight now (held ones included)."""
        with self._lock:
            return self._state[host].in_flight

    def _wait_for_turn(self, host: str) -> None:
        with self._gate:
            gate = self._gates.get(host)
            if gate is None or not gate.holding:
                return
            generation = gate.generation
            self._gate.wait_for(
                lambda: not gate.holding or gate.permits > 0 or gate.generation != generation, timeout=HOLD_LIMIT
            )
            if gate.holding and gate.permits > 0 and gate.generation == generation:
                gate.permits -= 1

    # -- serving -----------------------------------------------------------------------------
    def _begin(self, host: str) -> int:
        with self._lock:
            state = self._state[host]
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            return state.in_flight

    def _end(self, hit: Hit) -> None:
        with self._lock:
            state = self._state[hit.host]
            state.in_flight -= 1
            state.hits.append(hit)

    def _owner(self, client: tuple[str, int], server: tuple[str, int]) -> int | None:
        with self._lock:
            if client in self._owners:
                return self._owners[client]
        owner = _socket_group(client, server)
        with self._lock:
            self._owners[client] = owner
        return owner

    def answer(self, host: str, path: str) -> tuple[int, bytes, str] | None:
        """(status, body, content type) for ``path`` on ``host``; None: not found."""
        for source in self._by_host.get(host, []):
            if path == source.feed_path():
                return 200, self._feed(source).encode(), "application/rss+xml; charset=utf-8"
            if path in source.article_paths():
                self._wait_for_turn(host)
                if self.delay:
                    time.sleep(self.delay)
                return 200, _article(source.id, path).encode(), "text/html; charset=utf-8"
        return None

    def _feed(self, source: WorldSource) -> str:
        base = self.base(source.host)
        items = "".join(
            f"<item><title>{source.id} item {n}</title><link>{base}{path}</link>"
            f"<pubDate>Mon, 02 Nov 2026 0{n % 10}:00:00 +0000</pubDate></item>"
            for n, path in enumerate(source.article_paths())
        )
        return (
            "<?xml version='1.0'?><rss version='2.0'><channel>"
            f"<title>{source.id}</title><link>{base}/{source.id}/</link><description>news</description>"
            f"{items}</channel></rss>"
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], world: World) -> None:
        self.world = world
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a crawl killed mid-request hangs up: that is the point of the kill tests


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        world = self.server.world
        host = self.server.server_address[0]
        assert isinstance(host, str)
        in_flight = world._begin(host)
        crawl = world._owner(self.client_address[:2], self.connection.getsockname()[:2])
        status, conditional = 0, "If-None-Match" in self.headers
        try:
            answer = world.answer(host, self.path.split("?", 1)[0])
            if answer is None:
                status = 404
                self._send(404, b"not found", "text/plain", {})
                return
            status, body, content_type = answer
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                status = 304
                self._send(304, b"", None, {"ETag": etag})
                return
            self._send(status, body, content_type, {"ETag": etag})
        finally:
            world._end(Hit(host, self.path, crawl, in_flight, status, conditional))

    def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _article(source_id: str, path: str) -> str:
    pick = random.Random(f"{source_id}{path}")
    title = f"{source_id} {path.rsplit('/', 1)[-1]}: " + " ".join(pick.choices(WORDS, k=4))
    paragraphs = "".join(f"<p>Part {i} of {title}: " + " ".join(pick.choices(WORDS, k=14)) + ".</p>" for i in range(10))
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><header>Site</header>"
        f"<main><article><h1>{title}</h1><time datetime='2026-11-02'>2 November 2026</time>{paragraphs}"
        "</article></main><footer>Contact</footer></body></html>"
    )


def _hex_address(address: tuple[str, int]) -> str:
    ip, port = address
    return f"{struct.unpack('<I', socket.inet_aton(ip))[0]:08X}:{port:04X}"


def _socket_group(client: tuple[str, int], server: tuple[str, int]) -> int | None:
    """The process group of the process that owns the client end of a loopback TCP connection."""
    local, remote = _hex_address(client), _hex_address(server)
    inode = None
    with open("/proc/net/tcp", encoding="ascii") as table:
        for line in table.readlines()[1:]:
            parts = line.split()
            if parts[1] == local and parts[2] == remote:
                inode = parts[9]
                break
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in _pids():
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return os.getpgid(pid)
        except OSError:
            continue  # gone, or not ours to read
    return None


def _pids() -> Iterator[int]:
    for name in os.listdir("/proc"):
        if name.isdigit():
            yield int(name)
