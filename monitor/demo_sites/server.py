"""A threaded HTTP server for the bundled demo sites, as Scrapy's own ``tests/mockserver`` does it.

Each site gets its own listener on ``127.0.0.1`` and an OS-chosen port, so each has its own
``robots.txt``, its own politeness slot in Scrapy and its own base URL. Files are served from
``sites/<site>/`` with these conventions:

* ``/dir/`` serves ``dir/index.html`` (or ``index.htm``); ``/dir`` redirects (301) to ``/dir/``.
* A query string maps to a sibling file: ``/actualites/?page=2`` serves
  ``actualites/index.page-2.html``; several parameters are sorted and joined with ``_``
  (``?b=2&a=1`` -> ``index.a-1_b-2.html``). Parameters named in the site's ``ignore_query``
  (tracking parameters such as ``utm_*``) are dropped first, so ``/x.html?utm_source=rss`` serves
  ``x.html``. Any other query without a file is a 404 unless a ``fallbacks`` rule matches.
* Files and directories whose name starts with ``_`` or ``.`` are never served (``_site.yaml``,
  ``_empty.html`` templates for fallbacks).
* Text files (html, xml, rss, atom, txt, ...) may contain ``{{base}}`` (this site's base URL) and
  ``{{site:NAME}}`` (another site's base URL), replaced at serve time; feeds and sitemaps need
  absolute URLs, the ports are only known once the listeners are up. A site that is not being
  served resolves to ``http://NAME.invalid``.
* ``ETag`` is a hash of the bytes served; ``Last-Modified`` is deterministic: the per-file value
  from ``_site.yaml``, else the article's ``published`` date from ``MANIFEST.yaml``, else the
  site's ``last_modified``. ``If-None-Match`` (which wins when both are sent, RFC 9110 13.2.2) and
  ``If-Modified-Since`` answer ``304 Not Modified``.

``sites/<site>/_site.yaml`` holds the per-site quirks, all optional::

    last_modified: "2026-11-28T12:00:00Z"   # default Last-Modified
    ignore_query: ["utm_*", "nn"]           # fnmatch patterns of query parameters to drop
    headers: {X-Frame-Options: DENY}        # added to every response
    fallbacks:                              # a missing file whose "path?query" matches the regex
      - match: '^/wxfb/index_\\d+\\.htm$'    # is served from `file` with `status` (default 200),
        file: wxfb/_empty.htm               # e.g. a listing page past the end that is an empty list
    files:                                  # per-URL-path overrides
      /docs/x.pdf: {content_type: application/octet-stream, last_modified: "...", headers: {...}}
"""

from __future__ import annotations

import argparse
import email.utils
import fnmatch
import hashlib
import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

from monitor.demo_sites import SITES_ROOT, SOURCES_TEMPLATE

logger = logging.getLogger(__name__)

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
TEXT_SUFFIXES = frozenset({".html", ".htm", ".xml", ".rss", ".atom", ".txt", ".css", ".js", ".json", ".svg"})
INDEX_FILES = ("index.html", "index.htm")
PLACEHOLDER = re.compile(r"\{\{\s*(base|site:([A-Za-z0-9_-]+))\s*\}\}")
# Query values become part of a file name, so only a conservative alphabet is mapped.
SAFE_QUERY_PART = re.compile(r"^[A-Za-z0-9_-]+$")
# Later than every article date in the demo, so listings look freshly updated.
DEFAULT_LAST_MODIFIED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
# A client's address as socketserver hands it over (host, port[, flowinfo, scope_id]).
Address = tuple[str, int] | tuple[str, int, int, int]
# An idle keep-alive connection is dropped after this many seconds, so no handler thread lingers.
HANDLER_TIMEOUT = 10.0


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it; ``path`` includes the query string."""

    site: str
    method: str
    path: str
    headers: dict[str, str]
    status: int

    def header(self, name: str) -> str | None:
        """A request header by case-insensitive name."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


@dataclass(frozen=True)
class Fallback:
    match: re.Pattern[str]
    file: str
    status: int = 200


