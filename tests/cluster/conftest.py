"""Real services for the cluster tests: a redis-server this fixture starts and stops, and PostgreSQL.

Without the ``redis-server`` binary (Debian's package; ``.ci/run`` installs it) or without
``MONITOR_TEST_PG_URL`` the tests are skipped, with the reason shown; under CI (``CI`` set) a
missing redis-server fails instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cluster.processes import redis_server

REDIS_SKIP_REASON = "cluster tests skipped: no redis-server binary (apt-get install redis-server; .ci/run does)"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A fresh redis-server on 127.0.0.1 (no persistence, no eviction), stopped after the test."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):  # .ci/run installs it: a CI run without it must not pass by skipping
            pytest.fail(REDIS_SKIP_REASON)
        pytest.skip(REDIS_SKIP_REASON)
    with redis_server(tmp_path) as url:
        yield url
