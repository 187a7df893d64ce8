"""Loopback sites that misbehave on purpose, one fault per path, each site on its own 127.0.0.x.

Each site listens on its own loopback address (127.0.0.2, 127.0.0.3, ...) and an OS-chosen port,
so Scrapy gives each its own robots.txt and its own per-domain slot, as real hosts would get.
``FaultServer.hits(site, path)`` counts requests, so tests can count retries.

Sites:

* ``good``: a well-behaved site with a feed, articles and a PDF, plus one path per response
  fault (slow, oversized, malformed, redirecting, ...); its robots.txt disallows ``/private/``.
* ``robots503``: robots.txt answers 503; the feed behind it is never fetched.
* ``waitlong``: every path answers 429 with ``Retry-After: 3600``.
* ``blackhole``: a listening socket whose accept queue is full: connections time out.
* ``tls``: HTTPS with a self-signed certificate (when ``cryptography`` can make one).
* ``internal``: on 127.0.0.1, a service the crawler must never reach.

The stalling paths (``/no-headers.xml``, ``/drip.xml``) stall for minutes, far beyond any
download timeout a test sets, and give up as soon as the server stops.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.mockserver.fault_pages import ARTICLE, BILLION_LAUGHS, make_certificate, minimal_pdf, rss
from tests.mockserver.routes import Reply, Route, RouteHandler, RouteServer, text

STALL_SECONDS = 600  # how long a stalling path keeps a connection without finishing its answer
DRIP_INTERVAL = 0.5  # seconds between the bytes of /drip.xml


class FaultServer:
    """``with FaultServer(workdir) as faults: faults.url("good", "/feed.xml")``."""

    def __init__(self, workdir: Path | None = None) -> None:
        self.workdir = workdir  # where the TLS site's certificate is written; None: no TLS site
        self.sites: dict[str, RouteServer] = {}
        self.addresses: dict[str, tuple[str, int, str]] = {}  # name -> (host, port, scheme)
        self.stopping = threading.Event()
        self._blackhole: list[socket.socket] = []

    def url(self, site: str, path: str = "/") -> str:
        host, port, scheme = self.addresses[site]
        return f"{scheme}://{host}:{port}{path}"

    def hostport(self, site: str) -> str:
        host, port, _scheme = self.addresses[site]
        return f"{host}:{port}"

    def hits(self, site: str, path: str) -> int:
        return self.sites[site].hits(path)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FaultServer:
        # An internal service the crawler must never reach: listed in no allow-list.
        internal = self._serve("internal", "127.0.0.1")
        internal.routes["/secret"] = lambda h: Reply(200, b"internal data")
        good = self._serve("good", "127.0.0.2")
        good.routes.update(good_routes(good, internal.url("/secret")))
        robots503 = self._serve("robots503", "127.0.0.3")
        robots503.routes.update(
            {
                "/robots.txt": lambda h: Reply(503, b"maintenance", content_type="text/plain"),
                "/feed.xml": lambda h: Reply(200, rss(robots503.url(""), []).encode()),
            }
        )
        wait = lambda h: Reply(429, b"", headers={"Retry-After": "3600"}, content_type="text/plain")  # noqa: E731
        self._serve("waitlong", "127.0.0.4").routes.update(
            {"/robots.txt": text("User-agent: *\nAllow: /\n"), "/feed.xml": wait, "/other.xml": wait}
        )
        self._serve_blackhole("blackhole", "127.0.0.5")
        if self.workdir is not None and make_certificate(self.workdir):
            tls_routes = {"/robots.txt": text("User-agent: *\nAllow: /\n"), "/feed.xml": text("<rss/>")}
            self._serve("tls", "127.0.0.6", tls=self.workdir).routes.update(tls_routes)
        for site in self.sites.values():
            site.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for site in self.sites.values():
            site.stop()
        for sock in self._blackhole:
            sock.close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, name: str, host: str, tls: Path | None = None) -> RouteServer:
        site = RouteServer(name, host=host, tls=tls, stopping=self.stopping)
        self.sites[name] = site
        self.addresses[name] = (site.host, site.port, site.scheme)
        return site

    def _serve_blackhole(self, name: str, host: str) -> None:
        """Listen with a full accept queue: Linux drops further SYNs, so connecting times out."""
        listener = socket.socket()
        listener.bind((host, 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        self._blackhole.append(listener)
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect((host, port))
            except BlockingIOError:
                pass
            self._blackhole.append(filler)
        time.sleep(0.1)  # lets the kernel finish the fillers' handshakes, so the queue is full
        self.addresses[name] = (host, port, "http")


def good_routes(site: RouteServer, internal_url: str) -> dict[str, Route]:
    """The well-behaved site's pages plus one path per response fault."""
    day = (datetime.now(UTC) - timedelta(days=2)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    base = site.url("")
    return {
        "/robots.txt": text("User-agent: *\nDisallow: /private/\n"),
        **_article_routes(base, day),
        **_retry_routes(site, day),
        **_stall_routes(site),
        **_oversize_routes(),
        **_redirect_routes(internal_url),
        **_broken_feed_routes(base, day),
        "/gone.xml": lambda h: Reply(404, b"gone", content_type="text/plain"),
        "/broken.xml": lambda h: Reply(500, b"oops", content_type="text/plain"),
    }


def _feed(body: str, content_type: str = "application/rss+xml; charset=utf-8") -> Reply:
    return Reply(200, body.encode(), content_type=content_type)


def _article(title: str, extra: str = "") -> Route:
    return lambda h: Reply(200, ARTICLE.format(title=title, extra=extra).encode())


def _article_routes(base: str, day: str) -> dict[str, Route]:
    items = [
        ("Guidance on transfers", "/articles/transfers.html", day),
        ("Ruling on localisation", "/articles/localisation.html", day),
        ("Decision (PDF)", "/docs/decision", day),
        ("Latin-1 page", "/articles/latin1.html", day),
    ]
    feed = lambda h: _feed(rss(base, items))  # noqa: E731

    def latin1_article(h: RouteHandler) -> Reply:
        body = ARTICLE.format(title="Données personnelles", extra="Délibération de la CNIL, été 2026.")
        body = body.replace('<meta charset="utf-8">', "")
        return Reply(200, body.encode("latin-1"), content_type="text/html")  # no charset anywhere

    pdf = minimal_pdf("Decision on international data transfers to third countries under the GDPR")
    return {
        "/feed.xml": feed,
        "/private/feed.xml": feed,
        "/articles/transfers.html": _article("Guidance on transfers"),
        "/articles/localisation.html": _article("Ruling on localisation"),
        "/articles/flaky.html": _article("Flaky"),
        "/articles/patient.html": _article("Patient"),
        "/articles/cafe.html": _article("Café"),
        "/articles/latin1.html": latin1_article,
        "/docs/decision": lambda h: Reply(200, pdf, content_type="application/octet-stream"),
    }


def _retry_routes(site: RouteServer, day: str) -> dict[str, Route]:
    """Answers that fail once, then succeed."""
    base = site.url("")

    def flaky(h: RouteHandler) -> Reply:
        if site.hits("/flaky.xml") == 1:
            return Reply(503, b"try again", content_type="text/plain")
        return _feed(rss(base, [("Flaky", "/articles/flaky.html", day)]), "application/rss+xml")

    def retry_soon(h: RouteHandler) -> Reply:
        if site.hits("/retry-soon.xml") == 1:
            return Reply(429, b"slow down", headers={"Retry-After": "1"}, content_type="text/plain")
        return _feed(rss(base, [("Patient", "/articles/patient.html", day)]), "application/rss+xml")

    return {"/flaky.xml": flaky, "/retry-soon.xml": retry_soon}


def _stall_routes(site: RouteServer) -> dict[str, Route]:
    """A connection that never gets its headers, and one whose body trickles in forever."""

    def no_headers(h: RouteHandler) -> None:
        h.hold(STALL_SECONDS)

    def drip(h: RouteHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 4000\r\n\r\n")
        for _ in range(int(STALL_SECONDS / DRIP_INTERVAL)):
            if site.stopping.wait(DRIP_INTERVAL):
                return
            try:
                h.wfile.write(b" ")
                h.wfile.flush()
            except OSError:
                return

    return {"/no-headers.xml": no_headers, "/drip.xml": drip}


def _oversize_routes() -> dict[str, Route]:
    def bomb(h: RouteHandler) -> Reply:
        payload = gzip.compress(b"<rss>" + b" " * (20 * 1024 * 1024) + b"</rss>", compresslevel=9)
        return Reply(200, payload, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml")

    def huge(h: RouteHandler) -> Reply:
        return Reply(200, b"<html>" + b"x" * (5 * 1024 * 1024) + b"</html>")

    return {"/bomb.xml": bomb, "/huge.html": huge}


def _redirect_routes(internal_url: str) -> dict[str, Route]:
    def loop(h: RouteHandler) -> Reply:
        target = "/loop-b" if h.path == "/loop-a" else "/loop-a"
        return Reply(302, b"", headers={"Location": target})

    def to_internal(h: RouteHandler) -> Reply:
        return Reply(302, b"", headers={"Location": internal_url})

    return {"/loop-a": loop, "/loop-b": loop, "/to-internal": to_internal}


def _broken_feed_routes(base: str, day: str) -> dict[str, Route]:
    latin1_feed = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\xe9</title>'
        "<item><title>D\xe9cision sur les transferts</title><link>{base}/articles/cafe.html</link></item>"
        "</channel></rss>"
    )
    rss_type = "application/rss+xml"
    return {
        "/empty.xml": lambda h: Reply(200, b"", content_type=rss_type),
        "/html.xml": lambda h: Reply(200, ARTICLE.format(title="Not a feed", extra="").encode()),
        "/malformed.xml": lambda h: Reply(200, b"<rss><channel><item><title>x</item></rss>>>", content_type=rss_type),
        "/truncated.xml": lambda h: Reply(
            200, rss(base, [("T", "/articles/t.html", day)]).encode()[:70], content_type=rss_type
        ),
        "/entities.xml": lambda h: Reply(200, BILLION_LAUGHS.encode(), content_type=rss_type),
        "/entities-utf16.xml": lambda h: Reply(
            200, BILLION_LAUGHS.replace('"?>', '" encoding="utf-16"?>', 1).encode("utf-16"), content_type=rss_type
        ),
        # Declared utf-8 by the server, encoded latin-1 by the CMS, as the XML prolog says.
        "/wrong-charset.xml": lambda h: Reply(
            200, latin1_feed.format(base=base).encode("latin-1"), content_type="application/rss+xml; charset=utf-8"
        ),
    }
