"""End to end: ``monitor crawl`` over a generated local news site, into SQLite.

    python bench/bench_e2e.py [--pages N] [--big-pages N] [--json FILE]

The site is built from the AEB pages (each copy gets its own URL, headline suffix and article
metadata, so it passes as a distinct article): a front page that announces an RSS feed, listing
pages of 50 links, the articles, robots.txt. The tests' route server
(``tests/mockserver/routes.py``) serves it from memory in this process on 127.0.0.1, port 0.
The crawl runs as a child process, as users run it, with the bench's own config (bench/config:
no delay, no AutoThrottle, 16 connections) and ``--allow-private``.

Figures: ``e2e_pages_per_s`` (articles stored / wall time of the whole command, start-up
included), ``e2e_efficiency`` (that divided by cores x bare trafilatura pages per second on one
core, measured here in the same run), ``peak_rss_mb`` (the crawl's whole process tree, main
process, forkserver and extraction workers: peak of the sum of their PSS, sampled from /proc every
0.2 s; PSS counts pages that the workers share with the forkserver once, where a sum of RSS would
count them per process; both that sum and the main process's own RSS are reported too),
``rerun_ratio`` (a second, unchanged crawl's wall time over the first's), and the same peak for a
``--big-pages`` crawl, to show memory is flat.
"""

from __future__ import annotations

import argparse
import html as html_lib
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from common import BENCH, ROOT, WORK, corpus_pages, report

from tests.mockserver.routes import Reply, RouteServer  # importable: common puts the root on sys.path

LINKS_PER_LISTING = 50
FEED_ITEMS = 50
HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)
TITLE = re.compile(rb"(<title[^>]*>)(.*?)(</title>)", re.IGNORECASE | re.DOTALL)
# Article metadata already in a page would contradict ours (another date, another canonical URL).
STRIP_META = re.compile(
    rb"<meta[^>]+(?:og:type|article:published_time|og:url)[^>]*>|<link[^>]+rel=[\"']?canonical[^>]*>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Site:
    pages: dict[str, tuple[bytes, str]]  # path -> (body, content type)
    articles: int


def build_site(count: int) -> Site:
    """``count`` article pages cycled from the corpus, listings, a feed, robots.txt."""
    corpus = corpus_pages()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    pages: dict[str, tuple[bytes, str]] = {}
    entries: list[tuple[str, str, datetime]] = []
    for number in range(count):
        name, body = corpus[number % len(corpus)]
        path = f"/news/{number:06d}-{name[:12]}.html"
        published = start + timedelta(minutes=17 * number)
        suffix = f" ({number})".encode()
        body = STRIP_META.sub(b"", body)
        body = TITLE.sub(lambda m, s=suffix: m.group(1) + m.group(2) + s + m.group(3), body, count=1)
        meta = (
            b'<meta property="og:type" content="article">'
            + f'<meta property="article:published_time" content="{published.isoformat()}">'.encode()
        )
        head = HEAD.search(body)
        body = body[: head.end()] + meta + body[head.end() :] if head else meta + body
        pages[path] = (body, "text/html; charset=utf-8")
        entries.append((path, f"Story {number}", published))
    listings = [entries[i : i + LINKS_PER_LISTING] for i in range(0, len(entries), LINKS_PER_LISTING)]
    for index, chunk in enumerate(listings, start=1):
        links = "".join(f'<li><a href="{p}">{html_lib.escape(t)}</a></li>' for p, t, _ in chunk)
        nav = f'<a href="/list/{index + 1}.html">Older</a>' if index < len(listings) else ""
        pages[f"/list/{index}.html"] = (
            f"<!DOCTYPE html><html lang=en><head><title>News, page {index}</title></head>"
            f"<body><h1>News</h1><ul>{links}</ul>{nav}</body></html>".encode(),
            "text/html; charset=utf-8",
        )
    sections = "".join(f'<li><a href="/list/{i}.html">Page {i}</a></li>' for i in range(1, len(listings) + 1))
    pages["/"] = (
        "<!DOCTYPE html><html lang=en><head><title>Bench News</title>"
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        f"<body><h1>Bench News</h1><ul>{sections}</ul></body></html>".encode(),
        "text/html; charset=utf-8",
    )
    items = "".join(
        f"<item><title>{html_lib.escape(t)}</title><link>http://HOST{p}</link>"
        f"<pubDate>{format_datetime(d)}</pubDate></item>"
        for p, t, d in sorted(entries, key=lambda e: e[2], reverse=True)[:FEED_ITEMS]
    )
    pages["/feed.xml"] = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench News</title>'
        f"<link>http://HOST/</link><description>bench</description>{items}</channel></rss>".encode(),
        "application/rss+xml",
    )
    pages["/robots.txt"] = (b"User-agent: *\nAllow: /\n", "text/plain")
    return Site(pages, count)


