from __future__ import annotations

import subprocess
import sys
import time

import pytest

from monitor.errors import AlreadyRunning
from monitor.storage.lock import run_lock

HOLDER = """
import sys, time
from monitor.storage.lock import run_lock
with run_lock(sys.argv[1], "crawl"):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_second_holder_is_refused_with_who_holds_it(database_url: str) -> None:
    with run_lock(database_url, "crawl"):
        with pytest.raises(AlreadyRunning, match=r"another crawl is already running \(pid \d+ since \d{4}-"):
            with run_lock(database_url, "crawl"):
                pass  # pragma: no cover
        with run_lock(database_url, "digest"):  # another name is another lock
            pass
    with run_lock(database_url, "crawl"):  # released on exit
        pass


def test_the_lock_dies_with_its_holder(database_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, database_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning, match=f"pid {holder.pid} "):
            with run_lock(database_url, "crawl"):
                pass  # pragma: no cover
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 10  # PostgreSQL notices the closed socket at once; allow slack
    while True:
        try:
            with run_lock(database_url, "crawl"):
                return
        except AlreadyRunning:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
