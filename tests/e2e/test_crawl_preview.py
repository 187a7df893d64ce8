"""Preview before committing, through the real CLI against loopback CMS sites (``tests/mockserver/cms_sites.py``).

``monitor crawl URL --dry-run`` and ``monitor sources test ID`` fetch, extract and match as a run
does and write nothing: no database file or data folder where there was none, and an existing
database byte for byte the same (no article, run row, health, validator or alias). What they say
would be stored is what the real crawl then stores. The ``sources.yaml`` entry a crawl suggests
loads through the real config loader and, run as a source, stores the same articles.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from monitor.config import load_config
from monitor.interrupt import GRACEFUL
from monitor.storage import dispose_all, repository_for
from monitor.storage.models import Article, Endpoint, Run, UrlAlias
from monitor.urls import canonical_url
from tests.e2e.test_json_apis import federal_register
from tests.helpers.cli import Run as Command
from tests.helpers.cli import monitor, wait_until
from tests.helpers.config import write_config, write_demo_config
from tests.mockserver import FixtureServer, SiteServer
from tests.mockserver.cms_sites import BUILDERS, CmsSite, build
from tests.mockserver.routes import RouteServer

ROBOTS = "/robots.txt"
CRAWL_BOUNDS = ("--max-pages", "100", "--depth", "3", "--time-limit", "120")


def serve(name: str) -> tuple[RouteServer, CmsSite]:
    server = RouteServer(name)
    site = build(name, server.url(""))
    server.routes.update(site.routes)
    return server, site


def expected_keys(site: CmsSite, base: str) -> set[str]:
    return {canonical_url(base + path) for path in {*site.manifest.articles, *site.manifest.documents}}


def stored_keys(database_url: str) -> set[str]:
    with repository_for(database_url).sessions() as session:
        keys = set(session.scalars(select(Article.canonical_url)))
    dispose_all()
    return keys


def row_counts(database_url: str) -> list[int]:
    """Articles, runs and endpoints stored."""
    with repository_for(database_url).sessions() as session:
        counts = [session.scalar(select(func.count()).select_from(model)) or 0 for model in (Article, Run, Endpoint)]
    dispose_all()
    return counts


def folder_state(folder: Path) -> dict[str, str]:
    """Every file of the database's folder with its SHA-256: a dry run leaves this as it found it."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def json_of(stdout: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(stdout)
    return document


def suggested_entry(stdout: str) -> dict[str, Any]:
    """The YAML the crawl printed after its summary, parsed as the list item it is."""
    text = stdout[stdout.index("# Suggested sources.yaml entry") :]
    entries = yaml.safe_load(text)
    assert isinstance(entries, list) and len(entries) == 1, text
    entry: dict[str, Any] = entries[0]
    return entry


def test_crawl_dry_run_writes_nothing_and_previews_what_the_crawl_then_stores(tmp_path: Path) -> None:
    server, site = serve("drupal")
    data = tmp_path / "data"
    database_url = f"sqlite:///{data / 'monitor.db'}"
    with server:
        base = server.url("")
        config = write_config(tmp_path / "config", [], allowed_private_hosts=[server.hostport])
        start = server.url(site.start)
        # No database yet: none is made, nor its folder.
        dry = monitor(config, database_url, "crawl", start, *CRAWL_BOUNDS, "--dry-run", "--json")
        assert dry.returncode == 0, dry.stderr[-3000:]
        assert not data.exists(), sorted(data.iterdir())
        preview = json_of(dry.stdout)
        # The table and the suggestion, as a person sees them.
        shown = monitor(config, database_url, "crawl", start, *CRAWL_BOUNDS, "--dry-run")
        assert shown.returncode == 0, shown.stderr[-3000:]
        assert not data.exists()
        crawl = monitor(config, database_url, "crawl", start, *CRAWL_BOUNDS)
        assert crawl.returncode == 0, crawl.stderr[-3000:]
        counts = row_counts(database_url)
        before = folder_state(data)
        fetched = len(server.log)
        # A database with the site stored: read, never written, and nothing fetched a run would not fetch.
        again = monitor(config, database_url, "crawl", start, *CRAWL_BOUNDS, "--dry-run", "--json")
        second_log = server.log[fetched:]
    assert again.returncode == 0, again.stderr[-3000:]
    assert folder_state(data) == before
    assert row_counts(database_url) == counts

    expected = expected_keys(site, base)
    previewed = {item["canonical_url"] for item in preview["items"]}
    assert previewed == expected, {"missing": expected - previewed, "extra": previewed - expected}
    assert stored_keys(database_url) == previewed  # the preview was the crawl's result
    assert preview["dry_run"] is True and preview["exit_code"] == 0
    assert preview["counts"]["would_store"] == len(expected)
    flagged = [item for item in preview["items"] if item["flagged"]]
    assert flagged and preview["counts"]["flagged"] == len(flagged)
    assert all(item["topics"] and item["topics"][0]["score"] > 0 for item in flagged)
    assert {item["language"] for item in preview["items"]} == {"en"}

    assert "articles would be stored" in shown.stdout and "nothing written" in shown.stdout
    assert f"{len(expected)} items would be stored, {len(flagged)} flagged" in shown.stdout
    assert "cross_border_transfers" in shown.stdout  # a topic with its score in the table
    assert suggested_entry(shown.stdout)["listings"]

    repeat = json_of(again.stdout)
    assert repeat["items"] == [] and repeat["counts"]["already_stored"] > 0
    # Nothing new to fetch, and the same listings: links stored by the crawl count as articles.
    # (Their pager is found on each run: a rerun reads no second page to see it count up.)
    urls = [[listing["url"] for listing in doc["suggested_source"]["listings"]] for doc in (preview, repeat)]
    assert urls[0] == urls[1] == [base + "/en/news", base + "/en/decisions"], urls
    articles = {canonical_url(base + path) for path in site.manifest.articles}
    assert not [hit.path for hit in second_log if canonical_url(base + hit.path) in articles]


