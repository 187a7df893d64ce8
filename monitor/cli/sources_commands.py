"""``monitor sources [list|check|test]``: the catalogue, each source's health, a dry run of one.

Health is kept per entry point (feed, sitemap, listing) in the Endpoint table by every crawl:
last status, error class, consecutive failures, items seen and the newest item's date. ``list``
also names the sources with cited documents still to fetch (``pending_documents``).
``check`` probes each entry point once (no articles, no second listing page) and prints the same
table for what it just saw. ``test ID`` runs one source as ``monitor run`` would, dry: it prints
what would be stored and flagged and writes nothing (``monitor.preview``).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.app import app, state

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from monitor.cli.hints import Hint
    from monitor.config.schema import Source
    from monitor.storage.models import Endpoint
    from monitor.storage.records import CitedDocument

sources_app = typer.Typer(
    help="The source catalogue (config/sources.yaml) and each source's health.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(sources_app, name="sources")


def _entry_points(source: Source) -> list[tuple[str, str]]:
    from monitor.config.entry_points import entry_points

    return [(point.kind, point.url) for point in entry_points(source)] + (
        [("robots", f"{source.homepage.rstrip('/')}/robots.txt")]
        if source.discover_sitemaps and source.homepage
        else []
    )


# Characters of an endpoint's detail shown in the table; the database keeps up to 1,000.
DETAIL_CHARS = 90


def _age(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    days = (now - moment).days
    return f"{moment:%Y-%m-%d}" + (f" ({days} d)" if days > 0 else "")


def health_table(
    sources: list[Source],
    endpoints: list[Endpoint],
    title: str,
    complete: dict[str, datetime] | None = None,
    jobs: dict[str, str] | None = None,
) -> Table:
    """One row per entry point; ``status`` is ``ok``, ``304`` or the error class.

    With ``complete`` (source id -> when a run last crawled it completely), a ``complete`` column
    shows it on each source's first row, ``never`` for a source no run has crawled completely.
    """
    now = datetime.now(UTC)
    by_url = {row.url: row for row in endpoints}
    by_source: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        by_source.setdefault(endpoint.source_id, []).append(endpoint)
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, expand=False)
    columns = [
        "source",
        "kind",
        "jur.",
        "on",
        "entry point",
        "status",
        "error class",
        "fails",
        "items",
        "newest item",
        "checked",
        "detail",
    ]
    if complete is not None:
        columns.insert(4, "complete")
    if jobs:  # cluster mode: each source's last job, its state and worker
        columns.insert(5 if complete is not None else 4, "last job")
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column not in ("entry point", "source", "detail"))
    for source in sources:
        rows: list[tuple[str, str, Endpoint | None]] = [
            (kind, url, by_url.get(url)) for kind, url in _entry_points(source) if kind != "robots"
        ]
        named = {url for _kind, url, _row in rows}
        # Sitemaps found through robots.txt, and child sitemaps of an index.
        rows += [(row.kind, row.url, row) for row in by_source.get(source.id, []) if row.url not in named]
        if not rows:  # only discover_sitemaps, not run yet: its robots.txt stands for it, so the source shows
            rows = [(kind, url, None) for kind, url in _entry_points(source)]
        last_complete = (complete or {}).get(source.id)
        for index, (kind, url, row) in enumerate(rows):
            status = "never checked"
            if row is not None and row.last_checked_at is not None:
                status = "failed" if row.error_class else ("not modified" if row.last_status == 304 else "ok")
            first = [
                source.id if index == 0 else "",
                kind,
                source.jurisdiction if index == 0 else "",
                ("yes" if source.enabled else "no") if index == 0 else "",
            ]
            if complete is not None:
                first.append((f"{last_complete:%Y-%m-%d %H:%M}" if last_complete else "never") if index == 0 else "")
            if jobs:
                first.append(jobs.get(source.id, "none") if index == 0 else "")
            table.add_row(
                *first,
                escape(url),  # rich markup would eat "[fe80::1]" from an IPv6 URL
                status if row is None or row.last_status is None else f"{status} ({row.last_status})",
                (row.error_class or "") if row else "",
                str(row.consecutive_failures or "") if row else "",
                str(row.items_seen) if row and row.last_checked_at else "",
                _age(row.newest_item_at, now) if row else "",
                f"{row.last_checked_at:%Y-%m-%d %H:%M}" if row and row.last_checked_at else "",
                _detail(row),
            )
    return table


def _detail(row: Endpoint | None) -> Text:
    """The last failure's cause, or what the last success left undone (entries over a feed's cap);
    as plain text, never as rich markup, and without the control characters a server's error may carry."""
    from rich.text import Text

    from monitor.controls import strip_controls

    detail = strip_controls(row.last_error or "") if row is not None and row.last_checked_at else ""
    return Text(detail if len(detail) <= DETAIL_CHARS else detail[: DETAIL_CHARS - 1] + "…")


