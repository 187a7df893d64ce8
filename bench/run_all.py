"""``make bench``: every benchmark in bench/, one after the other, then one table.

    python bench/run_all.py [--quick]

Each benchmark is its own process (a Scrapy crawl cannot share a reactor; news-please has its
own venv) and merges its figures into bench/results.json. Benchmarks print figures and never
fail on a target: the table marks each figure against the issue's target, and the exit code is
non-zero only when a benchmark could not run. ``--quick`` runs smaller sizes (no 10,000-page
crawl, fewer rounds), for trying changes; the committed results.json comes from a full run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime

from common import BENCH, RESULTS, WORK

# (figure, comparison, target): the "done when" figures.
TARGETS = [
    ("pipeline_vs_trafilatura", "<=", 1.3),
    ("newsplease_speedup", ">=", 6),
    ("e2e_pages_per_s", ">=", 70),
    ("e2e_efficiency", ">=", 0.45),
    ("rerun_ratio", "<=", 0.05),
    ("peak_rss_mb", "<=", 300),
    ("peak_rss_growth", "<=", 0.20),
    ("matcher_mb_per_s", ">=", 20),
    ("matcher_vs_regex", ">=", 20),
    ("matcher_real_mb_per_s", ">=", 20),
    ("match_startup_s", "<=", 0.5),
    ("web_startup_s", "<=", 1.0),
    ("web_sqlite_search_common_p95_ms", "<=", 100),
    ("web_postgresql_search_common_p95_ms", "<=", 100),
    ("web_sqlite_facet_p95_ms", "<=", 100),
    ("web_postgresql_facet_p95_ms", "<=", 100),
]


def cluster_benchmark(quick: bool, json_arg: list[str]) -> list[list[str]]:
    """bench_cluster.py, when its PostgreSQL and redis-server are there; else skipped, saying why."""
    missing = [
        name
        for name, found in (
            ("MONITOR_TEST_PG_URL", os.environ.get("MONITOR_TEST_PG_URL")),
            ("redis-server", shutil.which("redis-server")),
        )
        if not found
    ]
    if missing:
        print(f"bench_cluster.py skipped: no {' and no '.join(missing)} (cluster figures not measured)")
        return []
    return [["bench_cluster.py", *(["--quick"] if quick else []), *json_arg]]


def benchmarks(quick: bool) -> list[list[str]]:
    json_arg = ["--json", str(RESULTS)]
    return [
        ["bench_matcher.py", *json_arg],
        ["bench_startup.py", *json_arg],
        ["bench_pipeline.py", "--rounds", "3" if quick else "5", *json_arg],
        ["bench_newsplease.py", "--rounds", "1" if quick else "2", *json_arg],
        ["bench_e2e.py", *(["--pages", "2000", "--big-pages", "0"] if quick else []), *json_arg],
        ["bench_web.py", *(["--articles", "20000", "--requests", "20"] if quick else []), *json_arg],
        ["bench_memory.py", *(["--quick"] if quick else []), *json_arg],
        *cluster_benchmark(quick, json_arg),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    # A fresh file: figures from an older run must not pass for this one's.
    RESULTS.write_text("{}\n", encoding="utf-8")
    failed = []
    started = time.perf_counter()
    for command in benchmarks(args.quick):
        print(f"\n=== {command[0]} ===", flush=True)
        code = subprocess.run([sys.executable, str(BENCH / command[0]), *command[1:]], cwd=BENCH.parent).returncode
        if code != 0:
            failed.append(command[0])
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    data["bench_meta"] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "quick": args.quick,
        "minutes": round((time.perf_counter() - started) / 60, 1),
        "command": "make bench",
    }
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\n{'figure':<26} {'value':>10}  target")
    for key, op, target in TARGETS:
        value = data.get(key)
        if value is None:
            print(f"{key:<26} {'-':>10}  {op} {target}  (not measured)")
            continue
        met = value <= target if op == "<=" else value >= target
        print(f"{key:<26} {value:>10}  {op} {target}  {'met' if met else 'MISSED'}")
    print(f"\nall figures: {RESULTS.relative_to(BENCH.parent)}")
    if failed:
        print(f"benchmarks that did not run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
