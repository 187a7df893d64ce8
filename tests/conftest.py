"""Suite-wide fixtures: ``database_url`` runs a test on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

# Set by .ci/run, e.g. postgresql+psycopg://monitor:monitor@127.0.0.1:5432/monitor_test
PG_URL_ENV = "MONITOR_TEST_PG_URL"
PG_SKIP_REASON = f"PostgreSQL tests skipped: set {PG_URL_ENV} to a throwaway database (.ci/run does)"


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get(PG_URL_ENV)
    return (
        f"database backends: sqlite, postgresql ({PG_URL_ENV} set)"
        if url
        else f"database backends: sqlite; {PG_SKIP_REASON}"
    )


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    """Undo what a CLI run in-process (Typer's CliRunner) does to the root logger.

    ``monitor.logs.configure_logging`` sets up the root logger for a whole process: left in
    place, its handler and INFO level outlive the test, and threads of later tests (aiosmtpd's
    connection log) print through it between tests.
    """
    root = logging.getLogger()
    level = root.level
    yield
    for handler in root.handlers[:]:
        if not type(handler).__module__.startswith("_pytest."):
            root.removeHandler(handler)
    root.setLevel(level)


def _with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema, dropped after the test."""
    base = os.environ.get(PG_URL_ENV)
    if not base:
        pytest.skip(PG_SKIP_REASON)
    from sqlalchemy import text
    from sqlalchemy.pool import NullPool

    from monitor.storage import dispose_all
    from monitor.storage.engine import make_engine

    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_schema(base, schema)
    finally:
        dispose_all()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    from monitor.storage import dispose_all

    yield f"sqlite:///{tmp_path / 'monitor.db'}"
    dispose_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on each backend; PostgreSQL needs MONITOR_TEST_PG_URL, else a visible skip."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_schema_url")


# Where the `e2e` and `slow` markers go, by path, so that no test module has to remember them:
# `make test-fast` (-m "not e2e and not slow") then runs the unit tests in well under a minute.
E2E_PATHS = (
    "tests/e2e/",
    "tests/faults/",
    "tests/cluster/",
    "tests/monitor/storage/test_crash.py",
    "tests/monitor/storage/test_concurrency.py",
)
# Single tests that take seconds: a process pool, a memory profile, a daemon's signal handling.
SLOW_TESTS = (
    "tests/pipelines/test_extract_pool.py::test_pooled_stage_gives_the_same_fields_as_the_synchronous_one",
    "tests/monitor/storage/test_export.py::test_jsonl_export_memory_does_not_grow_with_the_table",
    "tests/monitor/scheduler/test_scheduler_daemon.py::test_sigterm_stops_the_daemon_after_the_running_job",
    "tests/monitor/matching/test_real_gate.py::test_the_real_text_gate_holds",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(config.rootpath)
    for item in items:
        relative = Path(item.path).relative_to(root).as_posix()
        node = f"{relative}::{item.name.split('[')[0]}"
        if relative.startswith(E2E_PATHS):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)
        elif node.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _matcher_cache_in_a_temporary_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests and the commands they start never read or write the user's own matcher cache."""
    from monitor.matching.cache import CACHE_ENV

    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("matcher-cache"))
    yield
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous
