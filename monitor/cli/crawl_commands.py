"""``monitor run``, ``monitor crawl URL`` and ``monitor demo``: the commands that fetch."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.app import app, state
from monitor.errors import UsageError
from monitor.stats import ITEMS_FLAGGED, ITEMS_STORED, PAGES_FETCHED, PAGES_NOT_MODIFIED

if TYPE_CHECKING:
    from monitor.config import AppConfig
    from monitor.runner import CrawlReport

log = logging.getLogger(__name__)

DEMO_DB_URL = "sqlite:///data/demo.db"


def _register_sources(config: AppConfig, extra: list[tuple[str, str]] | None = None) -> None:
    from monitor.storage import repository_for

    repository = repository_for(config.database_url)
    for source in config.sources:
        repository.ensure_source(source.id, source.name, source.kind, source.jurisdiction, source.language)
    for source_id, name in extra or []:
        repository.ensure_source(source_id, name, "other", None, None)


def _report_failures(report: CrawlReport) -> None:
    for source_id, problems in report.failed_sources.items():
        for problem in problems:
            typer.echo(f"source {source_id} failed: {problem}", err=True)
    for source_id, reason in report.skipped_sources.items():
        typer.echo(f"source {source_id} skipped: {reason}", err=True)


@app.command()
def run(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option("--source", help="only these source ids (repeatable)")] = None,
    job: Annotated[
        int | None, typer.Option("--job", min=1, help="crawl the sources of this cluster job (monitor worker does)")
    ] = None,
) -> None:
    """One crawl cycle of the configured sources. Exit 0: all fine; 3: some sources failed; 1: the run failed."""
    from monitor.runner import run_crawl
    from spiders.source_spider import SourceSpider

    current = state(ctx)
    config = current.config()
    if job is not None:
        if source:
            raise UsageError("--job and --source: a job names its own sources")
        _run_job(config, job, allow_private=current.allow_private)
        return
    selected = config.select(source)
    _register_sources(config)
    report = run_crawl(config, SourceSpider, {"sources": selected}, command="run", allow_private=current.allow_private)
    _deliver_after_run(config)
    _summarise(report, len(selected))


def _deliver_after_run(config: AppConfig) -> None:
    """The "as it happens" subscriptions and the source-health alerts go out once the run is
    recorded; they log their own failures and never change the run's exit code."""
    from monitor.digest.service import after_run

    after_run(config)


def _run_job(config: AppConfig, job_id: int, *, allow_private: bool) -> None:
    from monitor.cluster.crawl import crawl_job

    if not config.database_url.startswith("postgresql"):
        raise UsageError("--job needs the cluster's PostgreSQL database (jobs come from `monitor dispatch`)")
    _register_sources(config)
    outcome = crawl_job(config, job_id, allow_private=allow_private)
    if outcome.report is None:
        typer.echo(f"job {job_id}: {outcome.state}, nothing crawled")
        raise typer.Exit(0)
    _deliver_after_run(config)
    _summarise(outcome.report, outcome.crawled, prefix=f"job {job_id}, ")


def _summarise(report: CrawlReport, sources: int, prefix: str = "") -> None:
    _report_failures(report)
    stats = report.stats
    typer.echo(
        f"{prefix}run {report.run_id}: {report.status}; {sources} sources, "
        f"{stats.get(PAGES_FETCHED, 0)} pages fetched, {stats.get(PAGES_NOT_MODIFIED, 0)} not modified, "
        f"{stats.get(ITEMS_STORED, 0)} articles stored, {stats.get(ITEMS_FLAGGED, 0)} flagged, "
        f"{len(report.failed_sources)} sources failed"
    )
    raise typer.Exit(report.exit_code)


@app.command()
def crawl(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="the site's URL, e.g. https://www.example-dpa.eu/")],
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="pages to fetch at most")] = 200,
    depth: Annotated[int, typer.Option("--depth", min=0, help="link hops from the start page")] = 3,
    time_limit: Annotated[float, typer.Option("--time-limit", min=1, help="seconds the crawl may take")] = 600,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="fetch, extract and match, print what would be stored; write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON document on stdout, for scripts")] = False,
) -> None:
    """Ad-hoc crawl of one site given only its URL; prints the flagged items and a suggested sources.yaml entry."""
    from monitor.cli import preview
    from monitor.preview.suggest import suggested_source
    from monitor.runner import run_crawl
    from monitor.urls import InvalidURL, checked_url
    from spiders.adhoc_spider import ADHOC_SOURCE_ID, AdhocSpider

    try:
        url = checked_url(url)  # the one URL gate, as for every link the crawl finds
    except InvalidURL as exc:
        raise UsageError(str(exc)) from exc
    current = state(ctx)
    config = current.config()
    if not dry_run:
        _register_sources(config, [(ADHOC_SOURCE_ID, "Ad-hoc crawls")])
    report = run_crawl(
        config,
        AdhocSpider,
        {"start_url": url, "max_pages": max_pages, "depth": depth},
        command="crawl",
        allow_private=current.allow_private,
        overrides={"CLOSESPIDER_TIMEOUT": time_limit},
        dry_run=dry_run,
    )
    entry = suggested_source(report.discovered, [s.id for s in config.sources]) if report.discovered else None
    if as_json:
        items = [r.to_dict() for r in report.previewed] if dry_run else _stored_items(config, report)
        preview.print_json(preview.document(report, url, items, entry))
        raise typer.Exit(report.exit_code)
    _report_failures(report)
    typer.echo(preview.summary(report, url))
    if current.log_level < logging.WARNING:  # under -q the summary only
        if dry_run:
            preview.print_preview(report)
        else:
            from monitor.cli.tables import print_items

            print_items(config.database_url, run_started=report.started_at, flagged_only=True, url_prefix=None)
        preview.print_suggestion(entry)
    raise typer.Exit(report.exit_code)


def _stored_items(config: AppConfig, report: CrawlReport) -> list[dict[str, object]]:
    """The articles this crawl stored, as ``monitor items --format jsonl`` prints them."""
    from monitor.storage import repository_for
    from monitor.storage.queries import ItemFilter, iter_items, to_item
    from spiders.adhoc_spider import ADHOC_SOURCE_ID

    with repository_for(config.database_url).sessions() as session:
        spec = ItemFilter(fetched_since=report.started_at, source=ADHOC_SOURCE_ID)
        return [to_item(article) for article in iter_items(session, spec)]


@app.command()
def demo(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="where the digest files go")] = Path("out/demo"),
    port: Annotated[int, typer.Option("--port", min=1024, max=65000, help="first of the demo sites' ports")] = 8701,
) -> None:
    """Serve the bundled offline sites on 127.0.0.1, run the whole pipeline, write the digest.

    Its database is the global --db (or MONITOR_DB_URL), else its own sqlite:///data/demo.db.
    """
    from monitor.demo import run_demo

    current = state(ctx)
    code = run_demo(current.config_dir, current.db_url or DEMO_DB_URL, out, port)
    raise typer.Exit(code)
