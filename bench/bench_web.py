"""The web app's item list and search over 100,000 stored articles, on SQLite and PostgreSQL.

    python bench/bench_web.py [--articles 100000] [--requests 60] [--pg URL] [--json bench/results.json]

Fills a fresh database (a temporary SQLite file; a throwaway schema of ``--pg`` or
MONITOR_TEST_PG_URL) with generated articles: a fifth flagged, each with a topic and a
jurisdiction, titles and texts from a mixed English and German vocabulary. Then it asks the app
in-process (Starlette's TestClient, a logged-in analyst) for the first page of the list, of a
facet filter (topic and jurisdiction), of a search for a word in about 2 % of the articles, of a
search with a facet, of a search for a word in nearly every article ("data", with and without a
facet), and of one item, ``--requests`` times each, and reports the median and 95th
percentile in milliseconds (target: p95 under 100 ms for a facet page and a search);
``cli_search_common`` is ``monitor search data``'s query (snippets included) in-process.
Before that, ``web_startup_s``: wall seconds from exec of ``monitor serve`` to its first 200 on
/healthz (median of ``--startup-runs``), with ``python -c pass`` timed in the same run as the
baseline (``web_startup_vs_python``; target: under one second).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import ROOT, report

BATCH = 2000
TOPICS = ["cross_border_transfers", "data_localization", "data_sovereignty", "platform_regulation", "ai_regulation"]
COUNTRIES = ["DE", "FR", "GB", "US", "CN", "EU", "NL", "IT", "ES", "IN"]
SOURCES = [f"s{i:02d}" for i in range(40)]
WORDS = (
    "data protection authority transfer personal cloud provider government ministry court ruling law bill "
    "regulation platform online safety market competition digital sovereignty privacy security report "
    "Datenschutz Aufsicht Übermittlung Behörde Gericht Urteil Gesetz Verordnung Regierung Plattform Anbieter "
    "public sector health records servers storage encryption keys contract clauses adequacy decision"
).split()
RARE = "schremsian"  # put into about 2 % of the texts: the searched word
COMMON = "data"  # one of WORDS: in nearly every text


def _text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.02:
        chosen[rng.randrange(words)] = RARE
    return " ".join(chosen).capitalize() + "."


def fill(url: str, count: int, seed: int = 7) -> None:
    from sqlalchemy import insert, select

    from monitor.storage.database import open_database
    from monitor.storage.models import Article, ArticleCountry, SourceRow, TopicMatch
    from monitor.storage.users import add_user

    database = open_database(url)
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with database.sessions.begin() as session:
        session.execute(
            insert(SourceRow),
            [
                {"id": s, "name": f"Source {s}", "kind": "press", "jurisdiction": "DE", "language": "en"}
                for s in SOURCES
            ],
        )
        add_user(session, "bench", "bench password", "analyst")
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        rows, topics, countries = [], [], []
        for i in range(made, made + size):
            when = start + timedelta(minutes=5 * i)
            flagged = rng.random() < 0.2
            rows.append(
                {
                    "id": i + 1,
                    "canonical_url": f"https://news{i % 40}.example/{i}",
                    "url": f"https://news{i % 40}.example/{i}",
                    "source_id": SOURCES[i % 40],
                    "title": _text(rng, 9),
                    "text": _text(rng, 220),
                    "summary": "",
                    "published_at": when,
                    "fetched_at": when,
                    "language": "de" if i % 3 == 0 else "en",
                    "flagged": flagged,
                    "flagged_at": when if flagged else None,
                    "reason": "",
                }
            )
            if flagged:
                topic = TOPICS[i % len(TOPICS)]
                evidence = [{"rule": f"{topic}:en:0", "term": "data", "field": "text", "start": 0, "end": 4}]
                topics.append(
                    {
                        "article_id": i + 1,
                        "topic": topic,
                        "score": rng.random(),
                        "terms": ["data"],
                        "evidence": evidence,
                    }
                )
                countries.append(
                    {"article_id": i + 1, "code": COUNTRIES[i % 10], "rank": 0, "mentions": 1, "focus": True}
                )
        with database.engine.begin() as connection:
            connection.execute(insert(Article), rows)
            if topics:
                connection.execute(insert(TopicMatch), topics)
                connection.execute(insert(ArticleCountry), countries)
        made += size
    with database.sessions() as session:
        assert session.scalar(select(Article.id).order_by(Article.id.desc()).limit(1)) == count
    if database.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load. SQLite is left as news-monitor leaves it (no
        # ANALYZE): its statistics count the NULLs of duplicate_of and turn copy lookups into scans.
        with database.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    database.close()


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    from urllib.parse import quote

    from sqlalchemy import text
    from sqlalchemy.pool import NullPool

    from monitor.storage.engine import make_engine

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def measure(url: str, requests: int) -> dict[str, tuple[float, float]]:
    import re

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from starlette.testclient import TestClient

    from monitor.config import load_config
    from monitor.web.app import create_app
    from monitor.web.settings import WebSettings

    app = create_app(WebSettings(load_config(ROOT / "config", url)))
    pages = {
        "list": "/items",
        "facet": "/items?topic=cross_border_transfers&country=DE",
        "search": f"/items?q={RARE}",
        "search_facet": f"/items?q={RARE}&topic=data_localization",
        "search_common": f"/items?q={COMMON}",  # in nearly every text: ranking, not matching, costs
        "search_common_facet": f"/items?q={COMMON}&topic=cross_border_transfers&country=DE",
        "item": "/items/5",
    }
    timings: dict[str, tuple[float, float]] = {}
    with TestClient(app) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"csrf": token, "username": "bench", "password": "bench password"})
        for name, path in pages.items():
            assert client.get(path).status_code == 200, path  # warm: caches, the matcher for the item page
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            times.sort()
            timings[name] = (statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)])
    app.state.web.close()
    timings["cli_search_common"] = _cli_search(url, requests)
    return timings


def _cli_search(url: str, requests: int) -> tuple[float, float]:
    """``monitor search data``'s query (storage level, with snippets), in-process."""
    from monitor.storage.database import open_database
    from monitor.storage.search import search

    database = open_database(url)
    times = []
    for _ in range(requests + 1):
        with database.sessions() as session:
            started = time.perf_counter()
            assert len(list(search(session, COMMON, limit=20))) == 20
            times.append((time.perf_counter() - started) * 1000)
    database.close()
    times = sorted(times[1:])
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def startup(url: str, runs: int) -> dict[str, object]:
    """Seconds from exec of ``monitor serve`` to its first 200 on /healthz, and ``python -c pass``'s."""
    import socket
    import subprocess
    import urllib.request

    def free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    def until_healthy() -> float:
        port = free_port()
        command = [sys.executable, "-m", "monitor", "--config", str(ROOT / "config"), "--db", url]
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and package
            [*command, "serve", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"monitor serve exited {process.returncode}: {process.stderr.read()[-500:]!r}")  # type: ignore[union-attr]
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:  # noqa: S310
                        if answer.status == 200:
                            return time.perf_counter() - started
                except OSError:
                    time.sleep(0.005)  # not listening yet: the figure is the first success
        finally:
            process.terminate()
            process.wait(timeout=30)

    def python_pass() -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)  # noqa: S603
        return time.perf_counter() - started

    until_healthy()  # a first run compiles changed modules to .pyc: not start-up
    served = sorted(until_healthy() for _ in range(runs))
    baseline = statistics.median(python_pass() for _ in range(runs))
    median = statistics.median(served)
    print(f"monitor serve to first /healthz 200: {' '.join(f'{t:.3f}' for t in served)} s", file=sys.stderr)
    return {
        "web_startup_s": round(median, 3),
        "web_startup_python_s": round(baseline, 3),
        "web_startup_vs_python": round(median / baseline, 1),
        "web_startup_runs": [round(t, 3) for t in served],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--pg", default=os.environ.get("MONITOR_TEST_PG_URL"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--startup-runs", type=int, default=5)
    args = parser.parse_args(argv)
    figures: dict[str, object] = {"web_articles": args.articles}
    with tempfile.TemporaryDirectory() as work:
        empty = f"sqlite:///{work}/startup.db"
        fill(empty, 10)
        figures.update(startup(empty, args.startup_runs))
        backends = [("sqlite", f"sqlite:///{work}/web.db")]
        for name, url in backends:
            started = time.perf_counter()
            fill(url, args.articles)
            print(f"{name}: filled {args.articles} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            for page, (p50, p95) in measure(url, args.requests).items():
                figures[f"web_{name}_{page}_p50_ms"] = round(p50, 1)
                figures[f"web_{name}_{page}_p95_ms"] = round(p95, 1)
    if args.pg:
        with pg_schema(args.pg) as url:
            started = time.perf_counter()
            fill(url, args.articles)
            print(
                f"postgresql: filled {args.articles} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr
            )
            for page, (p50, p95) in measure(url, args.requests).items():
                figures[f"web_postgresql_{page}_p50_ms"] = round(p50, 1)
                figures[f"web_postgresql_{page}_p95_ms"] = round(p95, 1)
    else:
        print("postgresql: skipped (set --pg or MONITOR_TEST_PG_URL)", file=sys.stderr)
    return report(figures, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
