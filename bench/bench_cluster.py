"""Cluster mode: dispatch latency, cost per source against batch size, throughput against workers,
recovery from each kind of kill, and what a job costs PostgreSQL and the broker.

    python bench/bench_cluster.py [--quick] [--json FILE] [--only throughput|recovery]

Needs PostgreSQL (``MONITOR_TEST_PG_URL``, as the tests) and Debian's ``redis-server``. Each
scenario gets a fresh schema, a fresh redis-server and the tests' fixture world
(``tests/cluster/world.py``: sources on their own loopback hosts, articles answered after a
delay), then ``monitor dispatch`` and W ``monitor worker -c 1`` processes. Politeness is the
cluster tests' (one request in flight per host, 0.05 s delay); the ``cluster:`` timings are the
tests' (``tests/cluster/processes.py``: a tick a second) for the throughput scenarios and the
shipped defaults (``monitor/config/schema.py``: a tick every 30 s, a retry after 10 s, kombu's
restore every 5 s, a visibility timeout of hours) for the recovery ones, since those are what an
operator's recovery is made of.

Figures (``cluster_`` prefix in results.json):

* ``dispatch_to_start_s`` (median) / ``_max_s``: from a job's message sent to an idle worker
  starting it (the broker, Celery and the task's bookkeeping; not the crawl).
* ``batch{N}_job_s_per_source``: worker seconds per source with ``batch_size`` N, one worker,
  an unchanged re-poll (the fixed cost of a crawl process is what batching spreads).
* ``workers{W}_wall_s``: a full first crawl of the world by W workers (``-c 1`` each, batches of
  4 sources on 4 hosts: at most 4 W requests in flight), latency-bound sites, from the first job
  written to the last finished; ``single_process{W}_wall_s``: one ``monitor run`` over the same
  world with ``concurrent_requests: 4 W``, the same total concurrency, timed from its start
  (its one start-up included). ``single_process_wall_s`` is ``single_process4_wall_s`` (16,
  Scrapy's and the shipped default), kept under its older name.
* ``recover_{kind}_s`` (median) / ``_max_s``, for ``kind`` in crawl (SIGKILL of the Scrapy
  process), pool (of the worker's pool process running the job), worker (of the worker's main
  process; two other workers stay up), leader (of the leading dispatcher; a standby waits):
  from the SIGKILL to the redone crawl's first request to the killed source (its feed, at the
  fixture server), i.e. until the work is being done again. ``recover_{kind}_task_s``: to the
  redone job's task start (``jobs.started_at``); ``recover_{kind}_stored_s`` / ``_stored_max_s``:
  to every article of that source stored (the killed crawl had stored one and was held on the
  next; the hold is lifted once the killed crawl's tree is gone). For the leader:
  ``recover_leader_lead_s`` to the standby holding the lock, ``recover_leader_s`` to the next job
  sent to the broker by it (sources were made due at the kill), ``_stored_s`` to that round
  stored. What bounds each: crawl, ``retry_delay``; pool, Celery's requeue on a lost worker at
  once (but a redo that starts while the killed crawl still holds its host lock exits "busy" and
  waits for the next tick); worker, ``tick_seconds`` (the dispatcher's ``lost`` verdict; Redis
  would redeliver only after ``visibility_timeout``); leader, the standby's 1 s lock retry and the
  new leader's first tick, at once.
* ``pg_rows_per_job_first`` / ``pg_rows_per_job_repoll``: rows inserted, updated or deleted in
  the schema's tables (``pg_stat_user_tables``, the schema made and its sources synced left out)
  per job of a first crawl and of an unchanged re-poll (batches of 4); ``pg_rows_per_article``:
  what a first crawl writes beyond a re-poll, per stored article. The per-table counts are
  printed. ``redis_commands_per_job``: broker commands per job of the re-poll, net of the idle
  traffic (``redis_idle_commands_per_s``, one worker and one dispatcher polling), from
  ``INFO commandstats``. ``pg_commits_per_s``: one-row INSERT transactions a second on one
  connection to the same PostgreSQL (a lower bound of what the server commits: concurrent
  sessions share its WAL flushes), with ``pg_commit_settings``.
* ``bench_load1_mean`` / ``_max``: the 1-minute load average sampled while the bench ran.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from common import ROOT, report
from sqlalchemy import text

# common puts the root on sys.path
from tests.cluster.processes import (
    CLUSTER_POLITENESS,
    Cluster,
    children_of,
    cluster_settings,
    group_alive,
    parent_of,
    redis_server,
    write_cluster_config,
)
from tests.cluster.world import World, WorldSource
from tests.helpers.cli import wait_until
from tests.helpers.config import write_config

BATCH = 4  # sources a job in the throughput scenarios: one per host, so 4 requests in flight a job
KINDS = ("crawl", "pool", "worker", "leader")
HANG = 600  # a bound that only catches a hung cluster
# Written once, when the schema is made and the config's sources synced: not a job's writes.
ONE_OFF = {"alembic_version", "sources"}


def _shipped_timings() -> dict[str, Any]:
    """The shipped defaults of every ``cluster:`` setting the tests set (batch size aside)."""
    from monitor.config.schema import ClusterSettings

    fields = ClusterSettings.model_fields
    return {name: fields[name].default for name in cluster_settings() if name != "batch_size"}


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


def _table_writes(handle: Any) -> dict[str, int]:
    """Rows inserted + updated + deleted so far, by table of the schema (flushed stats only)."""
    admin, schema = handle
    with admin.connect() as connection:
        rows = connection.execute(
            text("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE schemaname = :s"),
            {"s": schema},
        )
        return {name: int(count) for name, count in rows}


def _redis_calls(broker: str) -> int:
    import redis

    client = redis.Redis.from_url(broker)
    try:
        stats = client.info("commandstats")
    finally:
        client.close()
    return sum(int(value["calls"]) for key, value in stats.items() if key not in ("cmdstat_info",))


# PostgreSQL 15 flushes an idle backend's table counts within 10 s (PGSTAT_IDLE_INTERVAL).
STATS_FLUSH_S = 11


@contextmanager
def _world_and_cluster(base_url: str, world: World, **cluster: Any) -> Iterator[tuple[Cluster, Any, str]]:
    """A fresh schema and redis-server, ``world`` started, and a Cluster over them (closed after)."""
    url, handle = _schema(base_url)
    try:
        with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp)) as broker:
            world.start()
            try:
                config = write_cluster_config(Path(tmp) / "config", world.source_configs(), **cluster)
                instance = Cluster(config, url, broker)
                try:
                    yield instance, handle, broker
                finally:
                    world.release_all()
                    instance.close(hit.crawl for hit in world.hits())
            finally:
                world.stop()
    finally:
        _drop(handle)


def _cluster_run(
    base_url: str,
    *,
    sources: int,
    hosts: int,
    delay: float,
    workers: int,
    batch: int,
    rounds: int = 1,
    costs: dict[str, Any] | None = None,
) -> list[list[tuple[Any, ...]]]:
    """Crawl the world ``rounds`` times (a re-poll re-dispatches every source); the jobs of each round.

    With ``costs`` (a dict to fill), the rows written and the broker commands of each round, and
    the broker's idle traffic after the last, are measured too (waiting for PostgreSQL's stats).
    """
    per_round: list[list[tuple[Any, ...]]] = []
    world = World(sources=sources, hosts=hosts, articles=4, delay=delay)
    with _world_and_cluster(base_url, world, batch_size=batch) as (cluster, handle, broker):
        for index in range(workers):
            cluster.worker(f"w{index}")
        ids = [source.id for source in world.sources]
        writes = [_table_writes(handle)]
        calls = [_redis_calls(broker)]
        for round_index in range(rounds):
            if round_index:  # due again: the sources' last jobs no longer count
                with cluster.engine.begin() as connection:
                    connection.execute(text("UPDATE jobs SET state = 'lost' WHERE state = 'done'"))
            seen = len(cluster.jobs())
            if round_index == 0:
                cluster.dispatcher("d1")
            round_started = time.monotonic()

            def round_done(seen: int = seen) -> bool:
                return cluster.settled(ids) and len(cluster.jobs()) > seen

            wait_until(round_done, timeout=900, what="a round")
            round_seconds = time.monotonic() - round_started
            per_round.append(
                cluster.query(
                    "SELECT id, created_at, published_at, started_at, finished_at, sources FROM jobs "
                    "WHERE id > :seen ORDER BY id",
                    seen=0 if round_index == 0 else max(row[0] for row in per_round[-1]),
                )
            )
            if costs is not None:
                calls.append(_redis_calls(broker))
                costs.setdefault("round_seconds", []).append(round_seconds)
                time.sleep(STATS_FLUSH_S)
                writes.append(_table_writes(handle))
        if costs is not None:
            idle_from = _redis_calls(broker)
            time.sleep(10)
            costs["idle_per_s"] = (_redis_calls(broker) - idle_from) / 10
            costs["writes"] = [
                {
                    table: after.get(table, 0) - before.get(table, 0)
                    for table in after
                    if after.get(table, 0) - before.get(table, 0)
                }
                for before, after in zip(writes, writes[1:], strict=False)
            ]
            costs["calls"] = [after - before for before, after in zip(calls, calls[1:], strict=False)]
    return per_round


def _single_process(base_url: str, *, sources: int, hosts: int, delay: float, concurrency: int) -> float:
    url, handle = _schema(base_url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            world = World(sources=sources, hosts=hosts, articles=4, delay=delay).start()
            try:
                config = write_config(
                    Path(tmp) / "config",
                    world.source_configs(),
                    politeness={**CLUSTER_POLITENESS, "concurrent_requests": concurrency},
                    schedules=[{"name": "all", "cron": "0 0 1 1 *"}],
                )
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "monitor", "--config", str(config), "--db", url]
                    + ["--allow-private", "-q", "run"],
                    cwd=ROOT,
                    check=True,
                    timeout=900,
                )
                return time.perf_counter() - started
            finally:
                world.stop()
    finally:
        _drop(handle)


def _span(jobs: list[tuple[Any, ...]]) -> float:
    return float((max(row[4] for row in jobs) - min(row[1] for row in jobs)).total_seconds())


# -- recovery ------------------------------------------------------------------------------------
def _poll(condition: Callable[[], bool], what: str, every: float = 0.05, timeout: float = HANG) -> float:
    """Wait for ``condition``; the wall-clock time (epoch seconds) it was first seen true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(every)
    return time.time()


def _epoch(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _lone_source(world: World) -> WorldSource:
    """A source alone on its host (as the kill tests pick it: the gated host's permit is its own)."""
    return next(s for s in world.sources if [o.host for o in world.sources].count(s.host) == 1)


def _victim_urls(world: World, cluster: Cluster, source: WorldSource) -> set[str]:
    prefix = world.base(source.host) + f"/{source.id}/"
    return {url for url in cluster.stored_urls() if url.startswith(prefix)}


def _job_start_before(cluster: Cluster, source_id: str, after: float, before: float) -> float | None:
    """The latest start, between ``after`` and ``before``, of a job that carries ``source_id``."""
    starts = [
        _epoch(started)
        for sources, started in cluster.query("SELECT sources, started_at FROM jobs WHERE started_at IS NOT NULL")
        if source_id in sources and after <= _epoch(started) <= before
    ]
    return max(starts) if starts else None


def _recover_worker_side(world: World, cluster: Cluster, kind: str) -> dict[str, float]:
    """Kill the crawl, the pool process or the worker carrying a gated source; time the redo."""
    victim = _lone_source(world)
    world.gate(victim.host, pages=1)  # its first article is answered, the next ones wait
    cluster.dispatcher("d1")
    workers = [cluster.worker(f"w{index}") for index in range(3 if kind == "worker" else 2)]

    def stuck() -> bool:
        return bool(_victim_urls(world, cluster, victim)) and world.waiting(victim.host) >= 1

    _poll(stuck, "the victim's crawl to store an article and wait for the next", every=0.2)
    crawl = next(c for c in reversed(world.crawls_of(victim)) if c)  # the group of the crawl's guard
    before = len(world.crawls_of(victim))
    if kind == "crawl":
        (target,) = children_of(crawl)  # the Scrapy process
    elif kind == "pool":
        target = parent_of(crawl) or 0
    else:
        target = parent_of(parent_of(crawl) or 0) or 0
        assert target in {worker.pid for worker in workers}, "the crawl's grandparent is no worker's main process"
    killed = time.time()
    os.kill(target, signal.SIGKILL)
    _poll(lambda: not group_alive(crawl), "the killed crawl's tree to be gone")
    world.release(victim.host)
    redo = _poll(lambda: len(world.crawls_of(victim)) > before, "a new crawl to request the victim's feed")
    expected = {world.base(victim.host) + path for path in victim.article_paths()}
    stored = _poll(lambda: _victim_urls(world, cluster, victim) == expected, "the victim stored", every=0.1)
    task = _job_start_before(cluster, victim.id, killed, redo)
    _check_settled(world, cluster)
    return {"s": redo - killed, "stored_s": stored - killed, "task_s": (task or redo) - killed}


def _recover_leader(world: World, cluster: Cluster) -> dict[str, float]:
    """Kill the leading dispatcher after a round, with every source made due again at the kill."""
    first = cluster.dispatcher("d1")
    _poll(lambda: cluster.leader_pid() == first.pid, "the first dispatcher to lead", every=0.2)
    second = cluster.dispatcher("d2")
    _poll(lambda: "standing by" in second.output(), "the second dispatcher to stand by", every=0.2)
    cluster.worker("w1")
    ids = [source.id for source in world.sources]
    _poll(lambda: cluster.settled(ids), "the first round", every=0.2)
    (last,) = cluster.query("SELECT max(id) FROM jobs")[0]
    killed = time.time()
    first.kill()
    with cluster.engine.begin() as connection:  # due again: the sources' last jobs no longer count
        connection.execute(text("UPDATE jobs SET state = 'lost' WHERE state = 'done'"))
    lead = _poll(lambda: cluster.leader_pid() == second.pid, "the standby to lead")

    def sent() -> list[tuple[Any, ...]]:
        return cluster.query("SELECT min(published_at) FROM jobs WHERE id > :last HAVING count(*) > 0", last=last)

    _poll(lambda: bool(sent()) and sent()[0][0] is not None, "the new leader's first job", every=0.05)
    published = _epoch(sent()[0][0])
    stored = _poll(
        lambda: cluster.settled(ids) and bool(cluster.query("SELECT 1 FROM jobs WHERE id > :last", last=last)),
        "the round after the kill",
        every=0.1,
    )
    _check_settled(world, cluster)
    return {"lead_s": lead - killed, "s": published - killed, "stored_s": stored - killed}


def _check_settled(world: World, cluster: Cluster) -> None:
    """The kill tests' outcome, as a guard on the figures: every source done, every article stored once."""
    ids = [source.id for source in world.sources]
    _poll(lambda: cluster.settled(ids), "every source settled after the kill", every=0.2)
    stored = cluster.stored_urls()
    if sorted(stored) != sorted(world.expected_urls()):
        raise RuntimeError(f"after the kill the stored URLs differ from the fixtures' ({len(stored)} stored)")


def _recovery(base_url: str, kind: str) -> dict[str, float]:
    world = World(sources=6, hosts=4)  # the kill tests' world: 4 articles a source, 0.02 s a page
    timings = {**_shipped_timings(), "batch_size": 2}
    if kind == "leader":
        timings["batch_size"] = 6  # one job a round: the next one is the standby's
    with _world_and_cluster(base_url, world, **timings) as (cluster, _handle, _broker):
        if kind == "leader":
            return _recover_leader(world, cluster)
        return _recover_worker_side(world, cluster, kind)


def _commit_rate(base_url: str, commits: int) -> tuple[float, dict[str, str]]:
    """Small write transactions a second on one connection (an article is one), and the settings."""
    from sqlalchemy.pool import NullPool

    from monitor.storage.engine import make_engine

    url, handle = _schema(base_url)
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TABLE bench_commits (id serial PRIMARY KEY, body text)"))
            connection.commit()
            settings = {
                name: str(connection.execute(text(f"SHOW {name}")).scalar_one())
                for name in ("synchronous_commit", "fsync", "wal_sync_method")
            }
            started = time.perf_counter()
            for index in range(commits):
                connection.execute(text("INSERT INTO bench_commits (body) VALUES (:b)"), {"b": f"row {index}"})
                connection.commit()
            return commits / (time.perf_counter() - started), settings
    finally:
        engine.dispose()
        _drop(handle)


# -- the run -------------------------------------------------------------------------------------
class _LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds: the machine is shared, the figures move with it."""

    def __init__(self, every: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0 if not self.samples else self.every):
            self.samples.append(os.getloadavg()[0])


def _throughput(base: str, quick: bool, figures: dict[str, object]) -> None:
    sources, hosts = (12, 12) if quick else (24, 24)
    latencies: list[float] = []
    for batch in (1, 4) if quick else (1, 4, 24):
        costs: dict[str, Any] | None = {} if batch == BATCH else None
        first, rerun = _cluster_run(
            base, sources=sources, hosts=hosts, delay=0.0, workers=1, batch=batch, rounds=2, costs=costs
        )
        # The first job of a round finds its worker idle: publish to start is the dispatch overhead
        # (the others wait for a worker, which is queueing, not overhead).
        latencies += [(jobs[0][3] - jobs[0][2]).total_seconds() for jobs in (first, rerun) if jobs[0][2] and jobs[0][3]]
        busy = sum((row[4] - row[3]).total_seconds() for row in rerun)
        figures[f"cluster_batch{batch}_job_s_per_source"] = round(busy / sources, 3)
        if costs is not None:
            articles = sources * 4
            first_writes, repoll_writes = ({k: v for k, v in w.items() if k not in ONE_OFF} for w in costs["writes"])
            print(f"rows written, first crawl ({len(first)} jobs, {articles} articles): {first_writes}")
            print(f"rows written, unchanged re-poll ({len(rerun)} jobs): {repoll_writes}")
            # the bench's own UPDATE making the sources due again is one row a job of the first round
            per_job = sum(repoll_writes.values()) - len(first)
            figures["cluster_pg_rows_per_job_first"] = round(sum(first_writes.values()) / len(first), 1)
            figures["cluster_pg_rows_per_job_repoll"] = round(per_job / len(rerun), 1)
            figures["cluster_pg_rows_per_article"] = round((sum(first_writes.values()) - per_job) / articles, 2)
            idle = costs["idle_per_s"]
            net = costs["calls"][1] - idle * costs["round_seconds"][1]
            figures["cluster_redis_idle_commands_per_s"] = round(idle, 1)
            figures["cluster_redis_commands_per_job"] = round(max(net, 0) / len(rerun), 1)
    figures["cluster_dispatch_to_start_s"] = round(statistics.median(latencies), 3)
    figures["cluster_dispatch_to_start_max_s"] = round(max(latencies), 3)

    delay = 0.3  # latency-bound sites: each article takes 0.3 s to answer
    for workers in (1, 2) if quick else (1, 2, 4):
        (jobs,) = _cluster_run(base, sources=sources, hosts=hosts, delay=delay, workers=workers, batch=BATCH)
        figures[f"cluster_workers{workers}_wall_s"] = round(_span(jobs), 2)
        single = _single_process(base, sources=sources, hosts=hosts, delay=delay, concurrency=BATCH * workers)
        figures[f"cluster_single_process{workers}_wall_s"] = round(single, 2)
    if "cluster_single_process4_wall_s" in figures:
        figures["cluster_single_process_wall_s"] = figures["cluster_single_process4_wall_s"]
    figures["cluster_bench_world"] = {"sources": sources, "hosts": hosts, "articles_per_source": 4}


def _recoveries(base: str, quick: bool, figures: dict[str, object]) -> None:
    repeats = 1 if quick else 3
    for kind in KINDS:
        runs = [_recovery(base, kind) for _ in range(repeats)]
        print(f"recovery from a killed {kind}: {runs}", flush=True)
        for name in runs[0]:
            values = [run[name] for run in runs]
            key = f"cluster_recover_{kind}_{name}"  # "s": cluster_recover_crawl_s
            figures[key] = round(statistics.median(values), 2)
            if name in ("s", "stored_s", "lead_s"):
                figures[key.removesuffix("_s") + "_max_s"] = round(max(values), 2)
    figures["cluster_recover_settings"] = {
        **_shipped_timings(),
        "repeats": repeats,
        "world": "6 sources on 4 hosts, 4 articles each, batches of 2 (leader: 6)",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller worlds, fewer scenarios, one kill of each kind")
    ap.add_argument("--only", choices=("throughput", "recovery", "commits"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    base = os.environ.get("MONITOR_TEST_PG_URL")
    if not base:
        print("bench_cluster: set MONITOR_TEST_PG_URL to a throwaway PostgreSQL database", file=sys.stderr)
        return 1
    figures: dict[str, object] = {}
    load = _LoadSampler()
    load.start()
    if args.only in (None, "throughput"):
        _throughput(base, args.quick, figures)
    if args.only in (None, "recovery"):
        _recoveries(base, args.quick, figures)
    if args.only in (None, "commits"):
        rate, settings = _commit_rate(base, 500 if args.quick else 2000)
        figures["cluster_pg_commits_per_s"] = round(rate)
        figures["cluster_pg_commit_settings"] = settings
    load.stopped.set()
    load.join()
    load_figures = {
        "cluster_bench_load1_mean": round(statistics.mean(load.samples), 2),
        "cluster_bench_load1_max": round(max(load.samples), 2),
    }
    if args.only:  # the load of a whole run only: a part's would pass for the other parts'
        print(f"load average (1 min) while this part ran: {load_figures}")
    else:
        figures.update(load_figures)
    return report(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
