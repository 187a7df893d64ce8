"""A small site on 127.0.0.1 for crash and concurrency tests, and the config that crawls it.

Two sources: a regulator with an RSS feed and a press outlet with a sitemap, plus a syndicated
copy. Article pages are served slowly so that a test can kill a crawl in the middle. The
handler answers If-Modified-Since with 304, so a crawl that trusts validators it saved before
being killed would lose the feed's articles: the exact failure the crash test looks for.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .syndication import OTHERS, RELEASES, copies

REPO = Path(__file__).resolve().parents[3]
ARTICLES_PER_SOURCE = 8
# Seconds per article page, one page at a time: storing takes a few seconds, long enough to kill mid-way.
PAGE_DELAY = 0.25
VOCABULARY = sorted({w.strip(".,()").lower() for t in [*RELEASES.values(), *OTHERS] for w in t.split()} - {""})


def _body(source: str, number: int) -> str:
    # Distinct text per article, so that no two are near duplicates: seeded random word sequences.
    pick = random.Random(f"{source}-{number}")
    sentences = [f"Item {number} of {source}, part {i}: " + " ".join(pick.choices(VOCABULARY, k=12)) for i in range(12)]
    return ". ".join(sentences) + "."


def _page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{chunk}.</p>" for chunk in text.split(". ") if chunk)
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><header>Site</header>"
        f"<main><article><h1>{title}</h1><time datetime='2026-11-02'>2 November 2026</time>{paragraphs}"
        "</article></main><footer>Contact</footer></body></html>"
    )


class _Handler(SimpleHTTPRequestHandler):
    log: list[str]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.log.append(self.path)
        if self.path.endswith(".html"):
            time.sleep(PAGE_DELAY)
        super().do_GET()


@contextmanager
def serve_site(root: Path) -> Iterator[tuple[str, list[str]]]:
    """Write the site under ``root`` and serve it; yields (base URL, request log)."""
    log: list[str] = []
    handler = type("Handler", (_Handler,), {"log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _write_site(root, base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, log
    finally:
        server.shutdown()
        server.server_close()


def expected_urls(base: str) -> set[str]:
    urls = {f"{base}/dpa/{n}.html" for n in range(ARTICLES_PER_SOURCE)}
    urls |= {f"{base}/daily/{n}.html" for n in range(ARTICLES_PER_SOURCE)}
    return urls | {f"{base}/dpa/release.html", f"{base}/daily/copy.html"}


def _write_site(root: Path, base: str) -> None:
    for source in ("dpa", "daily"):
        (root / source).mkdir(parents=True, exist_ok=True)
        for n in range(ARTICLES_PER_SOURCE):
            (root / source / f"{n}.html").write_text(_page(f"{source} item {n}", _body(source, n)))
    (root / "dpa" / "release.html").write_text(_page("Transfers suspended", RELEASES["transfers"]))
    (root / "daily" / "copy.html").write_text(
        _page("Regulator halts transfers", copies(RELEASES["transfers"], "Daily")[0])
    )
    items = (
        "".join(
            f"<item><title>dpa item {n}</title><link>{base}/dpa/{n}.html</link>"
            f"<pubDate>Mon, 02 Nov 2026 0{n % 10}:00:00 +0000</pubDate></item>"
            for n in range(ARTICLES_PER_SOURCE)
        )
        + f"<item><title>Transfers suspended</title><link>{base}/dpa/release.html</link></item>"
    )
    (root / "dpa" / "feed.xml").write_text(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>DPA</title><link>{base}/dpa/</link>"
        f"<description>news</description>{items}</channel></rss>"
    )
    urls = [f"{base}/daily/{n}.html" for n in range(ARTICLES_PER_SOURCE)] + [f"{base}/daily/copy.html"]
    (root / "daily" / "sitemap.xml").write_text(
        "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        + "".join(f"<url><loc>{url}</loc><lastmod>2026-11-02</lastmod></url>" for url in urls)
        + "</urlset>"
    )


def write_config(directory: Path, base: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config" / "watchlists.yaml", directory / "watchlists.yaml")
    (directory / "monitor.yaml").write_text(
        "user_agent: 'news-monitor-test (+https://example.org)'\n"
        "politeness:\n  obey_robots_txt: false\n  download_delay: 0\n  autothrottle: false\n"
        "  concurrent_requests_per_domain: 1\n  retry_times: 0\n  download_timeout: 10\n"
    )
    (directory / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{id: dpa, name: Data Protection Authority, kind: regulator, jurisdiction: FR,"
        f" feeds: ['{base}/dpa/feed.xml']}}\n"
        f"  - {{id: daily, name: The Daily, kind: press, jurisdiction: GB, sitemaps: ['{base}/daily/sitemap.xml']}}\n"
    )
    return directory


def monitor_command(config: Path, database_url: str, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "monitor",
        "--config",
        str(config),
        "--db",
        database_url,
        "--allow-private",
        "--quiet",
        *args,
    ]


class Run:
    """``monitor run`` in its own process group (its extraction workers included), output to files."""

    def __init__(self, config: Path, database_url: str, name: str) -> None:
        self.out = config.parent / f"{name}.out"
        self.err = config.parent / f"{name}.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                monitor_command(config, database_url, "run"), cwd=REPO, stdout=out, stderr=err, start_new_session=True
            )
        self.pid = self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self.kill_group()

    def kill(self) -> int:
        """SIGKILL the run and everything it started, as the OOM killer or a cgroup stop would."""
        os.killpg(self.pid, signal.SIGKILL)
        return self.process.wait(30)

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)

    @property
    def stderr(self) -> str:
        return self.err.read_text()


def start_run(config: Path, database_url: str, name: str = "run") -> Run:
    return Run(config, database_url, name)


def count_rows(database_url: str, table: str) -> int:
    """Rows in ``table`` as another process sees them; 0 while the schema does not exist yet."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    from monitor.storage.engine import make_engine

    engine = make_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


def wait_until(condition: Any, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
