from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from monitor.errors import AlreadyRunning
from monitor.storage.engine import make_engine
from monitor.storage.lock import run_lock

HOLDER = """
import sys, time
from monitor.storage.engine import make_engine
from monitor.storage.lock import run_lock
with run_lock(make_engine(sys.argv[1]), "crawl"):
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_a_second_holder_is_refused_with_who_holds_it(engine: Engine, database_url: str) -> None:
    with run_lock(engine, "crawl"):
        with pytest.raises(AlreadyRunning, match=r"another crawl is already running \(pid \d+ since \d{4}-"):
            with run_lock(engine, "crawl"):
                pass  # pragma: no cover
        other = make_engine(database_url)  # another engine (as in another process) is refused too
        with pytest.raises(AlreadyRunning), run_lock(other, "crawl"):
            pass  # pragma: no cover
        other.dispose()
        with run_lock(engine, "digest"):  # another name is another lock
            pass
    with run_lock(engine, "crawl"):  # released on exit
        pass


def test_the_lock_leaves_nothing_behind_in_the_engines_pool(engine: Engine) -> None:
    """The PostgreSQL lock's session is out of the pool: it ends with the lock, and its note with it."""
    with run_lock(engine, "crawl"):
        pass
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            from sqlalchemy import text

            name = connection.execute(text("SELECT current_setting('application_name')")).scalar_one()
            assert not name.startswith("news-monitor lock"), name
    assert engine.pool.checkedout() == 0


def test_the_lock_dies_with_its_holder(engine: Engine, database_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, database_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning, match=f"pid {holder.pid} "):
            with run_lock(engine, "crawl"):
                pass  # pragma: no cover
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 60  # PostgreSQL notices the closed socket at once; the bound catches a hang
    while True:
        try:
            with run_lock(engine, "crawl"):
                return
        except AlreadyRunning:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
