"""``monitor rules report``: per topic and per rule, how many of its flags analysts judged relevant."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.app import app, state
from monitor.cli.options import parse_when

if TYPE_CHECKING:
    from monitor.storage.feedback import QualityRow

rules_app = typer.Typer(help="How the watchlist's rules fare with analysts' judgements.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def _row(row: QualityRow) -> dict[str, object]:
    return {
        "name": row.name,
        "flags": row.flags,
        "judged": row.judged,
        "relevant": row.relevant,
        "not_relevant": row.not_relevant,
        "precision": None if row.precision is None else round(row.precision, 3),
    }


def _line(row: QualityRow, width: int) -> str:
    precision = "-" if row.precision is None else f"{row.precision * 100:.0f}%"
    counts = f"{row.flags:>5}  {row.judged:>6}  {row.relevant:>8}  {row.not_relevant:>12}"
    return f"{row.name:<{width}}  {counts}  {precision:>9}"


@rules_app.command("report")
def report(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="judgements from this date or age (30d)")] = "30d",
    until: Annotated[str | None, typer.Option("--until", help="judgements before this date or age")] = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", help="table or json")] = ReportFormat.table,
    top: Annotated[int, typer.Option("--top", min=1, help="rules listed as firing most on not-relevant items")] = 10,
) -> None:
    """Judged precision per topic and per rule over a window, and the rules firing most on not-relevant items."""
    from monitor.storage import repository_for
    from monitor.storage.feedback import quality_report

    config = state(ctx).config()
    start, end = parse_when(since, "--since"), parse_when(until, "--until")
    with repository_for(config.database_url).sessions() as session:
        result = quality_report(session, since=start, until=end)
    if output_format is ReportFormat.json:
        document = {
            "since": start.isoformat() if start else None,
            "until": end.isoformat() if end else None,
            "topics": [_row(row) for row in result.topics],
            "rules": [_row(row) for row in result.rules],
            "worst_rules": [_row(row) for row in result.worst_rules[:top]],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    window = (
        f"{start:%Y-%m-%d} to {end:%Y-%m-%d}" if start and end else f"since {start:%Y-%m-%d}" if start else "all time"
    )
    header = "flags  judged  relevant  not relevant  precision"
    for title, rows in (("topics", result.topics), ("rules", result.rules)):
        width = max([len(title), *(len(r.name) for r in rows)])
        typer.echo(f"{title} ({window})\n{'':<{width}}  {header}")
        for row in rows:
            typer.echo(_line(row, width))
        typer.echo("")
    worst = result.worst_rules[:top]
    typer.echo("rules firing most on items judged not relevant:" + ("" if worst else " none"))
    for row in worst:
        typer.echo(f"  {row.name}: {row.not_relevant} of {row.judged} judged not relevant")
