"""A loopback site that answers from a table of routes: path -> function of the request.

The engine of the fault sites (``faults.py``) and of the benchmark's in-memory news site. Every
request is counted per path before its route runs, so a route can answer differently on a retry.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Hit:
    site: str
    path: str
    status: int  # 0: the route wrote (or withheld) the answer itself


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] | None = None
    content_type: str = "text/html; charset=utf-8"


Route = Callable[["RouteHandler"], Reply | None]  # None: the route wrote (or withheld) the response itself


def text(body: str) -> Route:
    """A route answering ``body`` as text/plain."""
    return lambda handler: Reply(200, body.encode(), content_type="text/plain")


class RouteHandler(BaseHTTPRequestHandler):
    server: _Listener
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers offer it

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        site = self.server.owner
        routes = site.routes
        route = routes.get(self.path) or routes.get(self.path.split("?", 1)[0])
        site.count(self.path)
        reply = route(self) if route else Reply(404, b"not found", content_type="text/plain")
        site.record(Hit(site.name, self.path, reply.status if reply else 0))
        if reply is None:
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for key, value in (reply.headers or {}).items():
            self.send_header(key, value)
        if "Content-Length" not in (reply.headers or {}):
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        try:
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a slow or huge answer

    def hold(self, seconds: float) -> None:
        """Wait without answering, unless the server is stopping."""
        self.server.owner.stopping.wait(seconds)


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: RouteServer) -> None:
        self.owner = owner
        super().__init__(address, RouteHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on a slow or huge answer is the point of the fault sites


class _Listener6(_Listener):
    address_family = socket.AF_INET6


class RouteServer:
    """``with RouteServer("site", routes) as site: site.url("/feed.xml")``; routes may be added later."""

    def __init__(
        self,
        name: str,
        routes: dict[str, Route] | None = None,
        host: str = "127.0.0.1",
        tls: Path | None = None,
        stopping: threading.Event | None = None,
    ) -> None:
        self.name = name
        self.routes: dict[str, Route] = dict(routes or {})
        self.log: list[Hit] = []
        self.counts: dict[str, int] = {}
        self.stopping = stopping or threading.Event()
        self._lock = threading.Lock()
        listener = _Listener6 if ":" in host else _Listener  # host "::1": an IPv6 loopback site
        self._listener = listener((host, 0), self)  # bound now: the URL is known before start()
        self.scheme = "http"
        if tls is not None:  # a directory holding cert.pem and key.pem
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls / "cert.pem", tls / "key.pem")
            self._listener.socket = context.wrap_socket(self._listener.socket, server_side=True)
            self.scheme = "https"
        self.host, self.port = host, self._listener.server_address[1]
        self._thread = threading.Thread(
            target=self._listener.serve_forever, kwargs={"poll_interval": 0.1}, name=f"mock-{name}", daemon=True
        )

    @property
    def hostport(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.hostport}{path}"

    def count(self, path: str) -> int:
        with self._lock:
            self.counts[path] = self.counts.get(path, 0) + 1
            return self.counts[path]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.log.append(hit)

    def hits(self, path: str) -> int:
        """Requests for ``path`` so far (query string included)."""
        with self._lock:
            return self.counts.get(path, 0)

    def start(self) -> RouteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._thread.is_alive():
            self._listener.shutdown()
        self._listener.server_close()

    def __enter__(self) -> RouteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
