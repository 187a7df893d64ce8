"""Killed runs, one-source runs and full runs in any order lose no article behind a 304 (issue 18).

Through the real CLI (``python -m monitor run`` in its own process group, SIGKILLed as the OOM
killer or a cgroup stop would) against the bundled demo sites served with a small delay per
response, on each database backend. The oracle is an uninterrupted run on a fresh database:
after any seeded schedule of kills and ``run --source X`` runs, a run to completion ends with
the same stored URLs and the same flags, and no conditional request is ever answered 304 for an
endpoint whose articles were not all stored when that run began.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text
from sqlalchemy.pool import NullPool

from monitor.storage import dispose_all
from monitor.storage.engine import make_engine
from tests.helpers import REPO_ROOT
from tests.helpers.cli import monitor
from tests.helpers.config import write_demo_config
from tests.mockserver import RequestRecord, SiteServer, render_sources

pytestmark = [pytest.mark.timeout(900)]

# Seconds each response of the fixture sites waits: a full run takes a few seconds, so a kill
# lands before, during and after its requests.
PAGE_DELAY = 0.03
SEED = 18
KILLS = 10
MAX_STEPS = 30
# How long the server must stay quiet before a "quiet" kill: past the run's last request, while it
# extracts, stores and records what it fetched.
QUIET = 0.25


@dataclass
class Step:
    """One ``monitor run`` of the schedule and what it saw."""

    args: tuple[str, ...]
    killed: bool
    log: list[RequestRecord]
    stored_before: set[str]


class Crawl:
    """``monitor run`` in its own session, so that SIGKILL reaches its extraction workers too."""

    def __init__(self, config: Path, database_url: str, args: tuple[str, ...], out: Path) -> None:
        self.out = out
        with out.open("w") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "monitor", "--config", str(config), "--db", database_url, "run", *args],
                cwd=REPO_ROOT,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> bool:
        """SIGKILL the run and its children; True when it was still running."""
        was_alive = self.alive()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(60)
        return was_alive and self.process.returncode == -signal.SIGKILL

    def finish(self, timeout: float = 300) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    @property
    def output(self) -> str:
        return self.out.read_text()[-3000:]


def wait_for(condition: Callable[[], bool], crawl: Crawl, timeout: float = 120) -> None:
    """Until ``condition`` holds or the crawl exits; the bound only catches a hung test."""
    deadline = time.monotonic() + timeout
    while not condition() and crawl.alive():
        if time.monotonic() > deadline:
            raise AssertionError("the crawl neither reached the kill point nor exited")
        time.sleep(0.005)


def stored(database_url: str) -> dict[str, tuple[bool, tuple[str, ...]]]:
    """canonical URL -> (flagged, topics) as another process sees them; nothing before the schema."""
    engine = make_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if not _has_table(connection, "articles"):
                return {}
            rows = connection.execute(
                text(
                    "SELECT a.canonical_url, a.flagged, t.topic FROM articles a "
                    "LEFT JOIN topic_matches t ON t.article_id = a.id"
                )
            )
            found: dict[str, tuple[bool, list[str]]] = {}
            for url, flagged, topic in rows:
                entry = found.setdefault(url, (bool(flagged), []))
                if topic:
                    entry[1].append(topic)
            return {url: (flagged, tuple(sorted(topics))) for url, (flagged, topics) in found.items()}
    finally:
        engine.dispose()


def pending_validators(database_url: str) -> int:
    """Endpoints whose validators a run has recorded but not (yet) promoted."""
    engine = make_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if not _has_table(connection, "endpoints"):
                return 0
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM endpoints "
                        "WHERE pending_etag IS NOT NULL OR pending_last_modified IS NOT NULL"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _has_table(connection: object, name: str) -> bool:
    from sqlalchemy import inspect

    return name in inspect(connection).get_table_names()


def _fetch(url: str) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=30) as response:
        return response.read().decode("utf-8", "replace")


class Oracle:
    """What an uninterrupted run stores, and which stored articles each endpoint names."""

    def __init__(self, server: SiteServer, config: Path, database_url: str, work: Path) -> None:
        server.clear_log()
        crawl = Crawl(config, database_url, (), work / "reference.out")
        assert crawl.finish() == 0, crawl.output
        self.log = server.request_log
        self.articles = stored(database_url)
        assert len(self.articles) >= 40, "the reference run stored too little"
        self.server = server
        self.endpoints = self._endpoint_articles(database_url)
        server.clear_log()

    def _endpoint_articles(self, database_url: str) -> dict[str, set[str]]:
        """endpoint URL (feed, sitemap, listing's first page) -> the stored articles it leads to."""
        from monitor.storage.models import Endpoint

        engine = make_engine(database_url, poolclass=NullPool)
        with engine.connect() as connection:
            endpoints = list(connection.execute(select(Endpoint.url, Endpoint.kind)))
        engine.dispose()
        bodies: dict[str, str] = {}
        for url, kind in endpoints:
            bodies[url] = _fetch(url)
            if kind == "listing":
                # Its later pages, as the reference run requested them.
                bodies[url] += "".join(_fetch(page) for page in self._listing_pages(url))
        named = {url: self._named(body) for url, body in bodies.items()}
        # A sitemap index leads to what its child sitemaps name.
        for url, body in bodies.items():
            for child in bodies:
                if child != url and urlsplit(child).path in body:
                    named[url] |= named[child]
        return named

    def _listing_pages(self, first: str) -> list[str]:
        parts = urlsplit(first)
        pattern = re.sub(r"_\d+(\.html?)$", r"_\\d+\1", re.escape(parts.path))
        base = f"{parts.scheme}://{parts.netloc}"
        pages = {
            base + record.path
            for record in self.log
            if self.server.base_url(record.site) == base
            and record.path != parts.path
            and (record.path.split("?")[0] == parts.path or re.fullmatch(pattern, record.path))
        }
        return sorted(pages)

    def _named(self, body: str) -> set[str]:
        found = set()
        for url in self.articles:
            path = urlsplit(url).path
            if re.search(re.escape(path) + r"(?=[\"'<>\s?#&]|$)", body):
                found.add(url)
        return found

    def lost_behind_304(self, step: Step) -> list[str]:
        """Endpoints answered 304 in ``step`` although some of their articles were not stored."""
        problems = []
        for record in step.log:
            if record.status != 304:
                continue
            url = self.server.base_url(record.site) + record.path
            missing = self.endpoints.get(url, set()) - step.stored_before
            if missing:
                problems.append(f"{url}: 304 with {len(missing)} articles not stored, e.g. {sorted(missing)[0]}")
        return problems


@pytest.fixture
def demo_sites() -> Iterator[SiteServer]:
    with SiteServer(page_delay=PAGE_DELAY) as server:
        yield server
    dispose_all()


def _config(server: SiteServer, directory: Path) -> Path:
    return write_demo_config(directory, server)


def _run(
    server: SiteServer,
    config: Path,
    database_url: str,
    args: tuple[str, ...],
    out: Path,
    kill_when: Callable[[Crawl, int], bool] | None,
) -> Step:
    before = set(stored(database_url))
    start = len(server.request_log)
    crawl = Crawl(config, database_url, args, out)
    killed = False
    if kill_when is not None:
        wait_for(lambda: kill_when(crawl, start), crawl)
        killed = crawl.kill()
    else:
        code = crawl.finish()
        assert code in (0, 3), f"monitor run {' '.join(args)} exited {code}: {crawl.output}"
    return Step(args=args, killed=killed, log=server.request_log[start:], stored_before=before)


def _requests_since(server: SiteServer, start: int) -> int:
    return len(server.request_log) - start


def _kill_point(rng: random.Random, server: SiteServer, typical: int) -> tuple[str, Callable[[Crawl, int], bool]]:
    """A seeded kill point: during start-up, after the k-th request, or once the requests stop."""
    kind = rng.choice(["startup", "requests", "requests", "requests", "quiet"])
    if kind == "startup":
        delay = rng.uniform(0.0, 1.0)
        began = time.monotonic()
        return f"startup+{delay:.2f}s", lambda crawl, start: time.monotonic() - began >= delay
    if kind == "requests":
        k = rng.randint(1, max(2, typical))
        return f"request {k}", lambda crawl, start: _requests_since(server, start) >= k
    seen = {"count": -1, "since": time.monotonic()}

    def quiet(crawl: Crawl, start: int) -> bool:
        count = _requests_since(server, start)
        now = time.monotonic()
        if count != seen["count"]:
            seen["count"], seen["since"] = count, now
            return False
        return count > 0 and now - seen["since"] >= QUIET

    return "after the last request", quiet


def test_kills_and_one_source_runs_in_any_order_lose_nothing(
    database_url: str, demo_sites: SiteServer, tmp_path: Path
) -> None:
    server = demo_sites
    config = _config(server, tmp_path / "config")
    reference_db = f"sqlite:///{tmp_path / 'reference.db'}"
    oracle = Oracle(server, config, reference_db, tmp_path)
    source_ids = [source["id"] for source in render_sources(server)["sources"]]

    rng = random.Random(SEED)
    steps: list[Step] = []
    typical = len(oracle.log)
    kills = 0
    for number in range(MAX_STEPS):
        if kills >= KILLS and number >= KILLS + 3:
            break
        roll = rng.random()
        args: tuple[str, ...] = ()
        if roll < 0.3:
            args = ("--source", rng.choice(source_ids))
        point: Callable[[Crawl, int], bool] | None = None
        if roll < 0.2:
            described = "to the end"
        else:
            described, point = _kill_point(rng, server, typical)
        step = _run(server, config, database_url, args, tmp_path / f"step{number}.out", point)
        steps.append(step)
        kills += step.killed
        typical = max(2, len(step.log))
        lost = oracle.lost_behind_304(step)
        assert not lost, f"step {number} (run {' '.join(args) or 'all'}, {described}): {lost}"
    assert kills >= KILLS, f"only {kills} of {len(steps)} runs were killed before they finished"

    final = _run(server, config, database_url, (), tmp_path / "final.out", None)
    assert not oracle.lost_behind_304(final)
    # The same canonical URLs as the reference, so no article under a second URL (a stored twice).
    assert stored(database_url) == oracle.articles

    # Complete now: the next run asks only conditional questions, and every one is answered 304.
    again = _run(server, config, database_url, (), tmp_path / "again.out", None)
    entry_points = [r for r in again.log if r.path != "/robots.txt"]
    assert entry_points and all(r.status == 304 for r in entry_points), [(r.path, r.status) for r in entry_points]


def test_a_killed_run_then_a_one_source_run_hides_nothing_from_the_next_full_run(
    database_url: str, demo_sites: SiteServer, tmp_path: Path
) -> None:
    """The operator's sequence of issue 18: a full run killed once it has polled every entry
    point, ``run --source ONE`` to the end, then a full run: every article is there."""
    server = demo_sites
    config = _config(server, tmp_path / "config")
    oracle = Oracle(server, config, f"sqlite:///{tmp_path / 'reference.db'}", tmp_path)
    entry_points = set(oracle.endpoints)

    def polled_everything(crawl: Crawl, start: int) -> bool:
        """Every entry point fetched and its validators recorded, pending the run's end."""
        seen = {server.base_url(r.site) + r.path for r in server.request_log[start:]}
        return entry_points <= seen and pending_validators(database_url) >= len(entry_points)

    # Everything but the entry points waits, so the run is still going when it has polled them all.
    server.held = lambda site, path: path != "/robots.txt" and server.base_url(site) + path not in entry_points
    server.hold()
    killed = _run(server, config, database_url, (), tmp_path / "killed.out", polled_everything)
    server.release()
    assert killed.killed, "the full run exited before it had polled every entry point"
    one = _run(server, config, database_url, ("--source", "ndsa"), tmp_path / "one.out", None)
    assert not oracle.lost_behind_304(one)
    full = _run(server, config, database_url, (), tmp_path / "full.out", None)
    assert not oracle.lost_behind_304(full)
    assert stored(database_url) == oracle.articles


def test_sources_list_shows_each_sources_last_complete_crawl(
    sqlite_url: str, demo_sites: SiteServer, tmp_path: Path
) -> None:
    server = demo_sites
    config = _config(server, tmp_path / "config")
    _run(server, config, sqlite_url, ("--source", "ndsa"), tmp_path / "one.out", None)
    listing = monitor(config, sqlite_url, "sources", "list")
    assert listing.returncode == 0, listing.stderr
    rows = {line.split("│")[1].strip(): line for line in listing.stdout.splitlines() if line.count("│") > 5}
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert today in rows["ndsa"], rows["ndsa"]
    assert "never" in rows["acd"], rows["acd"]