def _last_jobs(sessions: object) -> dict[str, str]:
    """Source id -> "#id state on worker" of its newest cluster job; empty without cluster mode."""
    from monitor.cluster.jobs import JobStore

    last = JobStore(sessions).last_jobs()  # type: ignore[arg-type]  # a sessionmaker
    return {
        source_id: f"#{job.id} {job.state}" + (f" on {job.worker}" if job.worker else "")
        for source_id, job in last.items()
    }


def _console() -> Console:
    from rich.console import Console

    probe = Console()
    return probe if probe.is_terminal else Console(width=200)


def _endpoints(database_url: str) -> list[Endpoint]:
    from monitor.storage import repository_for

    return repository_for(database_url).endpoints()


@sources_app.callback()
def sources_main(ctx: typer.Context) -> None:
    """Without a subcommand: the same as ``monitor sources list``."""
    if ctx.invoked_subcommand is None:
        list_sources(ctx)


@sources_app.command("list")
def list_sources(ctx: typer.Context) -> None:
    """Every configured source with its last complete crawl, its entry points and their last known health."""
    from monitor.storage import repository_for

    config = state(ctx).config()
    repository = repository_for(config.database_url)
    complete = repository.last_complete_crawls()
    table = health_table(
        config.sources,
        _endpoints(config.database_url),
        f"{len(config.sources)} sources",
        complete=complete,
        jobs=_last_jobs(repository.sessions),
    )
    console = _console()
    console.print(table)
    for line in pending_document_lines(repository.pending_documents([source.id for source in config.sources])):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def pending_document_lines(pending: list[CitedDocument]) -> list[str]:
    """One line per source with cited documents no run has stored yet (``pending_documents``): how
    many, and the one that failed in most runs with its last error, so that a document a site keeps
    refusing is seen before the crawl gives it up."""
    from monitor.controls import strip_controls

    by_source: dict[str, list[CitedDocument]] = {}
    for document in pending:
        by_source.setdefault(document.source_id, []).append(document)
    lines = []
    for source_id, documents in sorted(by_source.items()):
        failed = [d for d in documents if d.failures]
        line = f"{source_id}: {len(documents)} cited document{'s' if len(documents) != 1 else ''} still to fetch"
        if failed:
            worst = max(failed, key=lambda d: d.failures)
            error = strip_controls(worst.last_error or "")[:DETAIL_CHARS]
            line += f"; {worst.url} failed in {worst.failures} run{'s' if worst.failures != 1 else ''}: {error}"
        lines.append(line)
    return lines


@sources_app.command("check")
def check_sources(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option("--source", help="only these source ids (repeatable)")] = None,
    include_disabled: Annotated[bool, typer.Option("--all", help="also probe disabled sources")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON document on stdout, for scripts")] = False,
) -> None:
    """Probe each entry point once; print the health table and what to do about each problem.
    Exit 0: all fine; 3: some failed."""
    from monitor.cli.crawl_commands import _register_sources, _report_failures
    from monitor.runner import run_crawl
    from spiders.source_spider import SourceSpider

    current = state(ctx)
    config = current.config()
    selected = config.select(source, include_disabled)
    _register_sources(config)
    report = run_crawl(
        config,
        SourceSpider,
        {"sources": selected, "probe": True},
        command="check",
        allow_private=current.allow_private,
    )
    endpoints = [
        row
        for row in _endpoints(config.database_url)
        if row.last_checked_at and row.last_checked_at >= report.started_at
    ]
    hints = _hints(selected, endpoints, config.settings.user_agent)
    if as_json:
        typer.echo(json.dumps(_check_document(selected, endpoints, hints, report.exit_code), indent=2))
        raise typer.Exit(report.exit_code)
    _report_failures(report)
    _console().print(health_table(selected, endpoints, f"health of {len(selected)} sources"))
    if hints:
        typer.echo("what to do:")
        for hint in hints:
            typer.echo(f"  {hint.source_id}: {hint.url}: {hint.problem}: {hint.advice}")
    raise typer.Exit(report.exit_code)


