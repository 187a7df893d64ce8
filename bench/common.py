"""Shared helpers of the benchmarks: the AEB corpus, best-of timing, results.json merging.

Benchmarks read /work/shared/corpus/aeb (or ``MONITOR_BENCH_CORPUS``); the package never does.
Every figure is a ratio against a baseline timed in the same run, because the machine is shared
and absolute seconds move by tens of percent from one minute to the next.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "work"
RESULTS = BENCH / "results.json"
CORPUS = Path(os.environ.get("MONITOR_BENCH_CORPUS", str(ROOT.parent / "shared" / "corpus" / "aeb")))

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def corpus_pages(corpus: Path = CORPUS) -> list[tuple[str, bytes]]:
    """(name, HTML bytes) of every page of the corpus, sorted by name."""
    pages = []
    for path in sorted((corpus / "html").glob("*.html.gz")):
        pages.append((path.name.removesuffix(".html.gz"), gzip.decompress(path.read_bytes())))
    if not pages:
        raise SystemExit(f"no pages under {corpus / 'html'}; set MONITOR_BENCH_CORPUS")
    return pages


def best_of(fn: Callable[[], object], rounds: int) -> tuple[float, list[float]]:
    """Best and all wall times of ``rounds`` calls: the best is the least disturbed by neighbours."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), times


def report(figures: dict[str, object], json_path: Path | None) -> int:
    """Print ``key = value`` lines (what run_all.py reads) and merge them into ``json_path``."""
    for key, value in figures.items():
        print(f"{key} = {value}")
    if json_path:
        merge_results(figures, json_path)
    return 0


def merge_results(figures: dict[str, object], path: Path = RESULTS) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.update(figures)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