@dataclass(frozen=True)
class FileRule:
    content_type: str | None = None
    last_modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteConfig:
    """The parsed ``_site.yaml`` of one site (all keys optional)."""

    name: str
    root: Path
    last_modified: datetime = DEFAULT_LAST_MODIFIED
    ignore_query: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    fallbacks: tuple[Fallback, ...] = ()
    files: dict[str, FileRule] = field(default_factory=dict)
    published: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def load(cls, name: str, root: Path, published: dict[str, datetime]) -> SiteConfig:
        path = root / "_site.yaml"
        raw: dict[str, Any] = {}
        if path.is_file():
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        known = {"last_modified", "ignore_query", "headers", "fallbacks", "files", "description"}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)} (known: {sorted(known)})")
        files = {
            url_path: FileRule(
                content_type=rule.get("content_type"),
                last_modified=_parse_date(rule["last_modified"]) if rule.get("last_modified") else None,
                headers={str(k): str(v) for k, v in (rule.get("headers") or {}).items()},
            )
            for url_path, rule in (raw.get("files") or {}).items()
        }
        return cls(
            name=name,
            root=root,
            last_modified=_parse_date(raw["last_modified"]) if raw.get("last_modified") else DEFAULT_LAST_MODIFIED,
            ignore_query=tuple(raw.get("ignore_query") or ()),
            headers={str(k): str(v) for k, v in (raw.get("headers") or {}).items()},
            fallbacks=tuple(
                Fallback(re.compile(fb["match"]), fb["file"], int(fb.get("status", 200)))
                for fb in (raw.get("fallbacks") or ())
            ),
            files=files,
            published=published,
        )


def _parse_date(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def load_manifest(root: Path = SITES_ROOT) -> dict[str, Any]:
    """The parsed ``MANIFEST.yaml`` (``{"articles": [...], ...}``), or an empty one if absent."""
    path = root / "MANIFEST.yaml"
    if not path.is_file():
        return {"articles": []}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {"articles": []}


def discover_sites(root: Path = SITES_ROOT) -> list[str]:
    """Every site directory under ``root``, sorted."""
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


@dataclass(frozen=True)
class Resolved:
    """What a request path maps to: a file to serve, a redirect, or nothing."""

    file: Path | None = None
    url_path: str = ""
    status: int = 200
    location: str | None = None


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: FixtureServer, site: SiteConfig) -> None:
        self.owner = owner
        self.site = site
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Address) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake handler threads blocked on idle keep-alive connections so they exit now."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client: nothing left to wake

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Address) -> None:
        # The default prints a traceback to stderr; a client hanging up is normal in crawls.
        # socketserver calls this inside its ``except`` block, so exc_info is the live exception.
        logger.debug("demo site %s: error serving %s", self.site.name, client_address, exc_info=True)  # noqa: LOG014


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "demo-sites/1.0"
    sys_version = ""
    timeout = HANDLER_TIMEOUT

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("demo site %s: %s", self.server.site.name, format % args)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _other(self) -> None:
        self._respond(HTTPStatus.METHOD_NOT_ALLOWED, b"method not allowed\n", head=False, extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _other

    def _serve(self, head: bool) -> None:
        owner = self.server.owner
        site = self.server.site
        if owner.page_delay:
            time.sleep(owner.page_delay)
        resolved = owner.resolve(site, self.path)
        if resolved.location is not None:
            self._respond(HTTPStatus.MOVED_PERMANENTLY, b"", head, extra={"Location": resolved.location})
            return
        if resolved.file is None:
            self._respond(HTTPStatus.NOT_FOUND, b"<h1>404 Not Found</h1>\n", head, content_type=CONTENT_TYPES[".html"])
            return
        body = resolved.file.read_bytes()
        suffix = resolved.file.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            body = owner.substitute(site.name, body.decode("utf-8")).encode("utf-8")
        rule = site.files.get(resolved.url_path, FileRule())
        content_type = rule.content_type or CONTENT_TYPES.get(suffix, "application/octet-stream")
        modified = rule.last_modified or site.published.get(resolved.url_path) or site.last_modified
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        headers = {
            **site.headers,
            **rule.headers,
            "ETag": etag,
            "Last-Modified": email.utils.format_datetime(modified, usegmt=True),
        }
        status = resolved.status
        if status == 200 and self._not_modified(etag, modified):
            self._respond(HTTPStatus.NOT_MODIFIED, b"", head=True, extra=headers, content_type=None)
            return
        self._respond(HTTPStatus(status), body, head, extra=headers, content_type=content_type)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False  # an unparsable date is ignored, as RFC 9110 13.1.3 says
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return modified <= since
        return False

    def _respond(
        self,
        status: HTTPStatus,
        body: bytes,
        head: bool,
        extra: dict[str, str] | None = None,
        content_type: str | None = "text/plain; charset=utf-8",
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        # Logged before the response leaves: a client that has read it must find it in the log.
        self.server.owner._record(self.server.site.name, self.command, self.path, self.headers.items(), int(status))
        self.end_headers()
        if not head and status != HTTPStatus.NOT_MODIFIED:
            self.wfile.write(body)


class FixtureServer:
    """Serves the demo sites, each on its own ``127.0.0.1`` port, from background threads.

    Use as a context manager::

        with FixtureServer() as server:
            url = server.base_url("regulator") + "/actualites/"
    """

    def __init__(
        self,
        root: Path = SITES_ROOT,
        sites: list[str] | None = None,
        host: str = "127.0.0.1",
        base_port: int = 0,
        page_delay: float = 0.0,
    ) -> None:
        if not _is_loopback(host):
            raise ValueError(f"the fixture server binds to loopback addresses only, not {host!r}")
        self.root = Path(root)
        available = discover_sites(self.root)
        chosen = list(sites) if sites is not None else available
        missing = [s for s in chosen if s not in available]
        if missing:
            raise ValueError(f"no such demo site(s): {', '.join(missing)} (available: {', '.join(available)})")
        self.sites: list[str] = chosen
        self.host = host
        # 0: OS-chosen ports (tests). The demo uses fixed ports so that its URLs, and so the
        # canonical URLs it stores, are the same from one run to the next.
        self.base_port = base_port
        # Seconds each response waits before it is sent: a crawl that takes long enough for a
        # test to kill it part-way (tests/e2e/test_killed_runs.py).
        self.page_delay = page_delay
        self._servers: dict[str, _SiteServer] = {}
        self._threads: list[threading.Thread] = []
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        published = self._published_dates()
        self._configs = {name: SiteConfig.load(name, self.root / name, published.get(name, {})) for name in self.sites}

    def _published_dates(self) -> dict[str, dict[str, datetime]]:
        dates: dict[str, dict[str, datetime]] = {}
        for article in load_manifest(self.root).get("articles", []):
            if article.get("published"):
                dates.setdefault(article["site"], {})[article["path"]] = _parse_date(article["published"])
        return dates

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FixtureServer:
        if self._servers:
            return self
        try:
            for index, name in enumerate(self.sites):
                port = self.base_port + index if self.base_port else 0
                server = _SiteServer((self.host, port), self, self._configs[name])
                self._servers[name] = server
                thread = threading.Thread(
                    target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=f"demo-site-{name}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        except OSError:
            self.stop()
            raise
        logger.info("demo sites serving: %s", ", ".join(f"{n}={self.base_url(n)}" for n in self.sites))
        return self

    def stop(self) -> None:
        servers, self._servers = self._servers, {}
        for server in servers.values():
            server.shutdown()
            server.close_connections()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return bool(self._servers)

    # -- addresses ---------------------------------------------------------------------------

    def base_url(self, site: str) -> str:
        """``http://127.0.0.1:PORT`` of a running site (no trailing slash)."""
        server = self._servers.get(site)
        if server is None:
            state = "not started" if not self._servers else f"not served (serving: {', '.join(self.sites)})"
            raise KeyError(f"demo site {site!r} is {state}")
        host, port = server.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode("ascii")
        return f"http://{host}:{port}"

    def url(self, site: str, path: str = "/") -> str:
        """Absolute URL of ``path`` on ``site``."""
        return self.base_url(site) + (path if path.startswith("/") else "/" + path)

    def substitute(self, site: str, text: str) -> str:
        """Replace ``{{base}}`` and ``{{site:NAME}}`` placeholders in text served by ``site``."""

        def repl(match: re.Match[str]) -> str:
            name = site if match.group(1) == "base" else match.group(2)
            if name in self._servers:
                return self.base_url(name)
            return f"http://{name}.invalid"

        return PLACEHOLDER.sub(repl, text)

    # -- request log -------------------------------------------------------------------------

    @property
    def request_log(self) -> list[RequestRecord]:
        """A snapshot of every request answered so far, in order."""
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, site: str, method: str, path: str, headers: Iterable[tuple[str, str]], status: int) -> None:
        merged: dict[str, str] = {}
        for name, value in headers:
            merged[name] = f"{merged[name]}, {value}" if name in merged else value
        with self._log_lock:
            self._log.append(RequestRecord(site, method, path, merged, status))

    # -- path resolution ---------------------------------------------------------------------

    def resolve(self, site: SiteConfig, raw_path: str) -> Resolved:
        """Map a request target to a file (see the module docstring for the conventions)."""
        parts = urlsplit(raw_path)
        url_path = unquote(parts.path) or "/"
        segments = [s for s in url_path.split("/") if s]
        if any(s in {".", ".."} or s.startswith(("_", ".")) or "\x00" in s or "\\" in s for s in segments):
            return Resolved()
        params = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not any(fnmatch.fnmatchcase(k, pattern) for pattern in site.ignore_query)
        ]
        query = "&".join(f"{k}={v}" for k, v in params)
        target = site.root.joinpath(*segments)
        if target.is_dir():
            if not url_path.endswith("/"):
                location = url_path + "/" + (f"?{parts.query}" if parts.query else "")
                return Resolved(location=location)
            index = next((target / n for n in INDEX_FILES if (target / n).is_file()), None)
            if index is None:
                return self._fallback(site, url_path, query)
            target = index
        elif not target.is_file():
            return self._fallback(site, url_path, query)
        if params:
            if not all(SAFE_QUERY_PART.match(k) and SAFE_QUERY_PART.match(v) for k, v in params):
                return self._fallback(site, url_path, query)
            slug = "_".join(f"{k}-{v}" for k, v in sorted(params))
            variant = target.with_name(f"{target.stem}.{slug}{target.suffix}")
            if not variant.is_file():
                return self._fallback(site, url_path, query)
            target = variant
        return Resolved(file=target, url_path=url_path)

    def _fallback(self, site: SiteConfig, url_path: str, query: str) -> Resolved:
        key = url_path + (f"?{query}" if query else "")
        for rule in site.fallbacks:
            if rule.match.search(key):
                file = site.root / rule.file
                if file.is_file():
                    return Resolved(file=file, url_path=url_path, status=rule.status)
        return Resolved()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _walk_strings(node: object, fn: Callable[[str], str]) -> object:
    if isinstance(node, str):
        return fn(node)
    if isinstance(node, list):
        return [_walk_strings(item, fn) for item in node]
    if isinstance(node, dict):
        return {key: _walk_strings(value, fn) for key, value in node.items()}
    return node


def _site_refs(node: object) -> Iterator[str]:
    if isinstance(node, str):
        for match in PLACEHOLDER.finditer(node):
            if match.group(2):
                yield match.group(2)
    elif isinstance(node, list):
        for item in node:
            yield from _site_refs(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _site_refs(value)


def render_sources(server: FixtureServer, template: Path = SOURCES_TEMPLATE) -> dict[str, Any]:
    """``sources.yaml`` of the demo with ``{{site:NAME}}`` resolved to the running server's URLs.

    A source that refers to a site the server does not serve is left out, so a server started
    with ``sites=["press"]`` yields a catalogue of the press source only.
    """
    data = yaml.safe_load(template.read_text(encoding="utf-8")) or {}
    sources = []
    for source in data.get("sources", []):
        refs = set(_site_refs(source))
        if not refs <= set(server.sites):
            logger.debug("demo source %s left out: site(s) %s not served", source.get("id"), refs - set(server.sites))
            continue
        sources.append(_walk_strings(source, lambda s: server.substitute("", s)))
    return {**data, "sources": sources}


def main(argv: list[str] | None = None) -> int:
    """``python -m monitor.demo_sites.server``: serve the demo sites until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Serve the bundled demo sites on 127.0.0.1.")
    parser.add_argument("sites", nargs="*", help="sites to serve (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with FixtureServer(sites=args.sites or None) as server:
        for name in server.sites:
            logger.info("%-10s %s/", name, server.base_url(name))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
