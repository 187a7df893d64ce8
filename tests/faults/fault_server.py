"""A loopback server that misbehaves on purpose, one fault per path, several sites on 127.0.0.x.

Each site listens on its own loopback address (127.0.0.2, 127.0.0.3, ...) and an OS-chosen port,
so Scrapy gives each its own robots.txt and its own per-domain slot, as real hosts would get.
``FaultServer.log`` records every request (site, path, status) so tests can count retries.

Sites:

* ``good``: a well-behaved site with a feed, articles and a PDF, plus one path per response
  fault (slow, oversized, malformed, redirecting, ...); its robots.txt disallows ``/private/``.
* ``robots503``: robots.txt answers 503; the feed behind it is never fetched.
* ``waitlong``: every path answers 429 with ``Retry-After: 3600``.
* ``blackhole``: a listening socket whose accept queue is full: connections time out.
* ``tls``: HTTPS with a self-signed certificate (when ``cryptography`` can make one).
"""

from __future__ import annotations

import gzip
import io
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2026-11-20T09:00:00Z">
</head><body><main><article><h1>{title}</h1>
<p>The data protection authority today published guidance on cross-border transfers of personal data
to third countries, including standard contractual clauses and data localisation requirements that
cloud providers must meet. The guidance follows a public consultation that ran for three months.</p>
<p>{extra}</p></article></main></body></html>"""


def rss(base: str, items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        for title, path, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Fault site</title>'
        f"<link>{base}/</link><description>test</description>{entries}</channel></rss>"
    )


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title><link>http://x.example/a</link></item>
</channel></rss>"""


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, built by hand (no PDF library needed to write it)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@dataclass(frozen=True)
class Hit:
    site: str
    path: str
    status: int


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] | None = None
    content_type: str = "text/html; charset=utf-8"


Route = Callable[["_Handler"], Reply | None]  # None: the route wrote (or withheld) the response itself


class _Handler(BaseHTTPRequestHandler):
    server: _Site
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        site = self.server
        path = self.path
        route = site.routes.get(path) or site.routes.get(path.split("?", 1)[0])
        site.owner.count(site.name, path)
        reply = route(self) if route else Reply(404, b"not found", content_type="text/plain")
        if reply is None:
            site.owner.record(Hit(site.name, path, 0))
            return
        site.owner.record(Hit(site.name, path, reply.status))
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
            pass

    def hold(self, seconds: float) -> None:
        """Wait without answering, unless the server is stopping."""
        self.server.owner.stopping.wait(seconds)


class _Site(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], name: str, owner: FaultServer, routes: dict[str, Route]) -> None:
        self.name = name
        self.owner = owner
        self.routes = routes
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on a slow or huge answer is the point of this server


