"""Memory of a cluster worker's crawl tree: peak PSS at two crawl sizes, and the near-duplicate index.

    python bench/bench_memory.py [--quick] [--pages N] [--big-pages N] [--json FILE]

Issue 15, point 7: a worker's crawl tree (``monitor run --job`` and its extraction process,
``cluster.extract_workers: 1``) must stay under 350 MB for a 10,000-page crawl and grow less than
10 % from 2,000 to 10,000 pages. ``monitor run --job`` and ``monitor crawl`` build the same tree
(``monitor.runner.run_crawl``); this bench runs ``monitor crawl`` over ``bench_e2e.py``'s generated
loopback site (no database server, no broker needed) with one extraction worker, as the cluster
default sets it, and samples ``/proc/PID/smaps_rollup`` of every process of the tree every 0.2 s.
PSS counts the pages that a worker shares with its forkserver once, so the sum is what the machine
spends on the crawl.

Figures (``memory_`` prefix in results.json): ``tree_peak_mb`` and ``tree_peak_mb_big`` (peak of
the sum), ``growth`` (big over small, minus one), each role's own peak at the big size (crawl
process, forkserver, extraction worker, others: the feed worker and the resource tracker; the
peaks of the parts need not fall at the same moment), ``index_kb_per_article`` (the near-duplicate
index's traced allocations per article, keys included, at 10,000 articles), and
``similarity_import_mb`` (RSS a fresh interpreter gains importing ``monitor.dedupe.similarity``).
``--quick`` crawls 300 and 1,500 pages, for trying changes. The database is created at the head
revision before each crawl, as a worker finds it (``--new-database``: the crawl creates it).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

from bench_e2e import _pss_kb, _tree, build_site, serve
from common import BENCH, ROOT, WORK, report

# The cluster's extraction worker count, set the way monitor/cluster/crawl.py passes it (a Scrapy
# override); ``monitor crawl`` has no option for it, so the child sets the default before the CLI.
LAUNCH = (
    "import sys; from monitor.settings_defaults import DEFAULTS; "
    "DEFAULTS['MONITOR_EXTRACT_WORKERS'] = int(sys.argv.pop(1)); "
    "from monitor.cli import main; sys.argv[0] = 'monitor'; main()"
)
INDEX_ARTICLES = 10_000
# A cluster worker's crawl meets a database that is already at the head revision (the dispatcher
# and earlier jobs made it) and checks that in plain SQL; only a new database makes the crawl
# import Alembic (and Mako, about 10 MB) to create the schema. The bench creates the schema first,
# in its own process, so that the measured crawl is the one a worker runs (``--new-database``
# measures the first crawl into an empty file instead).
CREATE_SCHEMA = "import sys; from monitor.storage.database import open_database; open_database(sys.argv[1]).close()"


@dataclass
class TreeRun:
    pages: int
    stored: int
    seconds: float
    peak_tree_kb: int = 0
    peak_kb: dict[str, int] = field(default_factory=dict)  # role -> its own peak


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _roles(pids: list[int], root: int) -> dict[int, str]:
    """crawl (the reactor), forkserver, worker (forked by it: its command line is the forkserver's), other."""
    roles = {root: "crawl"}
    servers = set()
    for pid in pids:
        if pid != root and _parent(pid) == root and b"forkserver" in _cmdline(pid):
            roles[pid] = "forkserver"
            servers.add(pid)
    for pid in pids:
        if pid not in roles:
            roles[pid] = "worker" if _parent(pid) in servers else "other"  # feed worker, resource tracker
    return roles


def crawl_tree(pages: int, workers: int, tag: str, new_database: bool = False) -> TreeRun:
    site = build_site(pages)
    db = WORK / f"memory-{tag}.db"
    for leftover in WORK.glob(f"memory-{tag}.db*"):
        leftover.unlink()
    if not new_database:
        subprocess.run([sys.executable, "-c", CREATE_SCHEMA, f"sqlite:///{db}"], cwd=ROOT, check=True)
    log = WORK / f"memory-{tag}.log"
    with serve(site) as server:
        command = [
            sys.executable, "-c", LAUNCH, str(workers),
            "--config", str(BENCH / "config"), "--db", f"sqlite:///{db}", "--allow-private",
            "crawl", server.url("/"), "--max-pages", str(pages + len(site.pages)), "--depth", "3",
            "--time-limit", "3600",
        ]  # fmt: skip
        t0 = time.perf_counter()
        with open(log, "w", encoding="utf-8") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
            run = TreeRun(pages, 0, 0.0)
            while process.poll() is None:
                sizes: dict[str, int] = {}
                total = 0
                pids = _tree(process.pid)
                for pid, role in _roles(pids, process.pid).items():
                    kb = _pss_kb(pid)
                    total += kb
                    sizes[role] = max(sizes.get(role, 0), kb)  # the biggest process of a role
                run.peak_tree_kb = max(run.peak_tree_kb, total)
                for role, kb in sizes.items():
                    run.peak_kb[role] = max(run.peak_kb.get(role, 0), kb)
                time.sleep(0.2)
        run.seconds = time.perf_counter() - t0
    output = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode not in (0, 3):
        raise SystemExit(f"crawl failed with exit code {process.returncode}; see {log}\n{output[-2000:]}")
    match = re.search(r"(\d+) articles stored", output)
    run.stored = int(match.group(1)) if match else 0
    for leftover in WORK.glob(f"memory-{tag}.db*"):
        leftover.unlink()
    return run


def index_bytes_per_article(articles: int) -> float:
    """Traced allocations of a NearDuplicateIndex holding ``articles`` distinct signatures, per
    article; the keys are made inside the traced section, as a load from the database makes them."""
    import numpy as np

    from monitor.dedupe.similarity import NUM_PERM, NearDuplicateIndex, from_fingerprint

    rng = np.random.default_rng(0)
    raws = [row.tobytes() for row in rng.integers(0, 2**32, (articles, NUM_PERM), dtype=np.uint32).astype("<u4")]
    added = articles // 10  # a crawl adds to the loaded index as it goes
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = NearDuplicateIndex()
    site = "https://www.example-{}.eu/news/2026/12/{:06d}-a-headline-of-usual-length.html"
    index.load((site.format(n % 97, n), None, raw) for n, raw in enumerate(raws[added:]))
    for n, raw in enumerate(raws[:added]):
        index.add(f"https://www.example.eu/news/{n:06d}-added-by-the-crawl.html", from_fingerprint(raw))
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(index) == articles  # noqa: S101 - the figure would be meaningless otherwise
    return held / articles


def import_mb(module: str) -> float:
    """RSS a fresh interpreter gains importing ``module`` (numpy imported first: both sides need it)."""
    code = (
        "import numpy, resource, sys\n"
        "def rss():\n"
        "    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0])\n"
        f"before = rss(); import {module}; print(rss() - before, 'scipy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    kb, _scipy = done.stdout.split()
    return int(kb) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="300 and 1,500 pages")
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--big-pages", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=1, help="extraction workers (cluster default 1)")
    ap.add_argument("--new-database", action="store_true", help="the crawl creates the schema")
    ap.add_argument("--json", type=Path, help="merge the figures into this JSON file")
    args = ap.parse_args(argv)
    if args.quick:
        args.pages, args.big_pages = 300, 1500
    WORK.mkdir(parents=True, exist_ok=True)

    per_article = index_bytes_per_article(INDEX_ARTICLES)
    similarity_mb = import_mb("monitor.dedupe.similarity")
    print(f"near-duplicate index: {per_article / 1024:.2f} KB an article at {INDEX_ARTICLES} articles")
    print(f"import monitor.dedupe.similarity: +{similarity_mb:.1f} MB RSS (after numpy)")
    load = os.getloadavg()[0]
    small = crawl_tree(args.pages, args.workers, "small", args.new_database)
    big = crawl_tree(args.big_pages, args.workers, "big", args.new_database)
    load = max(load, os.getloadavg()[0])
    growth = big.peak_tree_kb / small.peak_tree_kb - 1
    for run in (small, big):
        parts = ", ".join(f"{role} {kb / 1024:.0f}" for role, kb in sorted(run.peak_kb.items()))
        print(
            f"{run.pages} pages: {run.stored} stored in {run.seconds:.0f} s; tree peak "
            f"{run.peak_tree_kb / 1024:.0f} MB PSS (own peaks, MB: {parts})"
        )
    print(f"growth {args.pages} -> {args.big_pages} pages: {growth:+.1%}; load average up to {load:.2f}")
    figures: dict[str, object] = {
        "memory_workers": args.workers,
        "memory_pages": args.pages,
        "memory_big_pages": args.big_pages,
        "memory_stored": small.stored,
        "memory_big_stored": big.stored,
        "memory_tree_peak_mb": round(small.peak_tree_kb / 1024, 1),
        "memory_tree_peak_mb_big": round(big.peak_tree_kb / 1024, 1),
        "memory_growth": round(growth, 3),
        **{f"memory_{role}_peak_mb_big": round(kb / 1024, 1) for role, kb in sorted(big.peak_kb.items())},
        "memory_index_kb_per_article": round(per_article / 1024, 3),
        "memory_similarity_import_mb": round(similarity_mb, 1),
        "memory_load_average": round(load, 2),
        "memory_quick": args.quick,
        "memory_new_database": args.new_database,
    }
    return report(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
