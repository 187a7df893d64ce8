"""Cluster mode: dispatch latency, cost per source against batch size, throughput against workers.

    python bench/bench_cluster.py [--quick] [--json FILE]

Needs PostgreSQL (``MONITOR_TEST_PG_URL``, as the tests) and Debian's ``redis-server``. Each
scenario gets a fresh schema, a fresh redis-server and the tests' fixture world
(``tests/cluster/world.py``: sources on their own loopback hosts, articles answered after a
delay), then one ``monitor dispatch`` and W ``monitor worker -c 1`` processes, and is timed from
the first job written to the last job finished, as the ``jobs`` table records them.

Figures (``cluster_`` prefix in results.json):

* ``dispatch_to_start_s`` (median) / ``_max_s``: from a job's message sent to an idle worker
  starting it (the broker, Celery and the task's bookkeeping; not the crawl).
* ``batch{N}_job_s_per_source``: worker seconds per source with ``batch_size`` N, one worker,
  an unchanged re-poll (the fixed cost of a crawl process is what batching spreads).
* ``workers{W}_wall_s``: a full first crawl of the world by W workers, latency-bound sites;
  ``single_process_wall_s``: one ``monitor run`` over the same world (its one process already
  crawls every host at once: on one machine, more workers buy availability, not speed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from common import ROOT, report
from sqlalchemy import text

from tests.cluster.processes import Cluster, redis_server, write_cluster_config  # common puts the root on sys.path
from tests.cluster.world import World
from tests.helpers.cli import wait_until


def _schema(base: str) -> tuple[str, Any]:
    from sqlalchemy.pool import NullPool

    from monitor.storage.engine import make_engine

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}", (admin, schema)


def _drop(handle: Any) -> None:
    admin, schema = handle
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _cluster_run(
    base_url: str, *, sources: int, hosts: int, delay: float, workers: int, batch: int, rounds: int = 1
) -> list[list[tuple[Any, ...]]]:
    """Crawl the world ``rounds`` times (a re-poll re-dispatches every source); the jobs of each round."""
    url, handle = _schema(base_url)
    per_round: list[list[tuple[Any, ...]]] = []
    with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp)) as broker:
        world = World(sources=sources, hosts=hosts, articles=4, delay=delay).start()
        try:
            config = write_cluster_config(Path(tmp) / "config", world.source_configs(), batch_size=batch)
            cluster = Cluster(config, url, broker)
            try:
                for index in range(workers):
                    cluster.worker(f"w{index}")
                ids = [source.id for source in world.sources]
                for round_index in range(rounds):
                    if round_index:  # due again: the sources' last jobs no longer count
                        with cluster.engine.begin() as connection:
                            connection.execute(text("UPDATE jobs SET state = 'lost' WHERE state = 'done'"))
                    seen = len(cluster.jobs())
                    if round_index == 0:
                        cluster.dispatcher("d1")
                    wait_until(
                        lambda seen=seen: cluster.settled(ids) and len(cluster.jobs()) > seen,
                        timeout=900,
                        what="a round",
                    )
                    per_round.append(
                        cluster.query(
                            "SELECT id, created_at, published_at, started_at, finished_at, sources FROM jobs "
                            "WHERE id > :seen ORDER BY id",
                            seen=0 if round_index == 0 else max(row[0] for row in per_round[-1]),
                        )
                    )
            finally:
                cluster.close(hit.crawl for hit in world.hits())
        finally:
            world.stop()
    _drop(handle)
    return per_round


def _single_process(base_url: str, *, sources: int, hosts: int, delay: float) -> float:
    url, handle = _schema(base_url)
    with tempfile.TemporaryDirectory() as tmp:
        world = World(sources=sources, hosts=hosts, articles=4, delay=delay).start()
        try:
            config = write_cluster_config(Path(tmp) / "config", world.source_configs())
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "monitor", "--config", str(config), "--db", url, "--allow-private", "-q", "run"],
                cwd=ROOT,
                check=True,
                timeout=900,
            )
            wall = time.perf_counter() - started
        finally:
            world.stop()
    _drop(handle)
    return wall


def _span(jobs: list[tuple[Any, ...]]) -> float:
    return (max(row[4] for row in jobs) - min(row[1] for row in jobs)).total_seconds()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller worlds, fewer scenarios")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    base = os.environ.get("MONITOR_TEST_PG_URL")
    if not base:
        print("bench_cluster: set MONITOR_TEST_PG_URL to a throwaway PostgreSQL database", file=sys.stderr)
        return 1
    sources, hosts = (12, 12) if args.quick else (24, 24)
    figures: dict[str, object] = {}

    latencies: list[float] = []
    for batch in (1, 4) if args.quick else (1, 4, 24):
        first, rerun = _cluster_run(base, sources=sources, hosts=hosts, delay=0.0, workers=1, batch=batch, rounds=2)
        # The first job of a round finds its worker idle: publish to start is the dispatch overhead
        # (the others wait for a worker, which is queueing, not overhead).
        latencies += [(jobs[0][3] - jobs[0][2]).total_seconds() for jobs in (first, rerun) if jobs[0][2] and jobs[0][3]]
        busy = sum((row[4] - row[3]).total_seconds() for row in rerun)
        figures[f"cluster_batch{batch}_job_s_per_source"] = round(busy / sources, 3)
    figures["cluster_dispatch_to_start_s"] = round(statistics.median(latencies), 3)
    figures["cluster_dispatch_to_start_max_s"] = round(max(latencies), 3)

    delay = 0.3  # latency-bound sites: each article takes 0.3 s to answer
    for workers in (1, 2) if args.quick else (1, 2, 4):
        (jobs,) = _cluster_run(base, sources=sources, hosts=hosts, delay=delay, workers=workers, batch=4)
        figures[f"cluster_workers{workers}_wall_s"] = round(_span(jobs), 2)
    figures["cluster_single_process_wall_s"] = round(
        _single_process(base, sources=sources, hosts=hosts, delay=delay), 2
    )
    figures["cluster_bench_world"] = {"sources": sources, "hosts": hosts, "articles_per_source": 4}
    return report(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
