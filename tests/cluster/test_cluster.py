"""The cluster end to end: dispatchers and Celery workers as real processes, real Redis, PostgreSQL.

Checked against the fixture world's own records (``world.py``), not only the database: every
fixture article stored exactly once; at most one request in flight per host; no two crawls'
requests interleaved on a host. Then the kill tests, each followed by the same checks: SIGKILL
of the crawl process, of the worker's pool process, of the whole worker, of the leader
dispatcher, and a job delivered twice.

The size of the main test's world is configurable (``MONITOR_TEST_CLUSTER_SOURCES``, default
50, on ``MONITOR_TEST_CLUSTER_HOSTS``, default 35); the kill tests use a small world. No timed
assertion: every wait is for a condition, bounded only to catch a hang (the bound fails the
test with the job table and the logs).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cluster.processes import (
    SETTLE_TIMEOUT,
    Cluster,
    children_of,
    group_alive,
    parent_of,
    write_cluster_config,
)
from tests.cluster.world import World, WorldSource
from tests.helpers.cli import wait_until

pytestmark = pytest.mark.timeout(900)

SOURCES = int(os.environ.get("MONITOR_TEST_CLUSTER_SOURCES", "50"))
HOSTS = int(os.environ.get("MONITOR_TEST_CLUSTER_HOSTS", "35"))


@pytest.fixture
def cluster_factory(
    tmp_path: Path, pg_schema_url: str, redis_url: str
) -> Iterator[Callable[..., tuple[World, Cluster]]]:
    made: list[tuple[World, Cluster]] = []

    def make(*, sources: int, hosts: int, articles: int = 4, **cluster: object) -> tuple[World, Cluster]:
        world = World(sources=sources, hosts=hosts, articles=articles).start()
        config = write_cluster_config(tmp_path / "config", world.source_configs(), **cluster)
        made.append((world, Cluster(config, pg_schema_url, redis_url)))
        return made[-1]

    yield make
    for world, cluster in made:
        world.release_all()
        cluster.close(hit.crawl for hit in world.hits())
        world.stop()


def _wait(cluster: Cluster, condition: Callable[[], bool], what: str, timeout: float = SETTLE_TIMEOUT) -> None:
    try:
        wait_until(condition, timeout=timeout, what=what)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{cluster.report()}") from None


def _settle(world: World, cluster: Cluster) -> None:
    ids = [source.id for source in world.sources]
    expected = world.expected_urls()
    _wait(cluster, lambda: cluster.settled(ids) and set(cluster.stored_urls()) == expected, "every source crawled")


def _check_world(world: World, cluster: Cluster) -> None:
    """What every test ends with: all stored once, politely, with no two crawls interleaved on a host."""
    stored = cluster.stored_urls()
    assert sorted(stored) == sorted(world.expected_urls())  # the fixtures' list exactly, each once
    assert max(world.max_in_flight().values()) == 1, world.max_in_flight()
    assert world.interleavings() == {}
    assert all(hit.crawl is not None for hit in world.hits())  # every request told to a crawl process


def _lone_source(world: World) -> WorldSource:
    """A source alone on its host, so that the gated host's one permitted article is its own.

    On a shared host the job batches the host's sources, and which feed's links are crawled first
    is the crawl's choice: the permit could go to the other source, leaving the victim's feed
    unfetched and the wait for its article hanging until the job's timeout.
    """
    return next(s for s in world.sources if [o.host for o in world.sources].count(s.host) == 1)


def _blocked_crawl(world: World, cluster: Cluster, source: WorldSource) -> int:
    """The crawl process group stuck on ``source`` (gated), once one of its articles is stored."""
    base = world.base(source.host)

    def stuck() -> bool:
        stored = [url for url in cluster.stored_urls() if url.startswith(base + f"/{source.id}/")]
        return bool(stored) and world.waiting(source.host) >= 1

    _wait(cluster, stuck, f"a crawl of {source.id} to store an article and wait for the next")
    crawls = [crawl for crawl in world.crawls_of(source) if crawl]
    assert crawls, "the feed was fetched by no known process"
    return crawls[-1]


def test_dispatchers_and_workers_crawl_every_source_once_and_politely(
    cluster_factory: Callable[..., tuple[World, Cluster]],
) -> None:
    world, cluster = cluster_factory(sources=SOURCES, hosts=HOSTS)
    for name in ("d1", "d2"):
        cluster.dispatcher(name)
    for name in ("w1", "w2", "w3"):
        cluster.worker(name)
    _settle(world, cluster)
    _check_world(world, cluster)
    jobs = cluster.jobs()
    assert {state for _id, state, *_rest in jobs} == {"done"}
    assert len({worker for _id, _state, _sources, worker, *_rest in jobs}) >= 2  # shared by the workers
    statuses = {row[0] for row in cluster.query("SELECT status FROM runs")}
    assert statuses == {"ok"}, statuses  # nothing interrupted, nothing failed
    assert len(world.hits()) == len(world.expected_urls()) + len(world.sources)  # each feed and article once


def test_a_killed_crawl_is_redone_once_and_its_validators_are_not_promoted(
    cluster_factory: Callable[..., tuple[World, Cluster]],
) -> None:
    world, cluster = cluster_factory(sources=6, hosts=4, batch_size=2)
    victim = _lone_source(world)
    world.gate(victim.host, pages=1)  # its first article is answered, the next ones wait
    cluster.dispatcher("d1")
    cluster.worker("w1")
    cluster.worker("w2")
    crawl = _blocked_crawl(world, cluster, victim)  # the group of the crawl's guard
    (scrapy,) = children_of(crawl)
    os.kill(scrapy, signal.SIGKILL)  # the Scrapy process itself: its pools are left to the guard
    _wait(cluster, lambda: not group_alive(crawl), "the killed crawl's whole tree to be gone")
    world.release(victim.host)
    _settle(world, cluster)
    _check_world(world, cluster)
    crawls = world.crawls_of(victim)
    assert len(crawls) == 2 and crawls[0] == crawl != crawls[1]  # redone once, by a new crawl
    feed = [hit for hit in world.hits(victim.host) if hit.path == victim.feed_path()]
    # The killed run's ETag was never promoted: the redo asked for the feed in full and got it.
    assert [(hit.conditional, hit.status) for hit in feed] == [(False, 200), (False, 200)]
    statuses = sorted(row[0] for row in cluster.query("SELECT status FROM runs"))
    assert statuses.count("interrupted") == 1 and set(statuses) == {"interrupted", "ok"}


def test_a_killed_pool_process_takes_its_crawl_with_it_and_the_job_is_redone(
    cluster_factory: Callable[..., tuple[World, Cluster]],
) -> None:
    world, cluster = cluster_factory(sources=6, hosts=4, batch_size=2)
    victim = _lone_source(world)
    world.gate(victim.host, pages=1)  # its first article is answered, the next ones wait
    cluster.dispatcher("d1")
    cluster.worker("w1")
    cluster.worker("w2")
    crawl = _blocked_crawl(world, cluster, victim)
    pool = parent_of(crawl)
    assert pool is not None and pool not in {proc.pid for proc in cluster.procs}  # a pool process, not a main
    os.kill(pool, signal.SIGKILL)
    _wait(cluster, lambda: not group_alive(crawl), "the orphaned crawl to die with its pool process")
    world.release(victim.host)
    _settle(world, cluster)
    _check_world(world, cluster)
    assert len([c for c in world.crawls_of(victim) if c != crawl]) == 1  # redone once


def test_a_killed_worker_takes_its_crawls_with_it_and_the_others_redo_the_job(
    cluster_factory: Callable[..., tuple[World, Cluster]],
) -> None:
    world, cluster = cluster_factory(sources=6, hosts=4, batch_size=2)
    victim = _lone_source(world)
    world.gate(victim.host, pages=1)  # its first article is answered, the next ones wait
    cluster.dispatcher("d1")
    workers = [cluster.worker(name) for name in ("w1", "w2", "w3")]
    crawl = _blocked_crawl(world, cluster, victim)
    pool = parent_of(crawl)
    main = next(worker for worker in workers if worker.pid == parent_of(pool or 0))
    main.kill()  # the worker's main process only: its pool and crawl must follow by themselves
    _wait(cluster, lambda: not group_alive(crawl) and not group_alive(main.pid), "the worker's processes to die")
    world.release(victim.host)
    _settle(world, cluster)
    _check_world(world, cluster)
    assert len([c for c in world.crawls_of(victim) if c != crawl]) == 1  # redone once, elsewhere


def test_a_standby_dispatcher_takes_over_from_a_killed_leader(
    cluster_factory: Callable[..., tuple[World, Cluster]],
) -> None:
    # One outstanding job at a time: dispatching goes on across many ticks, so the kill lands mid-way.
    world, cluster = cluster_factory(sources=8, hosts=6, batch_size=1, max_outstanding_jobs=1)
    first = cluster.dispatcher("d1")
    _wait(cluster, lambda: cluster.leader_pid() == first.pid, "the first dispatcher to lead")
    second = cluster.dispatcher("d2")
    cluster.worker("w1")
    _wait(cluster, lambda: len(cluster.jobs()) >= 2, "the leader to dispatch")
    first.kill()
    _wait(cluster, lambda: cluster.leader_pid() == second.pid, "the standby to lead")
    _settle(world, cluster)
    _check_world(world, cluster)
    assert "this dispatcher leads now" in second.output()


def test_a_job_delivered_twice_is_crawled_once(cluster_factory: Callable[..., tuple[World, Cluster]]) -> None:
    from monitor.cluster.celery_app import TASK_NAME

    world, cluster = cluster_factory(sources=4, hosts=4, batch_size=4)
    victim = _lone_source(world)
    world.gate(victim.host, pages=1)  # its first article is answered, the next ones wait
    cluster.dispatcher("d1")
    cluster.worker("w1")
    cluster.worker("w2")
    _blocked_crawl(world, cluster, victim)  # the one job is being crawled: send it again
    (job_id,) = [row[0] for row in cluster.jobs()]
    from celery import Celery

    app = Celery("test", broker=cluster.env["MONITOR_BROKER_URL"], set_as_current=False)
    app.send_task(TASK_NAME, args=[job_id], queue="crawl")
    _wait(cluster, lambda: "duplicate" in "".join(proc.output() for proc in cluster.procs), "the duplicate's task")
    world.release(victim.host)
    _settle(world, cluster)
    app.send_task(TASK_NAME, args=[job_id], queue="crawl")  # and once more after it finished
    _wait(cluster, lambda: "finished already" in "".join(proc.output() for proc in cluster.procs), "the late copy")
    app.close()
    _check_world(world, cluster)
    assert all(len(set(world.crawls_of(source))) == 1 for source in world.sources)  # one crawl, once
    assert [row[1] for row in cluster.jobs()] == ["done"]


def _scrape(port: int) -> dict[str, float]:
    """The samples a metrics endpoint serves, by name with labels (``monitor_jobs{state="done"}``)."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def test_the_dispatcher_and_the_workers_export_prometheus_metrics(
    cluster_factory: Callable[..., tuple[World, Cluster]],
) -> None:
    from tests.monitor.digest.digest_helpers import free_port

    world, cluster = cluster_factory(sources=4, hosts=3, batch_size=2)
    dispatcher_port, worker_port = free_port(), free_port()
    cluster.dispatcher("d1", "--metrics-port", str(dispatcher_port))
    cluster.worker("w1", "--metrics-port", str(worker_port))
    _settle(world, cluster)
    jobs = len(cluster.jobs())

    def exported() -> bool:
        # The crawl child commits its job as done before it exits; the worker counts the job when
        # the child has exited. Wait for both, not for the first only.
        try:
            worker_done = _scrape(worker_port).get('monitor_worker_jobs_total{outcome="done"}')
            return _scrape(dispatcher_port).get('monitor_jobs{state="done"}') == jobs and worker_done == jobs
        except OSError:
            return False

    _wait(cluster, exported, "the dispatcher's and the worker's job counts to catch up")
    dispatcher = _scrape(dispatcher_port)
    worker = _scrape(worker_port)
    assert dispatcher["monitor_dispatcher_leader"] == 1
    assert dispatcher["monitor_jobs_dispatched_total"] == jobs
    assert worker['monitor_worker_jobs_total{outcome="done"}'] == jobs
    assert worker["monitor_worker_items_stored_total"] == len(world.expected_urls())
    assert worker["monitor_worker_jobs_running"] == 0