def test_quiet_dry_run_prints_the_summary_only(tmp_path: Path) -> None:
    server, site = serve("static")
    with server:
        config = write_config(tmp_path / "config", [], allowed_private_hosts=[server.hostport])
        result = monitor(
            config, f"sqlite:///{tmp_path / 'data' / 'm.db'}", "-q", "crawl", server.url(site.start), "--dry-run"
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("dry run of "), result.stdout
    assert result.stderr == ""
    assert not (tmp_path / "data").exists()


# Every CMS pattern: a paged listing by query (drupal), a WordPress with a sitemap and /page/N/,
# TYPO3's cHash pager (no template: found on each run), the static pages that answer 200 past the
# end, "load more", rel=next in <link> or <a> only, a pager of numbers only.
SUGGESTED = sorted(BUILDERS)


@pytest.mark.parametrize("name", SUGGESTED)
def test_the_suggested_entry_loads_and_runs_to_the_same_articles(name: str, tmp_path: Path) -> None:
    server, site = serve(name)
    crawl_db = f"sqlite:///{tmp_path / 'crawl.db'}"
    run_db = f"sqlite:///{tmp_path / 'run.db'}"
    with server:
        config = write_config(tmp_path / "crawl-config", [], allowed_private_hosts=[server.hostport])
        crawl = monitor(config, crawl_db, "crawl", server.url(site.start), *CRAWL_BOUNDS)
        assert crawl.returncode == 0, crawl.stderr[-3000:]
        entry = suggested_entry(crawl.stdout)
        sources = write_config(tmp_path / "config", [entry], allowed_private_hosts=[server.hostport])
        loaded = load_config(sources, run_db).source(entry["id"])  # the real loader and schema
        assert loaded.homepage == server.url(site.start)
        run = monitor(sources, run_db, "run")
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    crawled = stored_keys(crawl_db)
    assert crawled == expected_keys(site, server.url(""))
    ran = stored_keys(run_db)
    assert ran == crawled, {"missing": crawled - ran, "extra": ran - crawled, "entry": entry}


def test_sources_test_runs_one_source_dry(tmp_path: Path) -> None:
    server, site = serve("drupal")
    data = tmp_path / "data"
    database_url = f"sqlite:///{data / 'monitor.db'}"
    with server:
        base = server.url("")
        listings = [{**listing, "url": base + str(listing["url"])} for listing in site.listings]
        entry = {"id": "dpc", "name": "DPC", "kind": "regulator", "jurisdiction": "IE", "homepage": base + "/"}
        config = write_config(
            tmp_path / "config", [{**entry, "listings": listings}], allowed_private_hosts=[server.hostport]
        )
        result = monitor(config, database_url, "sources", "test", "dpc", "--json")
        shown = monitor(config, database_url, "sources", "test", "dpc")
        unknown = monitor(config, database_url, "sources", "test", "dcp")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not data.exists()
    preview = json_of(result.stdout)
    previewed = {item["canonical_url"] for item in preview["items"]}
    assert previewed == expected_keys(site, base), previewed ^ expected_keys(site, base)
    assert all(item["source"] == "dpc" for item in preview["items"])
    # The source's jurisdiction is the subject of a text that names none, as in a run.
    assert any("IE" in item["countries"] for item in preview["items"])
    assert shown.returncode == 0 and "dry run of source dpc" in shown.stdout, shown.stderr[-3000:]
    assert "items would be stored" in shown.stdout
    assert unknown.returncode == 2
    assert unknown.stderr.strip().count("\n") == 0, unknown.stderr
    assert "did you mean dpc" in unknown.stderr, unknown.stderr


def health(database_url: str) -> list[tuple[Any, ...]]:
    """Every endpoint's health and validators, and the aliases: what a run writes besides articles."""
    with repository_for(database_url).sessions() as session:
        rows = [
            (e.url, e.last_checked_at, e.last_status, e.etag, e.last_modified, e.pending_run_id, e.items_seen)
            for e in session.scalars(select(Endpoint).order_by(Endpoint.url))
        ]
        rows.append(("aliases", session.scalar(select(func.count()).select_from(UrlAlias))))
    dispose_all()
    return rows


def test_sources_test_of_a_feed_and_sitemap_source_reads_the_database_and_writes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    """SQLite and PostgreSQL alike: after a real run, the dry run finds everything stored, and
    leaves articles, runs, endpoint health, validators and aliases as they were."""
    with FixtureServer(sites=["press"]) as server:
        config = write_demo_config(tmp_path / "config", server)
        first = monitor(config, database_url, "sources", "test", "dpw", "--json")
        run = monitor(config, database_url, "run", "--source", "dpw")
        assert run.returncode == 0, run.stdout + run.stderr[-3000:]
        counts, endpoints = row_counts(database_url), health(database_url)
        again = monitor(config, database_url, "sources", "test", "dpw", "--json")
    assert first.returncode == 0, first.stderr[-3000:]
    preview = json_of(first.stdout)
    assert {item["source"] for item in preview["items"]} == {"dpw"}
    assert counts[0] == len(preview["items"]) > 12  # the feed's 12 and the older ones of the sitemap
    assert again.returncode == 0, again.stderr[-3000:]
    repeat = json_of(again.stdout)
    assert repeat["items"] == [] and repeat["counts"]["already_stored"] >= counts[0]
    assert row_counts(database_url) == counts
    assert health(database_url) == endpoints


def articles_answered(server: SiteServer) -> int:
    return sum(1 for r in server.request_log if r.site == "regulator" and ".html" in r.path)


def test_ctrl_c_stops_a_dry_run_with_130_and_it_still_writes_nothing(tmp_path: Path) -> None:
    """Interrupted while articles are being fetched (held by the server, not timed): acknowledged,
    the items in flight finished, exit 130, no traceback, and still no database."""
    data = tmp_path / "data"
    database_url = f"sqlite:///{data / 'monitor.db'}"
    server = SiteServer(
        held=lambda site, path: site == "regulator" and path.startswith("/actualites/") and ".html" in path
    )
    with server:
        config = write_demo_config(tmp_path / "config", server)
        server.hold(pages=2)
        with Command(config, database_url, "dry", "--allow-private", "sources", "test", "acd") as dry:
            wait_until(lambda: articles_answered(server) >= 2 or dry.poll() is not None, what="two articles fetched")
            assert dry.poll() is None, "the dry run ended before the test could interrupt it"
            os.killpg(dry.pid, signal.SIGINT)
            wait_until(lambda: GRACEFUL in dry.stderr, what="the acknowledgement")
            server.release()
            code = dry.wait()
    assert code == 130, dry.stderr[-3000:]
    assert "Traceback" not in dry.stderr, dry.stderr[-3000:]
    assert dry.out.read_text().startswith("dry run of source acd: interrupted"), dry.out.read_text()
    assert not data.exists()


def test_sources_test_of_a_json_api_sends_no_validator_and_records_none(tmp_path: Path) -> None:
    """A JSON API source (``json_apis``), before and after a real run: the dry run pages through
    it as a run does, asks without If-None-Match (a 304 would preview nothing) and keeps no ETag."""
    hits: list[str] = []
    database_url = f"sqlite:///{tmp_path / 'data' / 'monitor.db'}"
    with RouteServer("federalregister") as site:
        urls = federal_register(site, hits)
        api = {"url": site.url("/api/v1/documents.json?order=newest"), "items": "results", "link": "html_url"}
        api |= {"date": "publication_date", "summary": "abstract", "next": "next_page_url"}
        entry = {"id": "bis", "name": "BIS", "kind": "executive", "jurisdiction": "US", "json_apis": [api]}
        config = write_config(tmp_path / "config", [entry], allowed_private_hosts=[site.hostport])
        first = monitor(config, database_url, "sources", "test", "bis", "--json")
        assert not (tmp_path / "data").exists()
        run = monitor(config, database_url, "run")
        endpoints = health(database_url)
        before = len(site.log)
        again = monitor(config, database_url, "sources", "test", "bis", "--json")
        answers = [hit.status for hit in site.log[before:] if hit.path == "/api/v1/documents.json?order=newest"]
    assert first.returncode == 0, first.stderr[-3000:]
    assert {item["url"] for item in json_of(first.stdout)["items"]} == set(urls)
    assert run.returncode == 0, run.stderr[-3000:]
    assert again.returncode == 0, again.stderr[-3000:]
    assert json_of(again.stdout)["items"] == []
    assert answers == [200]  # asked without the ETag the run kept: answered in full, not 304
    assert health(database_url) == endpoints
