"""Crawl locks per politeness key: a second process gets the keys nobody holds, and only those."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from monitor.cluster import keys
from monitor.cluster.keys import host_key, release_suffix_list, source_keys, url_key
from monitor.config.schema import Source
from monitor.errors import AlreadyRunning
from monitor.storage.engine import make_engine
from monitor.storage.lock import crawl_locks, job_locked
from tests.helpers.cli import wait_until

HOLDER = """
import sys, time
from monitor.storage.engine import make_engine
from monitor.storage.lock import crawl_locks
job = int(sys.argv[2]) if sys.argv[2] != "-" else None
with crawl_locks(make_engine(sys.argv[1]), set(sys.argv[3:]), job_id=job):
    print("locked", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def holder(database_url: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the keys a.example and b.example for job 7."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, database_url, "7", "a.example", "b.example"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    yield process
    process.kill()
    process.wait()
    process.stdout.close()


def test_keys_are_registrable_domains_or_bare_hosts() -> None:
    assert url_key("https://www.edpb.europa.eu/news/feed.xml") == "europa.eu"
    assert url_key("https://edps.europa.eu/") == "europa.eu"
    assert url_key("https://ico.org.uk/feed") == "ico.org.uk"
    assert url_key("http://127.0.0.7:8001/feed.xml") == "127.0.0.7"
    assert host_key("LOCALHOST.") == "localhost"
    source = Source.model_validate(
        {
            "id": "eu",
            "name": "EU",
            "kind": "intl",
            "jurisdiction": "EU",
            "feeds": ["https://www.edpb.europa.eu/feed"],
            "listings": [{"url": "https://eur-lex.europa.eu/news", "page_url": "https://news.example.org/?p={n}"}],
        }
    )
    assert source_keys(source) == {"europa.eu", "example.org"}


def test_the_suffix_list_is_dropped_once_a_crawl_has_its_keys_and_rebuilt_if_asked_again() -> None:
    assert url_key("https://www.edpb.europa.eu/") == "europa.eu"
    release_suffix_list()
    assert keys._extractor.cache_info().currsize == 0
    assert url_key("https://ico.org.uk/feed") == "ico.org.uk"


def test_a_crawl_gets_the_free_keys_and_is_told_who_holds_the_others(
    engine: Engine, holder: subprocess.Popen[str]
) -> None:
    if engine.dialect.name != "postgresql":
        with pytest.raises(AlreadyRunning, match=rf"already running \(pid {holder.pid} "):
            with crawl_locks(engine, {"c.example"}):
                pass  # pragma: no cover
        return  # SQLite: one crawl at a time, whatever its hosts
    with crawl_locks(engine, {"b.example", "c.example"}) as lease:
        assert lease.held == {"c.example"}
        assert list(lease.refused) == ["b.example"] and f"pid {holder.pid} " in lease.refused["b.example"]
    with pytest.raises(AlreadyRunning, match=rf"already running \(pid {holder.pid} .*a\.example"):
        with crawl_locks(engine, {"a.example"}):
            pass  # pragma: no cover
    with pytest.raises(AlreadyRunning, match="job 7 is already being crawled"):
        with crawl_locks(engine, {"d.example"}, job_id=7):
            pass  # pragma: no cover
    assert job_locked(engine, 7) and not job_locked(engine, 8)


def test_the_keys_are_free_once_their_holder_died(engine: Engine, holder: subprocess.Popen[str]) -> None:
    holder.kill()
    holder.wait()

    def free() -> bool:
        try:
            with crawl_locks(engine, {"a.example", "b.example"}) as lease:
                return lease.held == {"a.example", "b.example"}
        except AlreadyRunning:
            return False

    wait_until(free, timeout=60, what="the dead holder's locks to be released")
