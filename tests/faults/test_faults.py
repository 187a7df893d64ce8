"""One ``monitor run`` against the loopback fault server: every fault lands in its error class,
the healthy sources complete, and nothing stored before the run is lost.

The crawl runs as a child process (Scrapy's reactor cannot restart in one process) with one
retry and no delays. The download timeout is generous (a loaded machine must not turn a healthy
loopback answer into a timeout); the stalling paths stall far longer, so they still time out,
and the whole matrix takes about as long as that one timeout.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Endpoint
from monitor.storage.records import ArticleRecord
from tests.helpers.cli import monitor
from tests.helpers.config import write_config
from tests.mockserver import FaultServer

# The module's fixture runs one whole crawl, timed against the first test.
pytestmark = pytest.mark.timeout(300)
# Seconds before a download is given up: the stalls of the matrix last minutes.
DOWNLOAD_TIMEOUT = 10

# source id -> (site, path, expected error class or None for healthy)
MATRIX: dict[str, tuple[str, str, str | None]] = {
    "good": ("good", "/feed.xml", None),
    "flaky-503": ("good", "/flaky.xml", None),
    "retry-after-short": ("good", "/retry-soon.xml", None),
    "wrong-charset": ("good", "/wrong-charset.xml", None),
    "robots-disallow": ("good", "/private/feed.xml", "robots_denied"),
    "empty-body": ("good", "/empty.xml", "not_a_feed"),
    "html-not-feed": ("good", "/html.xml", "not_a_feed"),
    "malformed-feed": ("good", "/malformed.xml", "not_a_feed"),
    "truncated-feed": ("good", "/truncated.xml", "not_a_feed"),
    "entity-attack": ("good", "/entities.xml", "not_a_feed"),
    "entity-attack-utf16": ("good", "/entities-utf16.xml", "not_a_feed"),
    "over-size-limit": ("good", "/huge.html", "too_large"),
    "gzip-bomb": ("good", "/bomb.xml", "too_large"),
    "headers-never-sent": ("good", "/no-headers.xml", "timeout"),
    "byte-drip": ("good", "/drip.xml", "timeout"),
    "redirect-loop": ("good", "/loop-a", "redirect_loop"),
    "redirect-internal": ("good", "/to-internal", "unsafe_address"),
    "not-found": ("good", "/gone.xml", "http_4xx"),
    "server-error": ("good", "/broken.xml", "http_5xx"),
    "robots-503": ("robots503", "/feed.xml", "robots_unreachable"),
    "retry-after-long": ("waitlong", "/feed.xml", "blocked"),
    "retry-after-long-2": ("waitlong", "/other.xml", "blocked"),
    "connect-timeout": ("blackhole", "/feed.xml", "timeout"),
    "self-signed-tls": ("tls", "/feed.xml", "tls"),
}
PRESTORED = "/articles/stored-before.html"


Outcome = tuple[FaultServer, str, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    work = tmp_path_factory.mktemp("faults")
    database_url = f"sqlite:///{work / 'monitor.db'}"
    with FaultServer(work) as faults:
        sources = [
            {
                "id": source_id,
                "name": source_id,
                "kind": "other",
                "jurisdiction": "INTL",
                "timezone": "Europe/Paris",
                "feeds": [faults.url(site, path)],
            }
            for source_id, (site, path, _expected) in MATRIX.items()
            if site in faults.addresses
        ]
        politeness = {
            "concurrent_requests_per_domain": 16,
            "download_timeout": DOWNLOAD_TIMEOUT,
            "download_maxsize": 1024 * 1024,
            "download_warnsize": 512 * 1024,
            "retry_after_cap": 5,
            "crawl_timeout": 180,
        }
        allowed = [faults.hostport(name) for name in faults.addresses if name != "internal"]
        config = write_config(work / "config", sources, politeness=politeness, allowed_private_hosts=allowed)
        # An article stored by an earlier run, belonging to a source that now fails.
        repository = repository_for(database_url)
        repository.ensure_source("not-found", "not-found")
        repository.upsert_article(
            ArticleRecord(
                canonical_url=faults.url("good", PRESTORED),
                url=faults.url("good", PRESTORED),
                source_id="not-found",
                title="Stored before",
                text="An older article.",
            )
        )
        dispose_all()
        result = monitor(config, database_url, "run", timeout=240)
        yield faults, database_url, result
    dispose_all()


def endpoints(database_url: str) -> dict[str, Endpoint]:
    repository = repository_for(database_url)
    with repository.sessions() as session:
        return {row.source_id: row for row in session.scalars(select(Endpoint))}


@pytest.mark.parametrize("source_id", list(MATRIX))
def test_fault_is_recorded_with_its_error_class(source_id: str, outcome: Outcome) -> None:
    faults, database_url, result = outcome
    site, _path, expected = MATRIX[source_id]
    if site not in faults.addresses:
        pytest.skip(f"{site} site not available here")
    row = endpoints(database_url).get(source_id)
    assert row is not None, f"no endpoint recorded for {source_id}\n{result.stderr[-3000:]}"
    assert row.error_class == expected, (row.error_class, row.last_error)
    if expected:
        assert row.consecutive_failures == 1 and row.last_error


def test_run_reports_partial_failure_with_exit_code_3(outcome: Outcome) -> None:
    _faults, _db, result = outcome
    assert result.returncode == 3, result.stderr[-3000:]
    assert "source connect-timeout failed" in result.stderr


def test_healthy_sources_complete_and_stored_articles_survive(outcome: Outcome) -> None:
    faults, database_url, _result = outcome
    repository = repository_for(database_url)
    with repository.sessions() as session:
        rows = {row.url: row for row in session.scalars(select(Article))}
    good = faults.url("good", "")
    assert good + PRESTORED in rows  # nothing stored before is lost
    for path in (
        "/articles/transfers.html",
        "/articles/localisation.html",
        "/articles/flaky.html",
        "/articles/patient.html",
        "/articles/cafe.html",
        "/articles/latin1.html",
    ):
        assert good + path in rows, sorted(rows)
    pdf = rows[good + "/docs/decision"]  # served as application/octet-stream
    assert pdf.content_type == "pdf" and pdf.extraction_status == "ok"
    assert "international data transfers" in pdf.text
    latin1 = rows[good + "/articles/latin1.html"]  # no charset in header or page
    assert "Délibération" in latin1.text


def test_retries_are_bounded_and_retry_after_beyond_cap_is_not_waited(outcome: Outcome) -> None:
    faults, _db, _result = outcome
    assert faults.hits("good", "/flaky.xml") == 2  # 503, then success
    assert faults.hits("good", "/retry-soon.xml") == 2  # 429 + Retry-After: 1, then success
    assert faults.hits("good", "/broken.xml") == 2  # one retry, then given up
    assert faults.hits("good", "/gone.xml") == 1  # a 404 is not retried
    # Retry-After: 3600 is beyond the cap: neither feed is retried (both are "blocked" above,
    # whether asked once or skipped as the host is left alone for the rest of the run).
    assert faults.hits("waitlong", "/feed.xml") <= 1 and faults.hits("waitlong", "/other.xml") <= 1
    assert faults.hits("waitlong", "/feed.xml") + faults.hits("waitlong", "/other.xml") >= 1
    assert faults.hits("robots503", "/feed.xml") == 0  # the host is skipped, robots.txt is not
    assert faults.hits("good", "/private/feed.xml") == 0
    assert faults.hits("internal", "/secret") == 0  # the redirect to 127.0.0.1 was refused