def serve(site: Site) -> RouteServer:
    """The generated site from memory on 127.0.0.1, through the tests' route server (keep-alive)."""
    server = RouteServer("bench")
    base = server.url("").encode()
    for path, (body, kind) in site.pages.items():
        body = body.replace(b"http://HOST", base) if kind == "application/rss+xml" else body
        server.routes[path] = lambda handler, reply=Reply(200, body, content_type=kind): reply
    return server


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _proc_kb(path: str, key: str) -> int:
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return _proc_kb(f"/proc/{pid}/status", "VmRSS:")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared by the forkserver's children count once in the sum."""
    return _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:")


@dataclass
class CrawlRun:
    seconds: float
    stored: int
    peak_tree_pss_mb: float  # the machine's memory spent on the crawl: main + forkserver + workers
    peak_tree_rss_mb: float  # the same as a sum of RSS, which counts shared pages once per process
    peak_main_rss_mb: float  # the crawl (reactor) process alone
    cpu_s: float  # CPU seconds of the whole tree (last sample of each process)
    main_cpu_s: float
    output: str


def crawl(url: str, db: Path, max_pages: int, log: Path) -> CrawlRun:
    command = [
        str(ROOT / ".venv" / "bin" / "monitor") if (ROOT / ".venv" / "bin" / "monitor").exists() else "monitor",
        "--config", str(BENCH / "config"), "--db", f"sqlite:///{db}", "--allow-private",
        "crawl", url, "--max-pages", str(max_pages), "--depth", "3", "--time-limit", "1800",
    ]  # fmt: skip
    peak_pss = peak_tree = peak_main = 0
    cpu: dict[int, float] = {}
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        while process.poll() is None:
            pids = _tree(process.pid)
            peak_pss = max(peak_pss, sum(_pss_kb(pid) for pid in pids))
            peak_tree = max(peak_tree, sum(_rss_kb(pid) for pid in pids))
            peak_main = max(peak_main, _rss_kb(process.pid))
            for pid in pids:  # max: an exited worker's zombie entry reads 0
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_s(pid))
            time.sleep(0.2)
    seconds = time.perf_counter() - t0
    output = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode not in (0, 3):
        raise SystemExit(f"crawl failed with exit code {process.returncode}; see {log}\n{output[-2000:]}")
    match = re.search(r"(\d+) articles stored", output)
    stored = int(match.group(1)) if match else 0
    return CrawlRun(
        seconds, stored, peak_pss / 1024, peak_tree / 1024, peak_main / 1024, sum(cpu.values()),
        cpu.get(process.pid, 0.0), output,
    )  # fmt: skip


def trafilatura_pages_per_s(rounds: int) -> tuple[float, float]:
    """Bare trafilatura on one core: pages per wall second and per CPU second, best of ``rounds``."""
    import trafilatura

    pages = [body for _name, body in corpus_pages()]

    def run() -> None:
        for body in pages:
            trafilatura.extract(body, include_comments=False)

    run()
    wall = cpu = float("inf")
    for _ in range(rounds):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - w0)
    return len(pages) / wall, len(pages) / cpu


def site_crawl(count: int, tag: str, *, rerun: bool) -> tuple[CrawlRun, CrawlRun | None]:
    site = build_site(count)
    db = WORK / f"e2e-{tag}.db"
    for leftover in WORK.glob(f"e2e-{tag}.db*"):
        leftover.unlink()
    # Listings, front page, feed and robots.txt count against --max-pages too.
    budget = count + len(site.pages)
    with serve(site) as server:
        first = crawl(server.url("/"), db, budget, WORK / f"e2e-{tag}-1.log")
        second = crawl(server.url("/"), db, budget, WORK / f"e2e-{tag}-2.log") if rerun else None
    return first, second


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--big-pages", type=int, default=10000, help="0 skips the flat-memory crawl")
    ap.add_argument("--json", type=Path, help="merge the figures into this JSON file")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1

    bare, bare_cpu = trafilatura_pages_per_s(3)
    first, second = site_crawl(args.pages, "small", rerun=True)
    assert second is not None
    pages_per_s = first.stored / first.seconds
    figures: dict[str, object] = {
        "e2e_pages": args.pages,
        "e2e_stored": first.stored,
        "e2e_seconds": round(first.seconds, 2),
        "e2e_pages_per_s": round(pages_per_s, 1),
        "e2e_bare_trafilatura_pages_per_s_1core": round(bare, 1),
        "e2e_cores": cores,
        "e2e_efficiency": round(pages_per_s / (cores * bare), 3),
        "peak_rss_mb": round(first.peak_tree_pss_mb, 1),
        "peak_tree_rss_sum_mb": round(first.peak_tree_rss_mb, 1),
        "peak_main_rss_mb": round(first.peak_main_rss_mb, 1),
        # Load-independent view: CPU the whole crawl tree spent per stored article, against bare
        # trafilatura's CPU per page. On a machine shared with other jobs the crawl's three busy
        # processes get less than two cores, and wall-clock figures understate it.
        "e2e_cpu_ms_per_page": round(first.cpu_s / max(first.stored, 1) * 1000, 2),
        "e2e_main_cpu_ms_per_page": round(first.main_cpu_s / max(first.stored, 1) * 1000, 2),
        "e2e_bare_trafilatura_cpu_ms_per_page": round(1000 / bare_cpu, 2),
        "e2e_cpu_efficiency": round((1000 / bare_cpu) / (first.cpu_s / max(first.stored, 1) * 1000), 3),
        "e2e_cores_used": round(first.cpu_s / first.seconds, 2),
        "rerun_seconds": round(second.seconds, 2),
        "rerun_ratio": round(second.seconds / first.seconds, 4),
    }
    print(
        f"site of {args.pages} articles: {first.stored} stored in {first.seconds:.1f} s "
        f"= {pages_per_s:.1f} pages/s; bare trafilatura {bare:.1f} pages/s/core x {cores} cores"
    )
    print(
        f"  peak memory {first.peak_tree_pss_mb:.0f} MB (PSS of the crawl's process tree; RSS sum "
        f"{first.peak_tree_rss_mb:.0f} MB), main process RSS {first.peak_main_rss_mb:.0f} MB"
    )
    print(f"  unchanged rerun: {second.seconds:.2f} s, {second.stored} stored")
    if args.big_pages:
        big, _ = site_crawl(args.big_pages, "big", rerun=False)
        figures.update(
            {
                "e2e_big_pages": args.big_pages,
                "e2e_big_stored": big.stored,
                "e2e_big_pages_per_s": round(big.stored / big.seconds, 1),
                "peak_rss_mb_big": round(big.peak_tree_pss_mb, 1),
                "peak_main_rss_mb_big": round(big.peak_main_rss_mb, 1),
                "peak_rss_growth": round(big.peak_tree_pss_mb / first.peak_tree_pss_mb - 1, 3),
            }
        )
        print(
            f"site of {args.big_pages} articles: {big.stored} stored in {big.seconds:.1f} s; "
            f"peak memory {big.peak_tree_pss_mb:.0f} MB ({figures['peak_rss_growth']:+.0%} over {args.pages})"
        )
        for leftover in WORK.glob("e2e-big.db*"):
            leftover.unlink()
    return report(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