@sources_app.command("test")
def dry_run_source(
    ctx: typer.Context,
    source_id: Annotated[str, typer.Argument(metavar="ID", help="the source's id in config/sources.yaml")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON document on stdout, for scripts")] = False,
) -> None:
    """Run one source (enabled or not) as `monitor run` would, dry: fetch, extract and match, print
    what would be stored and flagged; nothing is written. Exit 0: all fine; 3: an entry point failed."""
    from monitor.cli import preview
    from monitor.cli.crawl_commands import _report_failures
    from monitor.config.names import unknown
    from monitor.errors import UsageError
    from monitor.runner import run_crawl
    from spiders.source_spider import SourceSpider

    current = state(ctx)
    config = current.config()
    problem = unknown(source_id, [s.id for s in config.sources], "source id")
    if problem:
        raise UsageError(f"sources test {source_id!r}: {problem}")
    source = config.source(source_id)
    report = run_crawl(config, SourceSpider, {"sources": [source]}, allow_private=current.allow_private, dry_run=True)
    what = f"source {source_id}"
    if as_json:
        items = [record.to_dict() for record in report.previewed]
        preview.print_json(preview.document(report, what, items, None))
        raise typer.Exit(report.exit_code)
    _report_failures(report)
    typer.echo(preview.summary(report, what))
    if current.log_level < logging.WARNING:  # under -q the summary only
        preview.print_preview(report)
    raise typer.Exit(report.exit_code)


def _rows(sources: list[Source], endpoints: list[Endpoint]) -> list[tuple[Source, str, str, Endpoint | None]]:
    """(source, kind, url, its row) for every configured entry point and every one found on the way."""
    by_url = {row.url: row for row in endpoints}
    rows = []
    for source in sources:
        named = set()
        for kind, url in _entry_points(source):
            if kind != "robots":
                rows.append((source, kind, url, by_url.get(url)))
                named.add(url)
        rows += [
            (source, row.kind, row.url, row) for row in endpoints if row.source_id == source.id and row.url not in named
        ]
    return rows


def _hints(sources: list[Source], endpoints: list[Endpoint], default_agent: str) -> list[Hint]:
    from monitor.cli.hints import hint_for

    found = []
    for source, _kind, url, row in _rows(sources, endpoints):
        hint = hint_for(source, url, row, source.user_agent or default_agent)
        if hint is not None:
            found.append(hint)
    return found


def _check_document(
    sources: list[Source], endpoints: list[Endpoint], hints: list[Hint], exit_code: int
) -> dict[str, object]:
    """``sources check --json``: every entry point with its health and, where needed, the advice."""
    advice = {(h.source_id, h.url): h for h in hints}
    entries = []
    for source, kind, url, row in _rows(sources, endpoints):
        hint = advice.get((source.id, url))
        checked = row is not None and row.last_checked_at is not None
        entries.append(
            {
                "source": source.id,
                "kind": kind,
                "url": url,
                "ok": checked and row is not None and not row.error_class,
                "status": row.last_status if row else None,
                "error_class": row.error_class if row else None,
                "detail": (row.last_error or None) if row else None,
                "items": row.items_seen if checked and row else None,
                "checked_at": row.last_checked_at.isoformat() if checked and row and row.last_checked_at else None,
                "problem": hint.problem if hint else None,
                "advice": hint.advice if hint else None,
            }
        )
    return {"exit_code": exit_code, "sources": len(sources), "entry_points": entries}
