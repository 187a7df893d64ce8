"""What ``monitor crawl URL`` (``--dry-run`` or not) and ``monitor sources test ID`` print at the end:
the summary line, the table of what would be stored, the suggested ``sources.yaml`` entry, or one
JSON document of the same (``--json``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from monitor.cli.tables import MAX_CODES
from monitor.controls import strip_controls
from monitor.stats import ARTICLES_SKIPPED_STORED, ITEMS_FLAGGED, ITEMS_STORED, PAGES_FETCHED

if TYPE_CHECKING:
    from monitor.runner import CrawlReport
    from pipelines.preview_sink import PreviewRecord

# Characters of a URL and of a title shown in the table; the JSON has them whole.
URL_CHARS = 70
TITLE_CHARS = 100


def _console() -> Console:
    probe = Console()
    return probe if probe.is_terminal else Console(width=200)


def _codes(codes: list[str]) -> str:
    shown = " ".join(codes[:MAX_CODES])
    return f"{shown} +{len(codes) - MAX_CODES}" if len(codes) > MAX_CODES else shown


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counts(report: CrawlReport) -> dict[str, int]:
    """The figures of the summary line, by name (the keys of ``--json``'s ``counts``)."""
    stats = report.stats
    stored = len(report.previewed) if report.dry_run else int(stats.get(ITEMS_STORED, 0))
    return {
        "pages_fetched": int(stats.get(PAGES_FETCHED, 0)),
        ("would_store" if report.dry_run else "stored"): stored,
        "flagged": int(stats.get(ITEMS_FLAGGED, 0)),
        "already_stored": int(stats.get(ARTICLES_SKIPPED_STORED, 0)),
        "failed_sources": len(report.failed_sources),
    }


def summary(report: CrawlReport, what: str) -> str:
    """One line: ``dry run of URL: 12 pages fetched, 9 articles would be stored, 4 flagged, ...``."""
    figures = counts(report)
    if report.dry_run:
        return (
            f"dry run of {what}: {report.status}; {figures['pages_fetched']} pages fetched, "
            f"{figures['would_store']} articles would be stored, {figures['flagged']} flagged, "
            f"{figures['already_stored']} already stored; nothing written"
        )
    return (
        f"crawl of {what}: {figures['pages_fetched']} pages fetched, {figures['stored']} articles stored, "
        f"{figures['flagged']} flagged"
    )


def preview_table(records: Iterable[PreviewRecord], title: str) -> Table:
    """Flagged first, by best topic score: the items a run would store and what it would say of them."""
    table = Table(title=title, expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("title", overflow="fold", max_width=50)
    table.add_column("topics", overflow="fold")
    table.add_column("countries", overflow="fold")
    table.add_column("url", overflow="fold", max_width=URL_CHARS)
    ordered = sorted(records, key=lambda r: (not r.flagged, -max((t.score for t in r.topics), default=0.0)))
    for record in ordered:
        url = _cut(record.url, URL_CHARS)
        title = _cut(strip_controls(record.title), TITLE_CHARS)
        table.add_row(
            record.published_at.strftime("%Y-%m-%d") if record.published_at else "",
            record.language or "",
            Text(title + ("" if record.content_type == "html" else f" ({record.content_type})")),
            ", ".join(f"{t.topic} {t.score:.2f}" for t in record.topics) or ("" if record.flagged else "-"),
            _codes(record.about),
            escape(url),
        )
    return table


def print_preview(report: CrawlReport) -> None:
    records = report.previewed
    if not records:
        typer.echo("nothing would be stored")
        return
    flagged = sum(1 for record in records if record.flagged)
    _console().print(preview_table(records, f"{len(records)} items would be stored, {flagged} flagged"))


def print_suggestion(entry: dict[str, Any] | None) -> None:
    from monitor.preview.suggest import suggestion_yaml

    if entry is None:
        typer.echo("no suggested sources.yaml entry: the crawl found no feed, sitemap or listing with articles")
        return
    typer.echo("")
    typer.echo(suggestion_yaml(entry), nl=False)


def document(
    report: CrawlReport, what: str, items: list[dict[str, Any]], entry: dict[str, Any] | None
) -> dict[str, Any]:
    """``--json``: the summary's figures, the items, the failures and the suggested entry (or null)."""
    return {
        "target": what,
        "dry_run": report.dry_run,
        "status": report.status,
        "exit_code": report.exit_code,
        "counts": counts(report),
        "items": items,
        "failed_sources": report.failed_sources,
        "suggested_source": entry,
    }


def print_json(doc: dict[str, Any]) -> None:
    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