class FaultServer:
    """``with FaultServer() as faults: faults.url("good", "/feed.xml")``."""

    def __init__(self, workdir: Path | None = None) -> None:
        self.workdir = workdir
        self.sites: dict[str, _Site] = {}
        self.addresses: dict[str, tuple[str, int, str]] = {}  # name -> (host, port, scheme)
        self.log: list[Hit] = []
        self.counts: dict[tuple[str, str], int] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._blackhole: list[socket.socket] = []

    # -- bookkeeping -----------------------------------------------------------------------
    def count(self, site: str, path: str) -> int:
        with self._lock:
            self.counts[(site, path)] = self.counts.get((site, path), 0) + 1
            return self.counts[(site, path)]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.log.append(hit)

    def hits(self, site: str, path: str) -> int:
        return self.counts.get((site, path), 0)

    def url(self, site: str, path: str = "/") -> str:
        host, port, scheme = self.addresses[site]
        return f"{scheme}://{host}:{port}{path}"

    def hostport(self, site: str) -> str:
        host, port, _scheme = self.addresses[site]
        return f"{host}:{port}"

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FaultServer:
        self._serve("good", "127.0.0.2", self._good_routes())
        self._serve("robots503", "127.0.0.3", self._robots503_routes())
        self._serve("waitlong", "127.0.0.4", self._waitlong_routes())
        self._serve_blackhole("blackhole", "127.0.0.5")
        if self.workdir is not None and _make_certificate(self.workdir):
            tls_routes = {"/robots.txt": _text("User-agent: *\nAllow: /\n"), "/feed.xml": _text("<rss/>")}
            self._serve("tls", "127.0.0.6", tls_routes, tls=self.workdir)
        # An internal service the crawler must never reach: listed in no allow-list.
        self._serve("internal", "127.0.0.1", {"/secret": lambda h: Reply(200, b"internal data")})
        return self

    def stop(self) -> None:
        self.stopping.set()
        for site in self.sites.values():
            site.shutdown()
            site.server_close()
        for sock in self._blackhole:
            sock.close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, name: str, host: str, routes: dict[str, Route], tls: Path | None = None) -> None:
        site = _Site((host, 0), name, self, routes)
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls / "cert.pem", tls / "key.pem")
            site.socket = context.wrap_socket(site.socket, server_side=True)
            scheme = "https"
        self.sites[name] = site
        self.addresses[name] = (host, site.server_address[1], scheme)
        thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        self._threads.append(thread)

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
        time.sleep(0.1)
        self.addresses[name] = (host, port, "http")

    # -- routes ------------------------------------------------------------------------------
    def _good_routes(self) -> dict[str, Route]:
        now = datetime.now(UTC)
        day = (now - timedelta(days=2)).strftime("%a, %d %b %Y %H:%M:%S +0000")

        def base(h: _Handler) -> str:
            return self.url("good", "")

        def feed(h: _Handler) -> Reply:
            items = [
                ("Guidance on transfers", "/articles/transfers.html", day),
                ("Ruling on localisation", "/articles/localisation.html", day),
                ("Decision (PDF)", "/docs/decision", day),
                ("Latin-1 page", "/articles/latin1.html", day),
            ]
            return Reply(200, rss(base(h), items).encode(), content_type="application/rss+xml; charset=utf-8")

        def attempts(key: str) -> int:
            return self.hits("good", key)

        def flaky(h: _Handler) -> Reply:
            if attempts("/flaky.xml") == 1:
                return Reply(503, b"try again", content_type="text/plain")
            return Reply(
                200, rss(base(h), [("Flaky", "/articles/flaky.html", day)]).encode(), content_type="application/rss+xml"
            )

        def retry_soon(h: _Handler) -> Reply:
            if attempts("/retry-soon.xml") == 1:
                return Reply(429, b"slow down", headers={"Retry-After": "1"}, content_type="text/plain")
            return Reply(
                200,
                rss(base(h), [("Patient", "/articles/patient.html", day)]).encode(),
                content_type="application/rss+xml",
            )

        def no_headers(h: _Handler) -> None:
            h.hold(30)

        def drip(h: _Handler) -> None:
            h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 400\r\n\r\n")
            for _ in range(400):
                if self.stopping.wait(0.5):
                    return
                try:
                    h.wfile.write(b" ")
                    h.wfile.flush()
                except OSError:
                    return

        def bomb(h: _Handler) -> Reply:
            payload = gzip.compress(b"<rss>" + b" " * (20 * 1024 * 1024) + b"</rss>", compresslevel=9)
            return Reply(200, payload, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml")

        def huge(h: _Handler) -> Reply:
            return Reply(200, b"<html>" + b"x" * (5 * 1024 * 1024) + b"</html>")

        def loop(h: _Handler) -> Reply:
            target = "/loop-b" if h.path == "/loop-a" else "/loop-a"
            return Reply(302, b"", headers={"Location": target})

        def to_internal(h: _Handler) -> Reply:
            return Reply(302, b"", headers={"Location": self.url("internal", "/secret")})

        latin1_feed = (
            '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\xe9</title>'
            "<item><title>D\xe9cision sur les transferts</title><link>{base}/articles/cafe.html</link></item>"
            "</channel></rss>"
        )

        def wrong_charset(h: _Handler) -> Reply:
            # Declared utf-8 by the server, encoded latin-1 by the CMS, as the XML prolog says.
            return Reply(
                200,
                latin1_feed.format(base=base(h)).encode("latin-1"),
                content_type="application/rss+xml; charset=utf-8",
            )

        def article(title: str, extra: str = "") -> Route:
            return lambda h: Reply(200, ARTICLE.format(title=title, extra=extra).encode())

        def latin1_article(h: _Handler) -> Reply:
            body = ARTICLE.format(title="Données personnelles", extra="Délibération de la CNIL, été 2026.")
            body = body.replace('<meta charset="utf-8">', "")
            return Reply(200, body.encode("latin-1"), content_type="text/html")  # no charset anywhere

        pdf = minimal_pdf("Decision on international data transfers to third countries under the GDPR")
        routes: dict[str, Route] = {
            "/robots.txt": _text("User-agent: *\nDisallow: /private/\n"),
            "/feed.xml": feed,
            "/private/feed.xml": feed,
            "/articles/transfers.html": article("Guidance on transfers"),
            "/articles/localisation.html": article("Ruling on localisation"),
            "/articles/flaky.html": article("Flaky"),
            "/articles/patient.html": article("Patient"),
            "/articles/cafe.html": article("Café"),
            "/articles/latin1.html": latin1_article,
            "/docs/decision": lambda h: Reply(200, pdf, content_type="application/octet-stream"),
            "/flaky.xml": flaky,
            "/retry-soon.xml": retry_soon,
            "/no-headers.xml": no_headers,
            "/drip.xml": drip,
            "/bomb.xml": bomb,
            "/huge.html": huge,
            "/loop-a": loop,
            "/loop-b": loop,
            "/to-internal": to_internal,
            "/empty.xml": lambda h: Reply(200, b"", content_type="application/rss+xml"),
            "/html.xml": lambda h: Reply(200, ARTICLE.format(title="Not a feed", extra="").encode()),
            "/malformed.xml": lambda h: Reply(
                200, b"<rss><channel><item><title>x</item></rss>>>", content_type="application/rss+xml"
            ),
            "/truncated.xml": lambda h: Reply(
                200, rss(base(h), [("T", "/articles/t.html", day)]).encode()[:70], content_type="application/rss+xml"
            ),
            "/entities.xml": lambda h: Reply(200, BILLION_LAUGHS.encode(), content_type="application/rss+xml"),
            "/entities-utf16.xml": lambda h: Reply(
                200,
                BILLION_LAUGHS.replace('"?>', '" encoding="utf-16"?>', 1).encode("utf-16"),
                content_type="application/rss+xml",
            ),
            "/wrong-charset.xml": wrong_charset,
            "/gone.xml": lambda h: Reply(404, b"gone", content_type="text/plain"),
            "/broken.xml": lambda h: Reply(500, b"oops", content_type="text/plain"),
        }
        return routes

    def _robots503_routes(self) -> dict[str, Route]:
        return {
            "/robots.txt": lambda h: Reply(503, b"maintenance", content_type="text/plain"),
            "/feed.xml": lambda h: Reply(200, rss(self.url("robots503", ""), []).encode()),
        }

    def _waitlong_routes(self) -> dict[str, Route]:
        wait = lambda h: Reply(429, b"", headers={"Retry-After": "3600"}, content_type="text/plain")  # noqa: E731
        return {"/robots.txt": _text("User-agent: *\nAllow: /\n"), "/feed.xml": wait, "/other.xml": wait}


def _text(body: str) -> Route:
    return lambda h: Reply(200, body.encode(), content_type="text/plain")


def _make_certificate(directory: Path) -> bool:
    """A self-signed certificate for 127.0.0.6, which no trust store accepts."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        return False
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.6")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.6"))]), False)
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return True
