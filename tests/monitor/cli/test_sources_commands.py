"""``monitor sources list|check``: the real catalogue lists offline; a check probes fixture sites."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from monitor.cli import _register
from monitor.cli.app import app
from monitor.config import load_config
from monitor.config.entry_points import entry_points
from monitor.demo_sites.server import FixtureServer, render_sources
from monitor.storage import dispose_all, repository_for
from tests.helpers import REPO_ROOT


def test_real_catalogue_is_valid_and_broad() -> None:
    config = load_config(REPO_ROOT / "config")
    ids = {source.id for source in config.sources}
    assert {"edpb", "edps", "cnil", "dpc-ie", "cac", "ftc", "politico-tech"} <= ids
    assert sum(source.enabled for source in config.sources) >= 25
    jurisdictions = {source.jurisdiction for source in config.sources}
    assert {"EU", "CN", "IN", "JP", "US", "INTL"} <= jurisdictions
    assert any(source.id == "global-cbpr" for source in config.sources)
    assert all(entry_points(source) or source.discover_sitemaps for source in config.sources)
    assert any(source.json_apis for source in config.sources)  # the Federal Register and the GC news API


def test_sources_list_shows_catalogue_without_network(tmp_path: Path) -> None:
    _register()
    result = CliRunner().invoke(
        app, ["--config", str(REPO_ROOT / "config"), "--db", f"sqlite:///{tmp_path / 'm.db'}", "sources", "list"]
    )
    dispose_all()
    assert result.exit_code == 0, result.output
    assert "dpc-ie" in result.output and "never checked" in result.output
    # Every source the title counts has a row, a robots.txt-only one (discover_sitemaps) included.
    config = load_config(REPO_ROOT / "config")
    assert f"{len(config.sources)} sources" in result.output
    shown = {line.split("│")[1].strip() for line in result.output.splitlines() if line.startswith("│")}
    assert {source.id for source in config.sources} <= shown, sorted({s.id for s in config.sources} - shown)


def test_sources_check_probes_once_and_reports_health(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(REPO_ROOT / "config" / "watchlists.yaml", config / "watchlists.yaml")
    database_url = f"sqlite:///{tmp_path / 'monitor.db'}"
    with FixtureServer(sites=["regulator", "press"]) as server:
        rendered = render_sources(server)
        sources = [s for s in rendered["sources"] if s["id"] in ("acd", "dpw")]
        sources.append(
            {
                "id": "gone",
                "name": "Gone",
                "kind": "press",
                "jurisdiction": "EU",
                "feeds": [server.url("press", "/no-such-feed.xml")],
            }
        )
        (config / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True))
        (config / "monitor.yaml").write_text(
            yaml.safe_dump(
                {"politeness": {"download_delay": 0, "autothrottle": False, "download_timeout": 30, "retry_times": 0}}
            )
        )
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "monitor",
                "--allow-private",
                "--config",
                str(config),
                "--db",
                database_url,
                "sources",
                "check",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO_ROOT,
        )
        log = server.request_log
    assert result.returncode == 3, result.stderr[-3000:]
    assert "http_4xx" in result.stdout and "ok (200)" in result.stdout
    # Entry points only, once each: no article, no second listing page, no conditional headers.
    paths = [r.path for r in log if r.path != "/robots.txt"]
    assert sorted(paths) == sorted(
        ["/sitemap.xml", "/actualites/", "/feed.atom", "/news-sitemap.xml", "/no-such-feed.xml"]
    )
    assert not any(r.header("If-None-Match") for r in log)
    # A probe fetches no article, so it must not leave validators that make the next run skip them.
    repository = repository_for(database_url)
    assert all(row.etag is None and row.pending_etag is None for row in repository.endpoints())
    dispose_all()


def test_sources_list_names_the_cited_documents_still_to_fetch(tmp_path: Path) -> None:
    from monitor.storage.records import CitedDocument

    database_url = f"sqlite:///{tmp_path / 'm.db'}"
    repository = repository_for(database_url)
    repository.ensure_source("cnil", "CNIL")
    repository.remember_documents(
        [
            CitedDocument("https://www.cnil.fr/d1.pdf", "https://www.cnil.fr/d1.pdf", "cnil", "https://www.cnil.fr/a"),
            CitedDocument("https://www.cnil.fr/d2.pdf", "https://www.cnil.fr/d2.pdf", "cnil", "https://www.cnil.fr/a"),
        ]
    )
    repository.document_failed("https://www.cnil.fr/d2.pdf", "HTTP 503 Service Unavailable (http_5xx)")
    repository.document_failed("https://www.cnil.fr/d2.pdf", "HTTP 503 Service Unavailable (http_5xx)")
    dispose_all()
    _register()
    result = CliRunner().invoke(app, ["--config", str(REPO_ROOT / "config"), "--db", database_url, "sources", "list"])
    dispose_all()
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("cnil:"))
    assert line == (
        "cnil: 2 cited documents still to fetch; https://www.cnil.fr/d2.pdf failed in 2 runs: "
        "HTTP 503 Service Unavailable (http_5xx)"
    )
